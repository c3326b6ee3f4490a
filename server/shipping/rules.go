package shipping

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Any matches every value of a rule's condition.
const Any = "*"

// MaxGrams bounds the weights rules and facts may name (1 tonne).
const MaxGrams = 1_000_000

// Rule maps shipments to a service. A shipment matches when each condition
// does: its channel is one of Channels, its service level one of Levels
// (case-insensitive), its destination one of Countries (each list ["*"]
// for any), and its weight is at least MinGrams and below MaxGrams (0: no
// bound).
type Rule struct {
	ID        string   `json:"id"`
	Priority  int      `json:"priority"` // lower first; see Sort
	Channels  []string `json:"channels"`
	Levels    []string `json:"levels"`
	Countries []string `json:"countries"` // ISO 3166-1 alpha-2
	MinGrams  int64    `json:"min_grams"`
	MaxGrams  int64    `json:"max_grams"`
	Service   string   `json:"service"` // the Service's ID
}

// Facts are what rules look at in a shipment.
type Facts struct {
	Channel     string `json:"channel"`
	Level       string `json:"level"` // the channel's service level text, e.g. "Expedited"
	Country     string `json:"country"`
	WeightGrams int64  `json:"weight_g"`
}

// Normalize checks r and returns it as stored: lists trimmed and without
// repeats (["*"] when empty or when they hold "*"), channels lower-case,
// countries upper-case. Errors are oms.EInvalid and name the rule, the field
// and the value. Whether r.Service exists is the store's to check.
func (r Rule) Normalize() (Rule, error) {
	r.ID, r.Service = strings.TrimSpace(r.ID), strings.TrimSpace(r.Service)
	if !serviceID.MatchString(r.ID) {
		return r, oms.Errorf(oms.EInvalid, "rule id %s: use 1 to 64 letters, digits, dots, dashes, "+
			"underscores or colons", oms.QuoteShort(r.ID))
	}
	invalid := func(format string, args ...any) error {
		return oms.Errorf(oms.EInvalid, "rule %s: "+format, append([]any{r.ID}, args...)...)
	}
	var err error
	if r.Channels, err = normalizeList("channels", r.Channels, strings.ToLower, validChannel); err != nil {
		return r, invalid("%v", err)
	}
	if r.Levels, err = normalizeList("levels", r.Levels, nil, validLevel); err != nil {
		return r, invalid("%v", err)
	}
	if r.Countries, err = normalizeList("countries", r.Countries, strings.ToUpper, validCountry); err != nil {
		return r, invalid("%v", err)
	}
	switch {
	case r.Priority < -1_000_000 || r.Priority > 1_000_000:
		return r, invalid("priority %d: must be from -1000000 to 1000000", r.Priority)
	case r.MinGrams < 0 || r.MinGrams > MaxGrams:
		return r, invalid("min_grams %d: must be from 0 to %d", r.MinGrams, MaxGrams)
	case r.MaxGrams < 0 || r.MaxGrams > MaxGrams:
		return r, invalid("max_grams %d: must be from 0 to %d (0: no upper bound)", r.MaxGrams, MaxGrams)
	case r.MaxGrams != 0 && r.MaxGrams <= r.MinGrams:
		return r, invalid("max_grams %d: must be above min_grams %d", r.MaxGrams, r.MinGrams)
	case !serviceID.MatchString(r.Service):
		return r, invalid("service %s: not a service id", oms.QuoteShort(r.Service))
	}
	return r, nil
}

// normalizeList trims, maps and checks each value; "*" anywhere, or no
// value, makes the list ["*"].
func normalizeList(field string, list []string, mapFn func(string) string,
	valid func(string) bool) ([]string, error) {
	out := []string{}
	for _, v := range list {
		v = strings.TrimSpace(v)
		if v == Any {
			return []string{Any}, nil
		}
		if mapFn != nil {
			v = mapFn(v)
		}
		if !valid(v) {
			return nil, fmt.Errorf("%s %s: %s", field, oms.QuoteShort(v), listRules[field])
		}
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, v) }) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return []string{Any}, nil
	}
	return out, nil
}

// listRules says what each list's values must be, for errors.
var listRules = map[string]string{
	"channels":  "a channel id (1-32 lower-case letters, digits, - or _) or *",
	"levels":    "a service level of 1 to 64 printable characters without commas, or *",
	"countries": "a 2-letter ISO country code or *",
}

func validChannel(v string) bool { return courierName.MatchString(v) }

func validLevel(v string) bool {
	return v != "" && !strings.Contains(v, ",") && oms.CheckText(v, 64) == nil
}

func validCountry(v string) bool {
	return len(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z'
}

// Matches reports whether f meets every condition of r.
func (r Rule) Matches(f Facts) bool {
	return inList(r.Channels, f.Channel) && inList(r.Levels, strings.TrimSpace(f.Level)) &&
		inList(r.Countries, f.Country) && f.WeightGrams >= r.MinGrams &&
		(r.MaxGrams == 0 || f.WeightGrams < r.MaxGrams)
}

// inList reports whether v is in list, case-insensitively; an empty list
// or one holding "*" holds everything.
func inList(list []string, v string) bool {
	return anyValue(list) || slices.ContainsFunc(list, func(item string) bool { return strings.EqualFold(item, v) })
}

func anyValue(list []string) bool { return len(list) == 0 || slices.Contains(list, Any) }

// Specificity counts r's conditions that do not match everything: channel,
// level, country, a lower and an upper weight bound (0 to 5).
func (r Rule) Specificity() int {
	n := 0
	for _, narrow := range []bool{!anyValue(r.Channels), !anyValue(r.Levels), !anyValue(r.Countries),
		r.MinGrams > 0, r.MaxGrams > 0} {
		if narrow {
			n++
		}
	}
	return n
}

// Sort orders rules the way Select tries them: by Priority, lowest first;
// among equal priorities the most specific first (see Specificity), so a
// rule for GB parcels under 2 kg is tried before one for all of GB; then by
// id, so the order never depends on how the rules were stored.
func Sort(rules []Rule) {
	slices.SortStableFunc(rules, func(a, b Rule) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(b.Specificity(), a.Specificity()),
			strings.Compare(a.ID, b.ID))
	})
}

// Select returns the first rule, in Sort's order, that f matches. When none
// does it returns an oms.EConflict error naming the facts: "no rule matches:
// channel web, level Standard, country GB, weight 1200 g".
func Select(rules []Rule, f Facts) (Rule, error) {
	sorted := slices.Clone(rules)
	Sort(sorted)
	for _, r := range sorted {
		if r.Matches(f) {
			return r, nil
		}
	}
	return Rule{}, oms.Errorf(oms.EConflict, "no rule matches: channel %s, level %s, country %s, weight %d g",
		f.Channel, cmp.Or(f.Level, `""`), f.Country, f.WeightGrams)
}

// Summary describes r's conditions and service in one line, for the CLI
// and the audit trail: "priority 0: channels *, levels Expedited,NextDay,
// countries *, any weight -> local:next-day".
func (r Rule) Summary() string {
	return fmt.Sprintf("priority %d: channels %s, levels %s, countries %s, %s -> %s", r.Priority,
		listText(r.Channels), listText(r.Levels), listText(r.Countries), WeightText(r.MinGrams, r.MaxGrams),
		r.Service)
}

func listText(list []string) string {
	if anyValue(list) {
		return Any
	}
	return strings.Join(list, ",")
}

// WeightText writes a weight range, min inclusive and max exclusive (0: no
// bound): "any weight", "from 2000 g", "under 2000 g", "from 2000 g under 5000 g".
func WeightText(minGrams, maxGrams int64) string {
	var parts []string
	if minGrams > 0 {
		parts = append(parts, fmt.Sprintf("from %d g", minGrams))
	}
	if maxGrams > 0 {
		parts = append(parts, fmt.Sprintf("under %d g", maxGrams))
	}
	if len(parts) == 0 {
		return "any weight"
	}
	return strings.Join(parts, " ")
}
