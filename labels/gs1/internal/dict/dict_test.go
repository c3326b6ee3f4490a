package dict

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	es, err := Parse([]byte("# comment\n\n3100-3102  *?  N6  req=01,02 ex=310n  # NET WEIGHT (kg)\n" +
		"253  ?  N13,csum [X..17]  dlpkey=22,10|235  # GDTI\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 4 || es[0].AI != "3100" || es[2].AI != "3102" || !es[0].Fixed || !es[0].DLAttr {
		t.Fatalf("Parse = %+v", es)
	}
	if want := [][][]string{{{"01"}, {"02"}}}; !reflect.DeepEqual(es[1].Req, want) {
		t.Errorf("req = %v, want %v", es[1].Req, want)
	}
	g := es[3]
	want := []Component{{Cset: 'N', Min: 13, Max: 13, Linters: []string{"csum"}},
		{Cset: 'X', Min: 1, Max: 17, Optional: true}}
	if !reflect.DeepEqual(g.Comps, want) || g.Title != "GDTI" || !g.PKey ||
		!reflect.DeepEqual(g.Qualifiers, [][]string{{"22", "10"}, {"235"}}) {
		t.Errorf("253 = %+v", g)
	}
}

func TestParseErrors(t *testing.T) {
	for _, line := range []string{
		"01",             // no specification
		"3105-3100  N6",  // backwards range
		"1  N6",          // AI too short
		"10  Q6",         // unknown type
		"10  N..6 N2",    // variable component not last
		"10  [N2] N2",    // mandatory after optional
		"10  *  N..6",    // * with variable length
		"10  N6 foo=bar", // unknown attribute
		"10  [N6",        // unbalanced bracket
	} {
		if _, err := Parse([]byte(line + "\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("Parse(%q) error = %v, want one naming line 1", line, err)
		}
	}
}
