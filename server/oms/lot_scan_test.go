package oms

import (
	"reflect"
	"testing"
)

// lotted returns a scan of sku whose GS1 barcode carries lot and expiry.
func lotted(sku, lot, expiry string, expired bool) Scanned {
	s := item(sku)
	s.Code = "]C1 " + sku + " " + lot
	s.Lot, s.Expiry, s.Expired = lot, expiry, expired
	return s
}

// TestPickLotFromBarcode checks the lot and expiry a GS1 barcode carries
// against the pick line: the line's lot, any lot when the line has none, and
// never an expired item. A refusal changes nothing.
func TestPickLotFromBarcode(t *testing.T) {
	tests := []struct {
		name    string
		lineLot string
		scan    Scanned
		want    Verdict
	}{
		{"the line's lot", "L-2026-01", lotted("CUP", "L-2026-01", "2027-01-31", false),
			Verdict{OK: true, Message: "Cup 1 / 1"}},
		{"another lot", "L-2026-01", lotted("CUP", "L-2026-02", "2027-02-28", false),
			Verdict{Message: "Wrong lot L-2026-02: take lot L-2026-01 from A-01"}},
		{"lots differ only in case", "ab1", lotted("CUP", "AB1", "", false),
			Verdict{Message: "Wrong lot AB1: take lot ab1 from A-01"}},
		{"a line without a lot takes any", "", lotted("CUP", "L-9", "2027-01-31", false),
			Verdict{OK: true, Message: "Cup 1 / 1"}},
		{"a barcode without a lot is trusted", "L-2026-01", item("CUP"),
			Verdict{OK: true, Message: "Cup 1 / 1"}},
		{"expired", "L-2026-01", lotted("CUP", "L-2026-01", "2026-11-30", true),
			Verdict{Message: "Expired on 2026-11-30: put it aside and take another"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := newPickTask()
			task.Lines[0].Lot = tt.lineLot
			if v := task.Scan(bin("A-01")); !v.OK {
				t.Fatalf("bin refused: %s", v.Message)
			}
			before := clonePickTask(task)

			v := task.Scan(tt.scan)
			tt.want.Code = tt.scan.Code
			if v != tt.want {
				t.Fatalf("verdict %+v, want %+v", v, tt.want)
			}
			if !v.OK && !reflect.DeepEqual(task, before) {
				t.Errorf("a refused scan changed the task:\n%+v\nwant:\n%+v", task, before)
			}
			if v.OK && task.Lines[0].Picked != 1 {
				t.Errorf("picked %d, want 1", task.Lines[0].Picked)
			}
		})
	}
}

func TestPackRefusesExpiredItem(t *testing.T) {
	p := newPackSession()
	s := lotted("CUP", "L1", "2026-01-31", true)

	v, line := p.Scan(s)
	want := Verdict{Code: s.Code, Message: "Expired on 2026-01-31: put it aside and take another"}
	if v != want || line != nil || p.Lines[1].Verified != 0 {
		t.Fatalf("verdict %+v line %v verified %d; want %+v, nothing counted", v, line, p.Lines[1].Verified, want)
	}

	s.Expired = false
	if v, _ := p.Scan(s); !v.OK || p.Lines[1].Verified != 1 {
		t.Errorf("unexpired lotted item: verdict %+v verified %d", v, p.Lines[1].Verified)
	}
}
