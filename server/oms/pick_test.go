package oms

import (
	"reflect"
	"strings"
	"testing"
)

// newPickTask has two lines in bin A-01 and one in B-01, already in walk
// order as the store loads them.
func newPickTask() *PickTask {
	t := &PickTask{ID: 7, OrderNumber: "SO-000007", Lines: []PickLine{
		{ID: 11, Bin: "A-01", SKU: "CUP", Title: "Cup", Qty: 1},
		{ID: 12, Bin: "A-01", SKU: "MUG", Title: "Mug", Qty: 2},
		{ID: 13, Bin: "B-01", SKU: "BOWL", Title: "Bowl", Qty: 1},
	}}
	t.Refresh()
	return t
}

func bin(code string) Scanned  { return Scanned{Code: code, Bin: code} }
func tote(code string) Scanned { return Scanned{Code: strings.ToLower(code), Tote: code} }
func item(sku string) Scanned {
	return Scanned{Code: "code-" + sku, SKU: sku, Title: strings.ToUpper(sku[:1]) + strings.ToLower(sku[1:])}
}

func TestPickTaskScanAccepted(t *testing.T) {
	task := newPickTask()
	steps := []struct {
		scan    Scanned
		want    string
		binOK   bool
		current int64
	}{
		{tote("TOTE-3"), "Tote TOTE-3", false, 11},
		{bin("A-01"), "Bin A-01 confirmed", true, 11},
		{bin("A-01"), "Bin A-01 confirmed", true, 11},
		{item("CUP"), "Cup 1 / 1", true, 12}, // the next line is in the same bin
		{item("MUG"), "Mug 1 / 2", true, 12},
		{item("MUG"), "Mug 2 / 2", false, 13}, // the next line is in another bin
		{bin("B-01"), "Bin B-01 confirmed", true, 13},
		{item("BOWL"), "Bowl 1 / 1", false, 0},
	}
	for i, s := range steps {
		v := task.Scan(s.scan)
		if !v.OK || v.Message != s.want || v.Code != s.scan.Code {
			t.Fatalf("step %d: verdict %+v, want accepted %q", i, v, s.want)
		}
		if task.BinConfirmed != s.binOK || task.CurrentLine != s.current {
			t.Errorf("step %d: bin confirmed %v, current line %d; want %v, %d",
				i, task.BinConfirmed, task.CurrentLine, s.binOK, s.current)
		}
	}
	if !task.Complete || task.Tote != "TOTE-3" || task.Current() != nil {
		t.Errorf("task %+v: want complete in TOTE-3", task)
	}
	for _, l := range task.Lines {
		if l.Picked != l.Qty || l.Status != LineDone {
			t.Errorf("line %+v: want all picked, done", l)
		}
	}
	if err := task.CheckComplete(); err != nil {
		t.Errorf("CheckComplete: %v", err)
	}
}

// TestPickTaskScanRefused checks every refusal: the verdict names what is
// wrong and what to do, and the task is left exactly as it was.
func TestPickTaskScanRefused(t *testing.T) {
	tests := []struct {
		name string
		prep []Scanned
		scan Scanned
		want string
	}{
		{"item before bin", nil, item("CUP"), "Scan bin A-01 first"},
		{"wrong bin", nil, bin("B-01"), "Wrong bin B-01: go to A-01"},
		{"wrong bin after the right one", []Scanned{bin("A-01")}, bin("B-01"), "Wrong bin B-01: go to A-01"},
		{"wrong item", []Scanned{bin("A-01")}, item("MUG"),
			"Wrong item: Mug (MUG); take Cup (CUP) from A-01"},
		{"item of a later line in another bin", []Scanned{bin("A-01")}, item("BOWL"),
			"Wrong item: Bowl (BOWL); take Cup (CUP) from A-01"},
		{"over-pick of a done line", []Scanned{bin("A-01"), item("CUP")}, item("CUP"),
			"Wrong item: Cup (CUP); take Mug (MUG) from A-01"},
		{"unknown code", []Scanned{bin("A-01")}, Scanned{Code: "??"}, `Unknown barcode "??"`},
		{"item after the walk left the bin", []Scanned{bin("A-01"), item("CUP"), item("MUG"), item("MUG")},
			item("BOWL"), "Scan bin B-01 first"},
		{"anything after the last line",
			[]Scanned{bin("A-01"), item("CUP"), item("MUG"), item("MUG"), bin("B-01"), item("BOWL")},
			item("BOWL"), "All lines are done: press Complete"},
		{"bin after the last line",
			[]Scanned{bin("A-01"), item("CUP"), item("MUG"), item("MUG"), bin("B-01"), item("BOWL")},
			bin("B-01"), "All lines are done: press Complete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := newPickTask()
			for _, s := range tt.prep {
				if v := task.Scan(s); !v.OK {
					t.Fatalf("prep scan %+v refused: %s", s, v.Message)
				}
			}
			before := clonePickTask(task)

			v := task.Scan(tt.scan)
			if v.OK || v.Message != tt.want || v.Code != tt.scan.Code {
				t.Errorf("verdict %+v, want refused with %q", v, tt.want)
			}
			if !reflect.DeepEqual(task, before) {
				t.Errorf("a refused scan changed the task:\n%+v\nwant:\n%+v", task, before)
			}
		})
	}
}

func clonePickTask(t *PickTask) *PickTask {
	c := *t
	c.Lines = append([]PickLine(nil), t.Lines...)
	return &c
}

func TestPickTaskRefresh(t *testing.T) {
	tests := []struct {
		name     string
		lines    []PickLine
		statuses []string
		current  int64
		complete bool
	}{
		{"nothing picked", []PickLine{{ID: 1, Qty: 2}, {ID: 2, Qty: 1}},
			[]string{LineOpen, LineOpen}, 1, false},
		{"first done", []PickLine{{ID: 1, Qty: 2, Picked: 2}, {ID: 2, Qty: 1}},
			[]string{LineDone, LineOpen}, 2, false},
		{"first partly picked", []PickLine{{ID: 1, Qty: 2, Picked: 1}, {ID: 2, Qty: 1}},
			[]string{LineOpen, LineOpen}, 1, false},
		{"first short", []PickLine{{ID: 1, Qty: 2, Picked: 1, Short: 1}, {ID: 2, Qty: 1}},
			[]string{LineShort, LineOpen}, 2, false},
		{"all short", []PickLine{{ID: 1, Qty: 2, Short: 2}, {ID: 2, Qty: 1, Short: 1}},
			[]string{LineShort, LineShort}, 0, true},
		{"done and short", []PickLine{{ID: 1, Qty: 2, Picked: 2}, {ID: 2, Qty: 1, Short: 1}},
			[]string{LineDone, LineShort}, 0, true},
		{"open after a done line later in the walk", []PickLine{{ID: 1, Qty: 1}, {ID: 2, Qty: 1, Picked: 1}},
			[]string{LineOpen, LineDone}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := &PickTask{Lines: tt.lines, CurrentLine: 99, Complete: !tt.complete}
			task.Refresh()
			var got []string
			for _, l := range task.Lines {
				got = append(got, l.Status)
			}
			if !reflect.DeepEqual(got, tt.statuses) || task.CurrentLine != tt.current ||
				task.Complete != tt.complete {
				t.Errorf("statuses %v, current %d, complete %v; want %v, %d, %v",
					got, task.CurrentLine, task.Complete, tt.statuses, tt.current, tt.complete)
			}
			cur := task.Current()
			if (cur == nil) != tt.complete || (cur != nil && cur.ID != tt.current) {
				t.Errorf("Current() = %+v, want line %d", cur, tt.current)
			}
		})
	}
}

func TestPickTaskShortCurrent(t *testing.T) {
	tests := []struct {
		name    string
		prep    []Scanned
		lineID  int64
		short   int64 // line 12's short quantity; 0 when refused
		wantErr string
	}{
		{"current line by id 0", []Scanned{bin("A-01"), item("CUP")}, 0, 2, ""},
		{"current line by its id", []Scanned{bin("A-01"), item("CUP")}, 12, 2, ""},
		{"after a partial pick", []Scanned{bin("A-01"), item("CUP"), item("MUG")}, 12, 1, ""},
		{"a line that is not current", nil, 12, 0, "line 12 is not the line being picked"},
		{"a line that is done", []Scanned{bin("A-01"), item("CUP")}, 11, 0,
			"line 11 is not the line being picked"},
		{"no line left", []Scanned{bin("A-01"), item("CUP"), item("MUG"), item("MUG"), bin("B-01"),
			item("BOWL")}, 0, 0, "nothing left to short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := newPickTask()
			for _, s := range tt.prep {
				if v := task.Scan(s); !v.OK {
					t.Fatalf("prep scan %+v refused: %s", s, v.Message)
				}
			}
			before := clonePickTask(task)

			l, n, err := task.ShortCurrent(tt.lineID)
			if tt.wantErr != "" {
				if ErrorCode(err) != EConflict || !strings.Contains(err.Error(), tt.wantErr) || l != nil || n != 0 {
					t.Errorf("ShortCurrent(%d) = %+v, %d, %v; want conflict %q", tt.lineID, l, n, err, tt.wantErr)
				}
				if !reflect.DeepEqual(task, before) {
					t.Errorf("a refused short changed the task:\n%+v\nwant:\n%+v", task, before)
				}
				return
			}
			if err != nil || l == nil || l.ID != 12 || n != tt.short || l.Short != tt.short ||
				l.Status != LineShort {
				t.Fatalf("ShortCurrent(%d) = %+v, %d, %v; want line 12 short %d", tt.lineID, l, n, err, tt.short)
			}
			if task.CurrentLine != 13 || task.BinConfirmed {
				t.Errorf("after short: current %d, bin confirmed %v; want line 13, bin to confirm",
					task.CurrentLine, task.BinConfirmed)
			}
			if shorts := task.Shorts(); len(shorts) != 1 || shorts[0].ID != 12 {
				t.Errorf("Shorts() = %+v, want line 12", shorts)
			}
		})
	}
}

func TestPickTaskCheckComplete(t *testing.T) {
	task := newPickTask()
	for _, s := range []Scanned{bin("A-01"), item("CUP"), item("MUG")} {
		task.Scan(s)
	}
	err := task.CheckComplete()
	want := "cannot complete task 7: not picked yet: MUG 1/2 at A-01, BOWL 0/1 at B-01"
	if ErrorCode(err) != EConflict || err.Error() != want {
		t.Errorf("CheckComplete() = %v, want conflict %q", err, want)
	}

	if _, _, err := task.ShortCurrent(0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := task.ShortCurrent(13); err != nil {
		t.Fatal(err)
	}
	if err := task.CheckComplete(); err != nil {
		t.Errorf("CheckComplete() with every line done or short = %v", err)
	}
	if got := len(task.Shorts()); got != 2 {
		t.Errorf("%d short lines, want 2", got)
	}
}
