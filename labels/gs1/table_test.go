package gs1

import (
	"bytes"
	"os"
	"testing"

	"github.com/shipshape-oms/shipshape/labels/gs1/internal/dict"
)

// TestTableUpToDate regenerates table.go in memory from the dictionary copy and
// fails when the committed file differs: run `go generate ./labels/gs1` after
// changing the dictionary or the generator.
func TestTableUpToDate(t *testing.T) {
	src, err := os.ReadFile("internal/gen/gs1-syntax-dictionary.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, err := dict.Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("table.go is out of date with internal/gen/gs1-syntax-dictionary.txt; " +
			"run go generate ./labels/gs1")
	}
}

// TestDictionaryCopy checks that the package's copy of the dictionary is the shared
// one the project tracks, where that is present.
func TestDictionaryCopy(t *testing.T) {
	shared, err := os.ReadFile(vectors + "gs1-syntax-dictionary.txt")
	if os.IsNotExist(err) {
		t.Skip("no shared dictionary beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile("internal/gen/gs1-syntax-dictionary.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, ours) {
		t.Error("internal/gen/gs1-syntax-dictionary.txt differs from the shared dictionary")
	}
}

func TestTableContents(t *testing.T) {
	tests := []struct {
		ai         string
		fixed, dl  bool
		length     int // 0: variable
		maxLength  int
		title      string
		pkey       bool
		qualifiers int
	}{
		{ai: "00", fixed: true, dl: true, length: 18, maxLength: 18, title: "SSCC", pkey: true},
		{ai: "01", fixed: true, dl: true, length: 14, maxLength: 14, title: "GTIN", pkey: true, qualifiers: 2},
		{ai: "10", dl: true, maxLength: 20, title: "BATCH/LOT"},
		{ai: "3105", fixed: true, dl: true, length: 6, maxLength: 6, title: "NET WEIGHT (kg)"},
		{ai: "423", dl: true, maxLength: 15, title: "COUNTRY - INITIAL PROCESS"},
		{ai: "8001", dl: true, length: 14, maxLength: 14, title: "DIMENSIONS"},
		{ai: "8003", dl: true, maxLength: 30, title: "GRAI", pkey: true},
		{ai: "99", dl: true, maxLength: 90, title: "INTERNAL"},
	}
	for _, tt := range tests {
		t.Run(tt.ai, func(t *testing.T) {
			d := byAI[tt.ai]
			if d == nil {
				t.Fatalf("(%s) missing from the table", tt.ai)
			}
			n, _ := d.length()
			if d.fixed != tt.fixed || d.dlAttr != tt.dl || n != tt.length || d.maxLength() != tt.maxLength ||
				d.title != tt.title || d.pkey != tt.pkey || len(d.qualifiers) != tt.qualifiers {
				t.Errorf("(%s) = %+v", tt.ai, *d)
			}
		})
	}
	if len(table) < 400 {
		t.Errorf("table has %d AIs; ranges not expanded?", len(table))
	}
}

// TestLintersKnown fails when the dictionary names a linter that is neither
// implemented nor listed as a known gap.
func TestLintersKnown(t *testing.T) {
	for _, d := range table {
		for _, c := range d.comps {
			for _, name := range c.linters {
				impl, gap := linters[name] != nil, unimplementedLinters[name]
				if impl == gap {
					t.Errorf("(%s) linter %q: implemented %v, listed as unimplemented %v",
						d.ai, name, impl, gap)
				}
			}
		}
	}
}
