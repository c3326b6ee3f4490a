package oms

import (
	"reflect"
	"testing"
)

// newPackSession has MUG twice (on two lines, as two channel lines may) and
// one CUP.
func newPackSession() *PackSession {
	return &PackSession{OrderNumber: "SO-000009", Status: PackOpen, Lines: []PackLine{
		{ID: 1, SKU: "MUG", Title: "Mug", Qty: 1},
		{ID: 2, SKU: "CUP", Title: "Cup", Qty: 1},
		{ID: 3, SKU: "MUG", Title: "Mug", Qty: 1},
	}}
}

func TestPackSessionScan(t *testing.T) {
	tests := []struct {
		name     string
		prep     []Scanned
		scan     Scanned
		want     Verdict
		line     int64   // the line that changed; 0 for none
		verified []int64 // every line's verified count afterwards
	}{
		{"item", nil, item("CUP"), Verdict{OK: true, Code: "code-CUP", Message: "Cup 1 / 1"}, 2,
			[]int64{0, 1, 0}},
		{"first line of a SKU first", nil, item("MUG"), Verdict{OK: true, Code: "code-MUG", Message: "Mug 1 / 1"}, 1,
			[]int64{1, 0, 0}},
		{"then its next line", []Scanned{item("MUG")}, item("MUG"),
			Verdict{OK: true, Code: "code-MUG", Message: "Mug 1 / 1"}, 3, []int64{1, 0, 1}},
		{"too many", []Scanned{item("CUP")}, item("CUP"),
			Verdict{Code: "code-CUP", Message: "Too many: Cup is already 1 / 1"}, 0, []int64{0, 1, 0}},
		{"too many of a SKU on two lines", []Scanned{item("MUG"), item("MUG")}, item("MUG"),
			Verdict{Code: "code-MUG", Message: "Too many: Mug is already 1 / 1"}, 0, []int64{1, 0, 1}},
		{"not in order", nil, item("BOWL"),
			Verdict{Code: "code-BOWL", Message: "Not in order SO-000009: Bowl (BOWL)"}, 0, []int64{0, 0, 0}},
		{"bin", nil, bin("A-01"), Verdict{Code: "A-01", Message: "A-01 is a bin, not an item"}, 0,
			[]int64{0, 0, 0}},
		{"tote", nil, tote("TOTE-1"), Verdict{Code: "tote-1", Message: `Unknown barcode "tote-1"`}, 0,
			[]int64{0, 0, 0}},
		{"unknown", nil, Scanned{Code: "??"}, Verdict{Code: "??", Message: `Unknown barcode "??"`}, 0,
			[]int64{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPackSession()
			for _, s := range tt.prep {
				if v, _ := p.Scan(s); !v.OK {
					t.Fatalf("prep scan %+v refused: %s", s, v.Message)
				}
			}
			v, l := p.Scan(tt.scan)
			if v != tt.want {
				t.Errorf("verdict %+v, want %+v", v, tt.want)
			}
			switch {
			case tt.line == 0 && l != nil:
				t.Errorf("changed line %+v, want none", l)
			case tt.line != 0 && (l == nil || l.ID != tt.line):
				t.Errorf("changed line %+v, want line %d", l, tt.line)
			case l != nil && l != &p.Lines[tt.line-1]:
				t.Errorf("the changed line is a copy, not the session's line")
			}
			var got []int64
			for _, l := range p.Lines {
				got = append(got, l.Verified)
			}
			if !reflect.DeepEqual(got, tt.verified) {
				t.Errorf("verified %v, want %v", got, tt.verified)
			}
		})
	}
}

func TestPackSessionCheckVerified(t *testing.T) {
	tests := []struct {
		name  string
		scans []Scanned
		want  string // "" when the label may be released
	}{
		{"nothing verified", nil,
			"cannot release the label of order SO-000009: MUG verified 0 of 1, CUP verified 0 of 1, MUG verified 0 of 1"},
		{"one line left", []Scanned{item("MUG"), item("CUP")},
			"cannot release the label of order SO-000009: MUG verified 0 of 1"},
		{"everything verified", []Scanned{item("MUG"), item("CUP"), item("MUG")}, ""},
		{"a refused extra scan", []Scanned{item("MUG"), item("CUP"), item("MUG"), item("MUG")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPackSession()
			for _, s := range tt.scans {
				p.Scan(s)
			}
			err := p.CheckVerified()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckVerified() = %v, want nil", err)
			case tt.want != "" && (ErrorCode(err) != EConflict || err.Error() != tt.want):
				t.Errorf("CheckVerified() = %v, want conflict %q", err, tt.want)
			}
			if p.Verified() != (tt.want == "") {
				t.Errorf("Verified() = %v, want %v", p.Verified(), tt.want == "")
			}
		})
	}
}
