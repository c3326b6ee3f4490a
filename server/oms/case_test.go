package oms

import "testing"

// caseOf is a scan of a barcode that stands for n units of sku.
func caseOf(sku string, n int64) Scanned {
	s := item(sku)
	s.Units = n
	return s
}

func TestPickCaseCountsItsUnits(t *testing.T) {
	tests := []struct {
		name   string
		qty    int64
		scan   Scanned
		ok     bool
		want   string
		picked int64
	}{
		{"case that fits", 24, caseOf("MUG", 12), true, "Mug 12 / 24", 12},
		{"case that finishes the line", 12, caseOf("MUG", 12), true, "Mug 12 / 12", 12},
		{"case larger than the line", 5, caseOf("MUG", 12), false,
			"Case of 12, only 5 left to pick: open the case and scan items", 0},
		{"single item", 5, caseOf("MUG", 1), true, "Mug 1 / 5", 1},
		{"units not set is one", 5, item("MUG"), true, "Mug 1 / 5", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := &PickTask{Lines: []PickLine{{ID: 1, Bin: "A-01", SKU: "MUG", Title: "Mug", Qty: tt.qty}}}
			task.Scan(bin("A-01"))
			v := task.Scan(tt.scan)
			if v.OK != tt.ok || v.Message != tt.want {
				t.Errorf("verdict %+v, want ok=%v %q", v, tt.ok, tt.want)
			}
			if got := task.Lines[0].Picked; got != tt.picked {
				t.Errorf("picked %d, want %d", got, tt.picked)
			}
		})
	}
}

func TestPickCaseRefusedAfterPartialPick(t *testing.T) {
	task := &PickTask{Lines: []PickLine{{ID: 1, Bin: "A-01", SKU: "MUG", Title: "Mug", Qty: 14}}}
	task.Scan(bin("A-01"))
	if v := task.Scan(caseOf("MUG", 12)); !v.OK {
		t.Fatalf("first case refused: %s", v.Message)
	}
	v := task.Scan(caseOf("MUG", 12))
	if v.OK || v.Message != "Case of 12, only 2 left to pick: open the case and scan items" {
		t.Errorf("second case: %+v", v)
	}
	if !task.BinConfirmed || task.Lines[0].Picked != 12 {
		t.Errorf("a refused case changed the task: %+v", task)
	}
}

func TestPackCaseCountsItsUnits(t *testing.T) {
	p := &PackSession{OrderNumber: "SO-000001", Lines: []PackLine{{ID: 1, SKU: "MUG", Title: "Mug", Qty: 5}}}
	v, l := p.Scan(caseOf("MUG", 12))
	if v.OK || l != nil || v.Message != "Case of 12, only 5 left to pack: open the case and scan items" {
		t.Errorf("case of 12 for 5: %+v, line %v", v, l)
	}
	if p.Lines[0].Verified != 0 {
		t.Errorf("refused case verified %d", p.Lines[0].Verified)
	}
	v, l = p.Scan(caseOf("MUG", 4))
	if !v.OK || l == nil || v.Message != "Mug 4 / 5" {
		t.Errorf("case of 4 for 5: %+v", v)
	}
}
