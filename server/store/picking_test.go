package store_test

import (
	"fmt"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// walkFixture has one allocated order, SO-000001, whose lines are entered
// out of bin order: MUG x2 in C-01-01, CUP x1 in A-01-01, BOWL x1 in B-01-01.
func walkFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.catalog(stocked("MUG", "C-01-01"), stocked("CUP", "A-01-01"), stocked("BOWL", "B-01-01"))
	f.stock(row("MUG", "C-01-01", 5), row("CUP", "A-01-01", 5), row("BOWL", "B-01-01", 5))
	f.order("W-1", line("MUG", 2), line("CUP", 1), line("BOWL", 1))
	return f
}

func TestPickTaskFollowsBinWalk(t *testing.T) {
	f := walkFixture(t)
	task := f.task("ann")

	want := []struct{ bin, sku string }{{"A-01-01", "CUP"}, {"B-01-01", "BOWL"}, {"C-01-01", "MUG"}}
	if len(task.Lines) != len(want) {
		t.Fatalf("task lines %+v, want %d", task.Lines, len(want))
	}
	for i, w := range want {
		if l := task.Lines[i]; l.Bin != w.bin || l.SKU != w.sku || l.Status != oms.LineOpen {
			t.Errorf("line %d: %s %s %s, want %s %s open", i, l.Bin, l.SKU, l.Status, w.bin, w.sku)
		}
	}
	if task.OrderNumber != "SO-000001" || task.CurrentLine != task.Lines[0].ID || task.BinConfirmed {
		t.Errorf("task %+v: want SO-000001 on its first line, no bin confirmed", task)
	}
	f.wantStatus("SO-000001", store.StatusPicking, "")

	if again := f.task("ann"); again.ID != task.ID {
		t.Errorf("second NextPickTask gave task %d, want the open task %d", again.ID, task.ID)
	}
	_, err := f.st.NextPickTask(f.ctx, "bob")
	wantErr(t, err, oms.ENotFound)
}

// TestPickScanRefused plays the scans in prep (each must be accepted) and
// then one wrong scan, which must be refused with the reason, recorded, and
// change nothing else.
func TestPickScanRefused(t *testing.T) {
	tests := []struct {
		name string
		prep []string
		scan string
		want string
	}{
		{"item before its bin", nil, "CUP", "Scan bin A-01-01 first"},
		{"wrong bin", nil, "C-01-01", "Wrong bin C-01-01: go to A-01-01"},
		{"bin of a later line", []string{"A-01-01"}, "B-01-01", "Wrong bin B-01-01: go to A-01-01"},
		{"wrong item", []string{"A-01-01"}, "MUG",
			"Wrong item: Title of MUG (MUG); take Title of CUP (CUP) from A-01-01"},
		{"unknown code", []string{"A-01-01"}, "ZZ-404", `Unknown barcode "ZZ-404"`},
		{"item of a done line", []string{"A-01-01", "CUP", "B-01-01"}, "CUP",
			"Wrong item: Title of CUP (CUP); take Title of BOWL (BOWL) from B-01-01"},
		{"over-pick of the current line", []string{"A-01-01", "CUP", "B-01-01", "BOWL", "C-01-01", "MUG", "MUG"},
			"MUG", "All lines are done: press Complete"},
		{"item after the bin walk moved on", []string{"A-01-01", "CUP"}, "BOWL", "Scan bin B-01-01 first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := walkFixture(t)
			f.task("ann")
			for _, code := range tt.prep {
				f.mustPick("ann", code)
			}
			db := f.raw()
			before := dump(t, db, tables...)
			taskBefore := f.task("ann")

			res := f.pickScan("ann", tt.scan)
			if res.Verdict.OK || res.Verdict.Message != tt.want || res.Verdict.Code != tt.scan {
				t.Errorf("verdict %+v, want refused with %q", res.Verdict, tt.want)
			}
			if after := dump(t, db, tables...); after != before {
				t.Errorf("a refused scan changed the database:\n%s\nwant:\n%s", after, before)
			}
			if got := f.task("ann"); got.BinConfirmed != taskBefore.BinConfirmed ||
				got.CurrentLine != taskBefore.CurrentLine {
				t.Errorf("task after refused scan %+v, before %+v", got, taskBefore)
			}
			scans, err := f.st.RecentScans(f.ctx, 1)
			if err != nil || len(scans) != 1 || scans[0].OK || scans[0].Code != tt.scan ||
				scans[0].Message != tt.want || scans[0].Where != "pick" || scans[0].User != "ann" {
				t.Errorf("recorded scan %+v, %v; want the refused scan", scans, err)
			}
		})
	}
}

func TestPickScanAccepted(t *testing.T) {
	f := walkFixture(t)
	f.task("ann")
	steps := []struct {
		code, want string
		binOK      bool
	}{
		{"tote-9", "Tote TOTE-9", false},
		{"a-01-01", "Bin A-01-01 confirmed", true},
		{"CUP", "Title of CUP 1 / 1", false},
		{" B-01-01 ", "Bin B-01-01 confirmed", true},
		{"BOWL", "Title of BOWL 1 / 1", false},
		{"C-01-01", "Bin C-01-01 confirmed", true},
		{"MUG", "Title of MUG 1 / 2", true},
		{"MUG", "Title of MUG 2 / 2", false},
	}
	for _, s := range steps {
		res := f.pickScan("ann", s.code)
		if !res.Verdict.OK || res.Verdict.Message != s.want || res.Task.BinConfirmed != s.binOK {
			t.Fatalf("scan %q: %+v, bin confirmed %v; want %q, bin confirmed %v",
				s.code, res.Verdict, res.Task.BinConfirmed, s.want, s.binOK)
		}
	}
	task := f.task("ann")
	if !task.Complete || task.Tote != "TOTE-9" {
		t.Errorf("task %+v: want complete, in TOTE-9", task)
	}
}

func TestPickReplayCountsOnce(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	f.order("W-1", line("MUG", 3))
	f.task("ann")
	scan := func(cmd, code string) *store.PickResult {
		t.Helper()
		res, err := f.st.PickScan(f.ctx, "ann", cmd, code)
		if err != nil {
			t.Fatalf("scan %s %s: %v", cmd, code, err)
		}
		return res
	}
	steps := []struct {
		cmd, code, want string
		ok, replay      bool
		picked          int64
	}{
		{"c1", "A-01-01", "Bin A-01-01 confirmed", true, false, 0},
		{"c2", "MUG", "Title of MUG 1 / 3", true, false, 1},
		{"c2", "MUG", "Title of MUG 1 / 3", true, true, 1},
		{"c3", "CUP", `Unknown barcode "CUP"`, false, false, 1},
		{"c3", "CUP", `Unknown barcode "CUP"`, false, true, 1},
		{"c3", "MUG", `Unknown barcode "CUP"`, false, true, 1}, // the id decides, not the code
		{"c4", "MUG", "Title of MUG 2 / 3", true, false, 2},
	}
	for i, s := range steps {
		res := scan(s.cmd, s.code)
		if res.Verdict.OK != s.ok || res.Verdict.Message != s.want {
			t.Errorf("step %d (%s %s): verdict %+v, want ok=%v %q", i, s.cmd, s.code, res.Verdict, s.ok, s.want)
		}
		if (res.Scan == nil) != s.replay {
			t.Errorf("step %d (%s %s): recorded scan %+v, want a replay: %v", i, s.cmd, s.code, res.Scan, s.replay)
		}
		if got := f.task("ann").Lines[0].Picked; got != s.picked {
			t.Errorf("step %d (%s %s): picked %d, want %d", i, s.cmd, s.code, got, s.picked)
		}
	}
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM scans`); n != 4 {
		t.Errorf("%d scans recorded, want 4 (replays are not recorded again)", n)
	}
}

func TestCompletePickTask(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", ""), stocked("CUP", "B-01-01"))
	f.stock(row("MUG", "A-01-01", 2), row("MUG", "A-02-01", 3), row("CUP", "B-01-01", 4))
	f.order("W-1", line("MUG", 4), line("CUP", 1)) // 3 from A-02-01, 1 from A-01-01
	f.order("W-2", line("MUG", 1))                 // the last free unit of A-01-01
	f.wantStock("MUG", "A-01-01", 2, 2)
	f.wantStock("MUG", "A-02-01", 3, 3)

	f.task("ann")
	f.mustPick("ann", "A-01-01")
	f.mustPick("ann", "MUG")
	f.mustPick("ann", "A-02-01")
	f.mustPick("ann", "MUG")
	db := f.raw()
	before := dump(t, db, tables...)
	_, err := f.st.CompletePickTask(f.ctx, "ann")
	wantErr(t, err, oms.EConflict, "not picked yet", "MUG 1/3 at A-02-01", "CUP 0/1 at B-01-01")
	if after := dump(t, db, tables...); after != before {
		t.Errorf("a refused complete changed the database:\n%s\nwant:\n%s", after, before)
	}

	f.mustPick("ann", "MUG")
	f.mustPick("ann", "MUG")
	f.mustPick("ann", "B-01-01")
	f.mustPick("ann", "CUP")
	task, err := f.st.CompletePickTask(f.ctx, "ann")
	if err != nil || !task.Complete || len(task.Shorts()) != 0 {
		t.Fatalf("complete: %+v, %v", task, err)
	}
	f.wantStatus("SO-000001", store.StatusPicked, "")
	f.wantStock("MUG", "A-01-01", 1, 1) // W-2's unit stays allocated
	f.wantStock("MUG", "A-02-01", 0, 0)
	f.wantStock("CUP", "B-01-01", 3, 0)

	_, err = f.st.CompletePickTask(f.ctx, "ann")
	wantErr(t, err, oms.ENotFound)
	if next := f.task("ann"); next.OrderNumber != "SO-000002" {
		t.Errorf("next task is for %s, want SO-000002", next.OrderNumber)
	}
}

func TestShortPick(t *testing.T) {
	f := walkFixture(t)
	task := f.task("ann")
	f.mustPick("ann", "A-01-01")
	f.mustPick("ann", "CUP")
	f.mustPick("ann", "B-01-01")
	f.mustPick("ann", "BOWL")
	f.mustPick("ann", "C-01-01")
	f.mustPick("ann", "MUG")

	db := f.raw()
	before := dump(t, db, tables...)
	_, err := f.st.PickShort(f.ctx, "ann", "", task.Lines[0].ID)
	wantErr(t, err, oms.EConflict, "not the line being picked")
	if after := dump(t, db, tables...); after != before {
		t.Errorf("a refused short changed the database:\n%s\nwant:\n%s", after, before)
	}

	res, err := f.st.PickShort(f.ctx, "ann", "", task.Lines[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verdict.OK || res.Verdict.Message != "Short pick recorded: 1 x MUG missing at C-01-01" {
		t.Errorf("short verdict %+v", res.Verdict)
	}
	if l := res.Task.Lines[2]; l.Picked != 1 || l.Short != 1 || l.Status != oms.LineShort || !res.Task.Complete {
		t.Errorf("short line %+v in task %+v", l, res.Task)
	}
	f.wantStatus("SO-000001", store.StatusPicking, "")

	if _, err := f.st.CompletePickTask(f.ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	f.wantStatus("SO-000001", store.StatusException, "short pick: MUG short 1 at C-01-01")
	f.wantStock("MUG", "C-01-01", 4, 0) // the one picked left; the short unit's allocation is released
	f.wantStock("CUP", "A-01-01", 4, 0)
	f.wantStock("BOWL", "B-01-01", 4, 0)
}

func TestCompleteRefusedWhileLineOpenAfterShort(t *testing.T) {
	f := walkFixture(t)
	f.task("ann")
	if _, err := f.st.PickShort(f.ctx, "ann", "", 0); err != nil {
		t.Fatal(err)
	}
	_, err := f.st.CompletePickTask(f.ctx, "ann")
	wantErr(t, err, oms.EConflict, "BOWL 0/1 at B-01-01", "MUG 0/2 at C-01-01")
	f.wantStatus("SO-000001", store.StatusPicking, "")
	f.wantStock("CUP", "A-01-01", 5, 1)
}

func TestPickWithoutTask(t *testing.T) {
	f := walkFixture(t)
	_, err := f.st.PickScan(f.ctx, "nobody", "", "A-01-01")
	wantErr(t, err, oms.ENotFound, "nobody")
	_, err = f.st.PickShort(f.ctx, "nobody", "", 0)
	wantErr(t, err, oms.ENotFound, "nobody")
	_, err = f.st.CompletePickTask(f.ctx, "nobody")
	wantErr(t, err, oms.ENotFound, "nobody")
}

// TestPickShowsCatalogueTitle takes an order whose lines carry no title, as
// an API caller may send it: pickers and packers must still see what to take.
func TestPickShowsCatalogueTitle(t *testing.T) {
	f := newFixture(t)
	f.catalog(oms.Product{SKU: "MUG", Title: "Blue mug", Stocked: true, Bin: "A-01-01"},
		oms.Product{SKU: "CUP", Title: "Red cup", Stocked: true, Bin: "A-01-01"})
	f.stock(row("MUG", "A-01-01", 5), row("CUP", "A-01-01", 5))
	o := orderInput("W-1", oms.OrderLineInput{SKU: "MUG", Qty: 1}, oms.OrderLineInput{SKU: "CUP", Qty: 1})
	if _, _, err := f.st.CreateOrder(f.ctx, "api", o); err != nil {
		t.Fatal(err)
	}
	task := f.task("ann")
	if task.Lines[0].Title != "Blue mug" {
		t.Errorf("pick line title %q, want the catalogue's %q", task.Lines[0].Title, "Blue mug")
	}
	f.mustPick("ann", "A-01-01")
	if v := f.pickScan("ann", "CUP").Verdict; v.Message != "Wrong item: Red cup (CUP); take Blue mug (MUG) from A-01-01" {
		t.Errorf("wrong item verdict %q", v.Message)
	}
	if v := f.pickScan("ann", "MUG").Verdict; v.Message != "Blue mug 1 / 1" {
		t.Errorf("pick verdict %q, want %q", v.Message, "Blue mug 1 / 1")
	}
}

// TestShortReplayCountsOnce sends the same short command twice: the second
// gets the first answer and shorts nothing more.
func TestShortReplayCountsOnce(t *testing.T) {
	f := walkFixture(t)
	f.task("ann")
	first, err := f.st.PickShort(f.ctx, "ann", "cmd-short-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.st.PickShort(f.ctx, "ann", "cmd-short-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if again.Verdict != first.Verdict || again.Scan != nil {
		t.Errorf("replay = %+v (scan %v), want the first verdict %+v and no new scan",
			again.Verdict, again.Scan, first.Verdict)
	}
	if l := again.Task.Lines; l[0].Short != 1 || l[1].Short != 0 {
		t.Errorf("after a replayed short, lines = %+v; want only the first line short", l)
	}
}

// TestToteInUse refuses a tote that still holds another order, and frees it
// once that order has shipped.
func TestToteInUse(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 5))
	f.order("W-1", line("CUP", 1))
	f.order("W-2", line("CUP", 1))
	f.task("ann")
	f.mustPick("ann", "TOTE-1")
	f.task("bob")
	if v := f.pickScan("bob", "tote-1").Verdict; v.OK || v.Message != "Tote TOTE-1 holds order SO-000001: take an empty tote" {
		t.Errorf("tote in use: %+v", v)
	}
	f.mustPick("bob", "TOTE-2")
}

// TestReleaseUntouchedTask returns a task nobody started to the pool, keeps
// one with progress, and lets a supervisor hand a task to someone else.
func TestReleaseUntouchedTask(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 5))
	f.order("W-1", line("CUP", 2))
	first := f.task("ann")
	f.mustPick("ann", "A-01-01")
	if ok, err := f.st.ReleaseUntouchedTask(f.ctx, "ann"); err != nil || !ok {
		t.Fatalf("release untouched: %v, %v", ok, err)
	}
	f.wantStatus("SO-000001", store.StatusAllocated, "")
	again := f.task("bob")
	if again.OrderNumber != "SO-000001" || again.ID == first.ID || again.BinConfirmed {
		t.Errorf("task after release: %+v", again)
	}
	f.mustPick("bob", "A-01-01")
	f.mustPick("bob", "CUP")
	if ok, err := f.st.ReleaseUntouchedTask(f.ctx, "bob"); err != nil || ok {
		t.Errorf("a task with a picked unit was released: %v, %v", ok, err)
	}

	moved, err := f.st.AssignTask(f.ctx, "sue", again.ID, "cy")
	if err != nil || moved.Picker != "cy" || moved.Lines[0].Picked != 1 {
		t.Fatalf("assign: %+v, %v", moved, err)
	}
	if got := f.task("cy"); got.ID != again.ID || got.BinConfirmed {
		t.Errorf("cy's task %+v, want task %d with the bin to confirm again", got, again.ID)
	}
	_, err = f.st.AssignTask(f.ctx, "sue", 999, "cy")
	wantErr(t, err, oms.ENotFound, "no pick task 999")
	open, err := f.st.OpenTasks(f.ctx)
	if err != nil || len(open) != 1 || open[0].Picker != "cy" {
		t.Errorf("open tasks %+v, %v", open, err)
	}
}

// TestToteSwapRefused: a task keeps the tote it started in.
func TestToteSwapRefused(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 5))
	f.order("W-1", line("CUP", 1))
	f.task("ann")
	f.mustPick("ann", "TOTE-40")
	f.mustPick("ann", "tote-40")
	if v := f.pickScan("ann", "TOTE-41").Verdict; v.OK || v.Message != "This order is already in tote TOTE-40: keep using it" {
		t.Errorf("tote swap: %+v", v)
	}
	if v := f.pickScan("ann", "TOTE-").Verdict; v.OK || v.Message != `Unknown barcode "TOTE-"` {
		t.Errorf("bare tote prefix: %+v", v)
	}
}

// TestAssignToPickerWithUntouchedTask: the supervisor can hand a task to a
// picker who was auto-given one they have not started; that one goes back to
// the pool. A picker who started theirs is refused.
func TestAssignToPickerWithUntouchedTask(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 5))
	f.order("W-1", line("CUP", 1))
	f.order("W-2", line("CUP", 1))
	first := f.task("ann")
	f.task("bob")
	moved, err := f.st.AssignTask(f.ctx, "sue", first.ID, "bob")
	if err != nil || moved.Picker != "bob" {
		t.Fatalf("assign: %+v, %v", moved, err)
	}
	f.wantStatus("SO-000002", store.StatusAllocated, "")
	second := f.task("cy")
	f.mustPick("cy", "A-01-01")
	f.mustPick("cy", "CUP")
	_, err = f.st.AssignTask(f.ctx, "sue", first.ID, "cy")
	wantErr(t, err, oms.EConflict, "cy is busy with pick task "+fmt.Sprint(second.ID)+" (order SO-000002)")
}

// TestCompleteReplayCountsOnce: a completion sent again (a reconnecting
// handheld) answers with the task it completed and never completes the next.
func TestCompleteReplayCountsOnce(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 5))
	f.order("W-1", line("CUP", 1))
	f.order("W-2", line("CUP", 1))
	first := f.task("ann")
	f.mustPick("ann", "A-01-01")
	f.mustPick("ann", "CUP")
	if _, replayed, err := f.st.CompletePickCommand(f.ctx, "ann", "done-1"); err != nil || replayed {
		t.Fatalf("complete: replayed %v, %v", replayed, err)
	}
	second := f.task("ann")
	f.mustPick("ann", "A-01-01")
	f.mustPick("ann", "CUP")
	got, replayed, err := f.st.CompletePickCommand(f.ctx, "ann", "done-1")
	if err != nil || !replayed || got.ID != first.ID {
		t.Fatalf("replayed complete: task %+v, replayed %v, %v", got, replayed, err)
	}
	f.wantStatus("SO-000002", store.StatusPicking, "")
	if again := f.task("ann"); again.ID != second.ID {
		t.Errorf("open task %d, want %d still open", again.ID, second.ID)
	}
}
