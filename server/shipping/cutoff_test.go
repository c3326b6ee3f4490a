package shipping_test

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests use real zones whatever the machine has

	"github.com/shipshape-oms/shipshape/server/shipping"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func service(t *testing.T, cutoff string, days []string, holidays ...string) shipping.Service {
	t.Helper()
	s, err := shipping.Service{ID: "local:standard", Courier: "local", Code: "standard", Cutoff: cutoff,
		Days: days, Holidays: holidays}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestShipDate checks the ship date and cut-off instant of labels made
// around the cut-off, around midnight (where the UTC date differs from the
// warehouse's) and on the days the clocks change in New York and London.
// 2026-03-02 is a Monday; the clocks go forward on 2026-03-08 in New York
// (02:00 EST to 03:00 EDT) and 2026-03-29 in London (01:00 GMT to 02:00
// BST), and back on 2026-11-01 (02:00 EDT to 01:00 EST) and 2026-10-25
// (02:00 BST to 01:00 GMT).
func TestShipDate(t *testing.T) {
	weekdays, everyDay := []string(nil), []string{"mon-sun"}
	tests := []struct {
		name     string
		zone     string
		cutoff   string
		days     []string
		holidays []string
		now      string // UTC
		date     string
		at       string // the cut-off instant, UTC
	}{
		{"before the cut-off", "America/New_York", "16:00", weekdays, nil,
			"2026-03-02T20:59:59Z", "2026-03-02", "2026-03-02T21:00:00Z"},
		{"at the cut-off", "America/New_York", "16:00", weekdays, nil,
			"2026-03-02T21:00:00Z", "2026-03-03", "2026-03-03T21:00:00Z"},
		{"23:59 local, already tomorrow in UTC", "America/New_York", "16:00", weekdays, nil,
			"2026-03-03T04:59:00Z", "2026-03-03", "2026-03-03T21:00:00Z"},
		{"00:01 local", "America/New_York", "16:00", weekdays, nil,
			"2026-03-03T05:01:00Z", "2026-03-03", "2026-03-03T21:00:00Z"},
		{"00:01 local, still yesterday in UTC", "Europe/London", "16:00", weekdays, nil,
			"2026-06-01T23:01:00Z", "2026-06-02", "2026-06-02T15:00:00Z"},
		{"23:59 local after the cut-off", "Europe/London", "16:00", weekdays, nil,
			"2026-06-01T22:59:00Z", "2026-06-02", "2026-06-02T15:00:00Z"},
		{"friday evening ships monday, after the clocks change", "America/New_York", "16:00", weekdays, nil,
			"2026-03-06T22:00:00Z", "2026-03-09", "2026-03-09T20:00:00Z"},
		{"saturday", "America/New_York", "16:00", weekdays, nil,
			"2026-03-07T15:00:00Z", "2026-03-09", "2026-03-09T20:00:00Z"},
		{"holiday skipped", "America/New_York", "16:00", weekdays, []string{"2026-03-03"},
			"2026-03-02T22:00:00Z", "2026-03-04", "2026-03-04T21:00:00Z"},
		{"holiday today", "America/New_York", "16:00", weekdays, []string{"2026-03-02"},
			"2026-03-02T14:00:00Z", "2026-03-03", "2026-03-03T21:00:00Z"},
		{"saturday collection", "America/New_York", "12:00", []string{"sat"}, nil,
			"2026-03-02T14:00:00Z", "2026-03-07", "2026-03-07T17:00:00Z"},

		{"NY spring forward: 02:30 passes at 03:00 EDT", "America/New_York", "02:30", everyDay, nil,
			"2026-03-08T06:59:00Z", "2026-03-08", "2026-03-08T07:00:00Z"},
		{"NY spring forward: 03:00 EDT is past 02:30", "America/New_York", "02:30", everyDay, nil,
			"2026-03-08T07:00:00Z", "2026-03-09", "2026-03-09T06:30:00Z"},
		{"NY spring forward: 01:30 EST exists", "America/New_York", "01:30", everyDay, nil,
			"2026-03-08T06:29:00Z", "2026-03-08", "2026-03-08T06:30:00Z"},
		{"London spring forward: 01:30 passes at 02:00 BST", "Europe/London", "01:30", everyDay, nil,
			"2026-03-29T00:59:00Z", "2026-03-29", "2026-03-29T01:00:00Z"},
		{"London spring forward: 02:00 BST is past 01:30", "Europe/London", "01:30", everyDay, nil,
			"2026-03-29T01:00:00Z", "2026-03-30", "2026-03-30T00:30:00Z"},
		{"London spring forward: 02:30 BST exists", "Europe/London", "02:30", everyDay, nil,
			"2026-03-29T01:29:00Z", "2026-03-29", "2026-03-29T01:30:00Z"},

		{"NY fall back: 01:30 passes the first time (EDT)", "America/New_York", "01:30", everyDay, nil,
			"2026-11-01T05:29:00Z", "2026-11-01", "2026-11-01T05:30:00Z"},
		{"NY fall back: 01:15 EST, second pass, is past it", "America/New_York", "01:30", everyDay, nil,
			"2026-11-01T06:15:00Z", "2026-11-02", "2026-11-02T06:30:00Z"},
		{"London fall back: 01:30 passes the first time (BST)", "Europe/London", "01:30", everyDay, nil,
			"2026-10-25T00:29:00Z", "2026-10-25", "2026-10-25T00:30:00Z"},
		{"London fall back: 01:10 GMT, second pass, is past it", "Europe/London", "01:30", everyDay, nil,
			"2026-10-25T01:10:00Z", "2026-10-26", "2026-10-26T01:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, err := time.Parse(time.RFC3339, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			s := service(t, tt.cutoff, tt.days, tt.holidays...)
			got, err := shipping.ShipDate(now, mustZone(t, tt.zone), s)
			if err != nil {
				t.Fatal(err)
			}
			if got.Date != tt.date || got.Cutoff.UTC().Format(time.RFC3339) != tt.at {
				t.Errorf("ShipDate(%s) = %s, cut-off %s; want %s, %s", tt.now, got.Date,
					got.Cutoff.UTC().Format(time.RFC3339), tt.date, tt.at)
			}
		})
	}
}

// TestShipDateNoCollection: every Monday for two years a holiday leaves a
// Monday-only service without a collection day.
func TestShipDateNoCollection(t *testing.T) {
	var mondays []string
	for d := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC); d.Year() < 2029; d = d.AddDate(0, 0, 7) {
		mondays = append(mondays, d.Format(time.DateOnly))
	}
	s := service(t, "16:00", []string{"mon"}, mondays...)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	_, err := shipping.ShipDate(now, time.UTC, s)
	want := "service local:standard: no collection day in the next two years (days mon, 148 holidays)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}

	_, err = shipping.ShipDate(now, time.UTC, shipping.Service{ID: "x", Cutoff: "4pm"})
	if err == nil || !strings.Contains(err.Error(), `cutoff "4pm"`) {
		t.Errorf("malformed cut-off: error %v", err)
	}
}
