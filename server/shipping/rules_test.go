package shipping_test

import (
	"reflect"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/shipping"
)

// table is a rule table as a warehouse might write it, in no useful order.
var table = []shipping.Rule{
	{ID: "default", Service: "local:standard"},
	{ID: "fast", Levels: []string{"Expedited", "NextDay"}, Service: "local:next-day"},
	{ID: "gb-small", Countries: []string{"GB"}, MaxGrams: 2000, Service: "royalmail:tracked48"},
	{ID: "gb", Countries: []string{"GB"}, Service: "dpd:parcel"},
	{ID: "heavy", MinGrams: 20000, Service: "freight"},
	{ID: "amazon-eu", Priority: -1, Channels: []string{"amazon"}, Countries: []string{"DE", "FR"},
		Service: "dhl:europlus"},
}

func TestSelect(t *testing.T) {
	tests := []struct {
		name  string
		facts shipping.Facts
		want  string
	}{
		{"nothing specific", shipping.Facts{"web", "Standard", "US", 500}, "default"},
		{"level, any case", shipping.Facts{"web", "nextday", "US", 500}, "fast"},
		{"country and weight beat country alone", shipping.Facts{"web", "Standard", "GB", 1999}, "gb-small"},
		{"max is exclusive", shipping.Facts{"web", "Standard", "GB", 2000}, "gb"},
		{"min is inclusive", shipping.Facts{"web", "Standard", "US", 20000}, "heavy"},
		{"below min", shipping.Facts{"web", "Standard", "US", 19999}, "default"},
		{"explicit priority beats specificity", shipping.Facts{"amazon", "Standard", "DE", 25000}, "amazon-eu"},
		{"country in a list", shipping.Facts{"amazon", "Standard", "FR", 100}, "amazon-eu"},
		{"other channel", shipping.Facts{"web", "Standard", "FR", 100}, "default"},
		{"a tie in specificity goes by id", shipping.Facts{"web", "Expedited", "GB", 3000}, "fast"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := shipping.Select(normalized(t, table), tt.facts)
			if err != nil || r.ID != tt.want {
				t.Errorf("Select(%+v) = %s, %v; want %s", tt.facts, r.ID, err, tt.want)
			}
		})
	}
}

func normalized(t *testing.T, rules []shipping.Rule) []shipping.Rule {
	t.Helper()
	out := make([]shipping.Rule, len(rules))
	for i, r := range rules {
		var err error
		if out[i], err = r.Normalize(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestSelectNoMatch(t *testing.T) {
	rules := normalized(t, table[1:3])
	_, err := shipping.Select(rules, shipping.Facts{"web", "Standard", "US", 1200})
	want := "no rule matches: channel web, level Standard, country US, weight 1200 g"
	if err == nil || err.Error() != want || oms.ErrorCode(err) != oms.EConflict {
		t.Errorf("error %v (%s), want conflict %q", err, oms.ErrorCode(err), want)
	}
	_, err = shipping.Select(nil, shipping.Facts{"web", "", "GB", 0})
	if want := `no rule matches: channel web, level "", country GB, weight 0 g`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestSortOrder(t *testing.T) {
	rules := normalized(t, table)
	shipping.Sort(rules)
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	want := []string{"amazon-eu", "gb-small", "fast", "gb", "heavy", "default"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("order %q, want %q", ids, want)
	}
}

func TestRuleNormalize(t *testing.T) {
	r, err := shipping.Rule{ID: "r1", Channels: []string{" Web ", "web"}, Levels: []string{"*", "X"},
		Countries: []string{"gb", "ie"}, Service: "local:standard"}.Normalize()
	want := shipping.Rule{ID: "r1", Channels: []string{"web"}, Levels: []string{"*"},
		Countries: []string{"GB", "IE"}, Service: "local:standard"}
	if err != nil || !reflect.DeepEqual(r, want) {
		t.Errorf("Normalize = %+v, %v; want %+v", r, err, want)
	}

	bad := []struct {
		rule shipping.Rule
		want string
	}{
		{shipping.Rule{ID: "a b", Service: "s"}, `rule id "a b": use 1 to 64 letters, digits, dots, dashes, ` +
			`underscores or colons`},
		{shipping.Rule{ID: "r", Countries: []string{"GBR"}, Service: "s"},
			`rule r: countries "GBR": a 2-letter ISO country code or *`},
		{shipping.Rule{ID: "r", Channels: []string{"Web Shop"}, Service: "s"},
			`rule r: channels "web shop": a channel id (1-32 lower-case letters, digits, - or _) or *`},
		{shipping.Rule{ID: "r", Levels: []string{"a,b"}, Service: "s"},
			`rule r: levels "a,b": a service level of 1 to 64 printable characters without commas, or *`},
		{shipping.Rule{ID: "r", MinGrams: -1, Service: "s"}, `rule r: min_grams -1: must be from 0 to 1000000`},
		{shipping.Rule{ID: "r", MinGrams: 500, MaxGrams: 500, Service: "s"},
			`rule r: max_grams 500: must be above min_grams 500`},
		{shipping.Rule{ID: "r", MaxGrams: 2_000_000, Service: "s"},
			`rule r: max_grams 2000000: must be from 0 to 1000000 (0: no upper bound)`},
		{shipping.Rule{ID: "r"}, `rule r: service "": not a service id`},
	}
	for _, tt := range bad {
		_, err := tt.rule.Normalize()
		if err == nil || err.Error() != tt.want || oms.ErrorCode(err) != oms.EInvalid {
			t.Errorf("Normalize(%+v) error %v, want %q", tt.rule, err, tt.want)
		}
	}
}

func TestServiceNormalize(t *testing.T) {
	s, err := shipping.Service{ID: "local:next-day", Courier: "local", Code: " next-day ", Cutoff: "14:00",
		Days: []string{"sat", "MON-wed", "tue"}, Holidays: []string{"2026-12-26", "2026-12-25", "2026-12-26"}}.
		Normalize()
	want := shipping.Service{ID: "local:next-day", Courier: "local", Code: "next-day", Name: "local:next-day",
		Cutoff: "14:00", Days: []string{"mon", "tue", "wed", "sat"}, Holidays: []string{"2026-12-25", "2026-12-26"}}
	if err != nil || !reflect.DeepEqual(s, want) {
		t.Errorf("Normalize = %+v, %v; want %+v", s, err, want)
	}
	if got := shipping.DaysText(s.Days); got != "mon-wed,sat" {
		t.Errorf("DaysText = %q", got)
	}

	base := shipping.Service{ID: "s1", Courier: "local", Code: "std", Cutoff: "16:00"}
	bad := []struct {
		edit func(*shipping.Service)
		want string
	}{
		{func(s *shipping.Service) { s.ID = "" }, `service id "": use 1 to 64 letters, digits, dots, dashes, ` +
			`underscores or colons`},
		{func(s *shipping.Service) { s.Courier = "Local" }, `service s1: courier "Local": use 1 to 32 ` +
			`lower-case letters, digits, - or _`},
		{func(s *shipping.Service) { s.Code = "" }, `service s1: code "": 1 to 64 printable characters`},
		{func(s *shipping.Service) { s.Cutoff = "24:00" }, `service s1: cutoff "24:00": want a time of day ` +
			`HH:MM from 00:00 to 23:59`},
		{func(s *shipping.Service) { s.Cutoff = "9:30" }, `service s1: cutoff "9:30": want a time of day ` +
			`HH:MM from 00:00 to 23:59`},
		{func(s *shipping.Service) { s.Days = []string{"fri-mon"} }, `service s1: days "fri-mon": want mon, ` +
			`tue, wed, thu, fri, sat or sun, or a range such as mon-fri`},
		{func(s *shipping.Service) { s.Holidays = []string{"2026-02-30"} },
			`service s1: holidays "2026-02-30": want a date YYYY-MM-DD`},
	}
	for _, tt := range bad {
		s := base
		s.Holidays = nil
		tt.edit(&s)
		_, err := s.Normalize()
		if err == nil || err.Error() != tt.want || oms.ErrorCode(err) != oms.EInvalid {
			t.Errorf("Normalize(%+v) error %v, want %q", s, err, tt.want)
		}
	}
	if s, err := base.Normalize(); err != nil || shipping.DaysText(s.Days) != "mon-fri" || s.Name != "s1" {
		t.Errorf("defaults: %+v, %v", s, err)
	}
}
