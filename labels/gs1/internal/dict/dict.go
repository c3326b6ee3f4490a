// Package dict reads the GS1 Barcode Syntax Dictionary and writes it out as the Go table
// that package gs1 compiles in. It is used by the generator (internal/gen) and by the
// test that checks the committed table is up to date.
package dict

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"regexp"
	"strconv"
	"strings"
)

// Component is one part of an AI's data field, e.g. "N14,csum" or "[X..17]".
type Component struct {
	Cset     byte // 'N', 'X', 'Y' or 'Z'
	Min, Max int
	Optional bool
	Linters  []string
}

// Entry is one AI of the dictionary (ranges are expanded into one Entry per AI).
type Entry struct {
	AI, Title, Spec string
	Fixed, DLAttr   bool
	Comps           []Component
	Req             [][][]string // per req= attribute: alternatives, each a set of patterns
	Ex              []string
	PKey            bool
	Qualifiers      [][]string // dlpkey=…: alternative qualifier sequences
}

var compRE = regexp.MustCompile(`^(\[?)([NXYZ])(\d*)(\.\.(\d+))?(\]?)$`)

// Parse reads the dictionary text. It returns an error naming the line that it cannot
// read.
func Parse(src []byte) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		es, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("dictionary line %d %q: %w", n, line, err)
		}
		out = append(out, es...)
	}
	return out, sc.Err()
}

func parseLine(line string) ([]Entry, error) {
	var e Entry
	body, title, _ := strings.Cut(line, "#")
	e.Title = strings.TrimSpace(title)
	f := strings.Fields(body)
	if len(f) < 2 {
		return nil, fmt.Errorf("want AI and specification")
	}
	ais, err := expand(f[0])
	if err != nil {
		return nil, err
	}
	f = f[1:]
	if strings.Trim(f[0], "*?") == "" {
		e.Fixed = strings.Contains(f[0], "*")
		e.DLAttr = strings.Contains(f[0], "?")
		f = f[1:]
	}
	var spec []string
	for _, tok := range f {
		if strings.Contains(tok, "=") || tok == "dlpkey" {
			if err := e.attribute(tok); err != nil {
				return nil, err
			}
			continue
		}
		c, err := parseComp(tok)
		if err != nil {
			return nil, err
		}
		e.Comps = append(e.Comps, c)
		spec = append(spec, tok)
	}
	e.Spec = strings.Join(spec, " ")
	if err := e.check(); err != nil {
		return nil, err
	}
	out := make([]Entry, len(ais))
	for i, ai := range ais {
		out[i] = e
		out[i].AI = ai
	}
	return out, nil
}

// expand turns "3100-3105" into its AIs.
func expand(s string) ([]string, error) {
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || len(lo) != len(hi) || len(lo) < 2 || len(lo) > 4 || a > b {
		return nil, fmt.Errorf("bad AI or range %q", s)
	}
	var out []string
	for i := a; i <= b; i++ {
		out = append(out, fmt.Sprintf("%0*d", len(lo), i))
	}
	return out, nil
}

func parseComp(tok string) (Component, error) {
	typ, lint, _ := strings.Cut(tok, ",")
	m := compRE.FindStringSubmatch(typ)
	if m == nil || (m[1] == "") != (m[6] == "") {
		return Component{}, fmt.Errorf("bad component %q", tok)
	}
	c := Component{Cset: m[2][0], Optional: m[1] == "["}
	if lint != "" {
		c.Linters = strings.Split(lint, ",")
	}
	if m[4] == "" {
		c.Min, _ = strconv.Atoi(m[3])
		c.Max = c.Min
	} else {
		c.Min = 1
		if m[3] != "" {
			c.Min, _ = strconv.Atoi(m[3])
		}
		c.Max, _ = strconv.Atoi(m[5])
	}
	if c.Max == 0 || c.Min > c.Max {
		return Component{}, fmt.Errorf("bad length in component %q", tok)
	}
	return c, nil
}

func (e *Entry) attribute(tok string) error {
	key, val, _ := strings.Cut(tok, "=")
	switch key {
	case "req":
		var alts [][]string
		for _, a := range strings.Split(val, ",") {
			alts = append(alts, strings.Split(a, "+"))
		}
		e.Req = append(e.Req, alts)
	case "ex":
		e.Ex = append(e.Ex, strings.Split(val, ",")...)
	case "dlpkey":
		e.PKey = true
		if val != "" {
			for _, alt := range strings.Split(val, "|") {
				e.Qualifiers = append(e.Qualifiers, strings.Split(alt, ","))
			}
		}
	default:
		return fmt.Errorf("unknown attribute %q", tok)
	}
	return nil
}

// check enforces the dictionary's own rules that the parser in package gs1 relies on.
func (e *Entry) check() error {
	if len(e.Comps) == 0 {
		return fmt.Errorf("no components")
	}
	for i, c := range e.Comps {
		last := i == len(e.Comps)-1
		if c.Min != c.Max && !last {
			return fmt.Errorf("variable-length component %d is not the last", i+1)
		}
		if i > 0 && e.Comps[i-1].Optional && !c.Optional {
			return fmt.Errorf("mandatory component %d follows an optional one", i+1)
		}
	}
	if e.Fixed {
		for _, c := range e.Comps {
			if c.Optional || c.Min != c.Max {
				return fmt.Errorf("predefined-length (*) AI has a variable-length component")
			}
		}
	}
	return nil
}

// Generate returns the gofmt'd Go source of table.go for the dictionary text src.
func Generate(src []byte) ([]byte, error) {
	entries, err := Parse(src)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/gen from internal/gen/gs1-syntax-dictionary.txt; " +
		"DO NOT EDIT.\n\npackage gs1\n\n")
	b.WriteString("// table holds every AI of the GS1 Barcode Syntax Dictionary, in AI order.\n")
	b.WriteString("var table = []aiDef{\n")
	for _, e := range entries {
		writeEntry(&b, e)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func writeEntry(b *bytes.Buffer, e Entry) {
	fmt.Fprintf(b, "{ai: %q, title: %q, spec: %q", e.AI, e.Title, e.Spec)
	if e.Fixed {
		b.WriteString(", fixed: true")
	}
	if e.DLAttr {
		b.WriteString(", dlAttr: true")
	}
	b.WriteString(",\ncomps: []comp{")
	for i, c := range e.Comps {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "{cset: '%c', min: %d, max: %d", c.Cset, c.Min, c.Max)
		if c.Optional {
			b.WriteString(", optional: true")
		}
		if len(c.Linters) > 0 {
			fmt.Fprintf(b, ", linters: []string%s", strs(c.Linters))
		}
		b.WriteString("}")
	}
	b.WriteString("}")
	if len(e.Req) > 0 {
		b.WriteString(",\nreq: [][][]string{")
		for i, alts := range e.Req {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(nested(alts))
		}
		b.WriteString("}")
	}
	if len(e.Ex) > 0 {
		fmt.Fprintf(b, ",\nex: []string%s", strs(e.Ex))
	}
	if e.PKey {
		b.WriteString(", pkey: true")
	}
	if len(e.Qualifiers) > 0 {
		fmt.Fprintf(b, ", qualifiers: [][]string%s", nested(e.Qualifiers))
	}
	b.WriteString("},\n")
}

// strs writes a string slice as a composite literal body: {"a", "b"}.
func strs(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "{" + strings.Join(q, ", ") + "}"
}

// nested writes a slice of string slices with the inner types elided.
func nested(sss [][]string) string {
	q := make([]string, len(sss))
	for i, ss := range sss {
		q[i] = strs(ss)
	}
	return "{" + strings.Join(q, ", ") + "}"
}
