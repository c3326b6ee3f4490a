package gs1

//go:generate go run ./internal/gen

// comp is one component of an AI's data field, as the dictionary specifies it.
type comp struct {
	cset     byte // 'N' digits, 'X' CSET 82, 'Y' CSET 39, 'Z' base64url
	min, max int
	optional bool
	linters  []string
}

// aiDef is one AI of the dictionary.
type aiDef struct {
	ai, title, spec string
	fixed           bool // "*": predefined length, no FNC1 separator needed after it
	dlAttr          bool // "?": allowed as a Digital Link query attribute
	comps           []comp
	// req holds one entry per req= attribute; each is satisfied by any one of its
	// alternatives, and an alternative needs all of its AI patterns ("01+21").
	req        [][][]string
	ex         []string   // AI patterns that must not appear with this AI
	pkey       bool       // a Digital Link primary key
	qualifiers [][]string // alternative ordered qualifier sequences after the key
}

// AIInfo describes an Application Identifier as the GS1 Barcode Syntax Dictionary
// defines it.
type AIInfo struct {
	AI          string // e.g. "3103"
	Title       string // e.g. "NET WEIGHT (kg)"
	Format      string // the dictionary's specification, e.g. "N14,csum,gcppos2"
	FixedLength bool   // predefined length: no FNC1 separator is needed after it
	// DigitalLinkAttribute is set when the AI may appear in a Digital Link query.
	DigitalLinkAttribute bool
	// PrimaryKey is set when the AI is a Digital Link primary key, e.g. (01), (00).
	PrimaryKey bool
}

var (
	byAI      = indexTable()
	aiLengths = prefixLengths() // AI length by its first two digits
)

func indexTable() map[string]*aiDef {
	m := make(map[string]*aiDef, len(table))
	for i := range table {
		m[table[i].ai] = &table[i]
	}
	return m
}

// prefixLengths records, for every two-digit prefix in use, how long its AIs are. In
// the dictionary all AIs that share their first two digits have the same length.
func prefixLengths() map[string]int {
	m := make(map[string]int)
	for _, d := range table {
		m[d.ai[:2]] = len(d.ai)
	}
	return m
}

// aiLength returns how many digits the AI that starts with prefix (two digits) has.
// A prefix that no dictionary AI uses is taken as a two-digit AI: GS1 assigns no
// longer AIs there, so that is how such data is reported back (e.g. "no such AI (89)").
func aiLength(prefix string) int {
	if n, ok := aiLengths[prefix]; ok {
		return n
	}
	return 2
}

// Lookup returns what the dictionary says about ai; ok is false when ai is not in it.
func Lookup(ai string) (info AIInfo, ok bool) {
	d := byAI[ai]
	if d == nil {
		return AIInfo{}, false
	}
	return AIInfo{
		AI: d.ai, Title: d.title, Format: d.spec, FixedLength: d.fixed,
		DigitalLinkAttribute: d.dlAttr, PrimaryKey: d.pkey,
	}, true
}

// FixedLength reports whether ai is a predefined-length AI that needs no FNC1
// separator after it (the dictionary's "*" flag). It is false for unknown AIs.
func FixedLength(ai string) bool {
	d := byAI[ai]
	return d != nil && d.fixed
}

// length returns the fixed total length of d's data and true, or 0 and false when
// its data has a variable length or optional parts.
func (d *aiDef) length() (int, bool) {
	n := 0
	for _, c := range d.comps {
		if c.optional || c.min != c.max {
			return 0, false
		}
		n += c.max
	}
	return n, true
}

// maxLength returns the longest data d allows.
func (d *aiDef) maxLength() int {
	n := 0
	for _, c := range d.comps {
		n += c.max
	}
	return n
}
