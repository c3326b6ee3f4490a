package gs1

import (
	"fmt"
	"strings"
)

// CheckPairing checks the dictionary's association rules over the whole message: each
// AI's req= rules (e.g. (10) needs (01), (02), (03), (8006) or (8026) beside it), its
// ex= rules (e.g. (01) must not appear with (37)), and that no AI appears twice with
// different values. It returns the first broken rule as an *Error naming the AIs.
//
// The parsers do not call it: GS1 applies these rules to all the carriers on one item
// together, so a single scan may rightly hold (10) without (01). Call it on a message
// that stands for a whole item, such as a merged set of scans. Unknown AIs are skipped.
func (m Message) CheckPairing() error {
	for i, e := range m.Elements {
		d := byAI[e.AI]
		if d == nil {
			continue
		}
		if err := m.checkRepeat(i); err != nil {
			return err
		}
		if err := m.checkExclusions(d); err != nil {
			return err
		}
		if err := m.checkRequirements(d); err != nil {
			return err
		}
	}
	return nil
}

// CheckConflicts checks the rules GS1 applies to every message, even one symbol of
// several on an item: no AI appears twice with different values (two lots, two expiry
// dates), and no AI appears beside one its ex= rules exclude (e.g. (01) with (37)). Unlike
// the req= rules, no other carrier can put these right. It returns the first broken rule
// as an *Error naming the AIs. Unknown AIs are skipped.
func (m Message) CheckConflicts() error {
	for i, e := range m.Elements {
		d := byAI[e.AI]
		if d == nil {
			continue
		}
		if err := m.checkRepeat(i); err != nil {
			return err
		}
		if err := m.checkExclusions(d); err != nil {
			return err
		}
	}
	return nil
}

func (m Message) checkRepeat(i int) error {
	e := m.Elements[i]
	for _, o := range m.Elements[:i] {
		if o.AI == e.AI && o.Raw != e.Raw {
			return &Error{AI: e.AI, Value: e.Raw, Reason: fmt.Sprintf(
				"appears twice with different values (first %q)", o.Raw)}
		}
	}
	return nil
}

func (m Message) checkExclusions(d *aiDef) error {
	for _, pattern := range d.ex {
		if o, ok := m.match(pattern, d.ai); ok {
			return &Error{AI: d.ai, Reason: fmt.Sprintf("must not be used with (%s)", o)}
		}
	}
	return nil
}

func (m Message) checkRequirements(d *aiDef) error {
	for _, alts := range d.req {
		if !m.satisfies(alts, d.ai) {
			return &Error{AI: d.ai, Reason: "needs " + describe(alts) + " in the same message"}
		}
	}
	return nil
}

// satisfies reports whether any alternative has all of its patterns in m.
func (m Message) satisfies(alts [][]string, self string) bool {
	for _, all := range alts {
		found := true
		for _, pattern := range all {
			if _, ok := m.match(pattern, self); !ok {
				found = false
				break
			}
		}
		if found {
			return true
		}
	}
	return false
}

// match returns the first AI of m other than self that fits pattern, where "n" stands
// for any digit ("310n", "31nn").
func (m Message) match(pattern, self string) (string, bool) {
	for _, e := range m.Elements {
		if e.AI != self && fits(e.AI, pattern) {
			return e.AI, true
		}
	}
	return "", false
}

func fits(ai, pattern string) bool {
	if len(ai) != len(pattern) {
		return false
	}
	for i := 0; i < len(ai); i++ {
		if pattern[i] != 'n' && pattern[i] != ai[i] {
			return false
		}
	}
	return true
}

// describe writes req alternatives for people: "(01), (02) or (8006)+(21)".
func describe(alts [][]string) string {
	var names []string
	for _, all := range alts {
		names = append(names, "("+strings.Join(all, ")+(")+")")
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
