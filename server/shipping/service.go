// Package shipping holds the pure rules of choosing a courier service for a
// parcel: the services couriers offer with their daily cut-off and collection
// days, the ship date a label made at a given moment gets, and the rule table
// that picks a service from an order's channel, service level, destination
// and weight. It does no I/O; the store keeps services and rules in SQLite.
package shipping

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Service is one service of one courier, e.g. the local courier's next-day
// delivery, with the time of day after which a label waits for the next
// collection.
type Service struct {
	ID      string `json:"id"`      // e.g. "local:next-day"; 1-64 of a-z A-Z 0-9 . _ - :
	Courier string `json:"courier"` // the courier's configured name: "local", "easypost"
	Code    string `json:"code"`    // the courier's own code for it, e.g. "USPS:Priority"
	Name    string `json:"name"`    // what the packer sees; the id when empty

	// Cutoff is the time of day ("15:30") in the warehouse's zone from which
	// a label ships on the next collection day; see ShipDate.
	Cutoff string `json:"cutoff"`

	// Days are the weekdays the courier collects ("mon" to "sun"; a range
	// such as "mon-fri" may be given and is stored as its days), Monday to
	// Friday when none are given.
	Days []string `json:"days"`

	// Holidays are dates (YYYY-MM-DD, in the warehouse's zone) with no
	// collection although their weekday has one.
	Holidays []string `json:"holidays"`
}

// dayNames are the weekday names Days uses, indexed by time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// weekOrder lists the weekdays Monday first, the order Days is stored in.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday,
	time.Saturday, time.Sunday}

var (
	serviceID   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)
	courierName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	cutoffForm  = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// Normalize checks s and returns it as stored: text trimmed, the name
// defaulted to the id, days Monday first without repeats (Monday to Friday
// when none), holidays sorted without repeats. Errors are oms.EInvalid and
// name the service, the field and the value.
func (s Service) Normalize() (Service, error) {
	s.ID, s.Courier = strings.TrimSpace(s.ID), strings.TrimSpace(s.Courier)
	s.Code, s.Name, s.Cutoff = strings.TrimSpace(s.Code), strings.TrimSpace(s.Name), strings.TrimSpace(s.Cutoff)
	if !serviceID.MatchString(s.ID) {
		return s, oms.Errorf(oms.EInvalid, "service id %s: use 1 to 64 letters, digits, dots, dashes, "+
			"underscores or colons", oms.QuoteShort(s.ID))
	}
	invalid := func(format string, args ...any) error {
		return oms.Errorf(oms.EInvalid, "service %s: "+format, append([]any{s.ID}, args...)...)
	}
	if s.Name == "" {
		s.Name = s.ID
	}
	switch {
	case !courierName.MatchString(s.Courier):
		return s, invalid("courier %s: use 1 to 32 lower-case letters, digits, - or _", oms.QuoteShort(s.Courier))
	case s.Code == "" || oms.CheckText(s.Code, 64) != nil:
		return s, invalid("code %s: 1 to 64 printable characters", oms.QuoteShort(s.Code))
	case oms.CheckText(s.Name, 100) != nil:
		return s, invalid("name %s: at most 100 printable characters", oms.QuoteShort(s.Name))
	case !cutoffForm.MatchString(s.Cutoff):
		return s, invalid("cutoff %s: want a time of day HH:MM from 00:00 to 23:59", oms.QuoteShort(s.Cutoff))
	}
	var err error
	if s.Days, err = normalizeDays(s.Days); err != nil {
		return s, invalid("%v", err)
	}
	if s.Holidays, err = normalizeDates(s.Holidays); err != nil {
		return s, invalid("%v", err)
	}
	return s, nil
}

// normalizeDays reads day names and ranges ("mon-fri") and returns the
// days named, Monday first; Monday to Friday when days is empty.
func normalizeDays(days []string) ([]string, error) {
	if len(days) == 0 {
		days = []string{"mon-fri"}
	}
	var set [7]bool
	for _, d := range days {
		from, to, isRange := strings.Cut(strings.ToLower(strings.TrimSpace(d)), "-")
		if !isRange {
			to = from
		}
		a, b := dayIndex(from), dayIndex(to)
		if a < 0 || b < 0 || b < a {
			return nil, fmt.Errorf("days %s: want mon, tue, wed, thu, fri, sat or sun, or a range such as "+
				"mon-fri", oms.QuoteShort(d))
		}
		for i := a; i <= b; i++ {
			set[weekOrder[i]] = true
		}
	}
	out := []string{}
	for _, wd := range weekOrder {
		if set[wd] {
			out = append(out, dayNames[wd])
		}
	}
	return out, nil
}

// dayIndex is the day's place in weekOrder (Monday 0), -1 if it is no day.
func dayIndex(name string) int {
	return slices.IndexFunc(weekOrder, func(wd time.Weekday) bool { return dayNames[wd] == name })
}

// normalizeDates checks each YYYY-MM-DD date and returns them sorted, once each.
func normalizeDates(dates []string) ([]string, error) {
	out := []string{}
	for _, d := range dates {
		d = strings.TrimSpace(d)
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return nil, fmt.Errorf("holidays %s: want a date YYYY-MM-DD", oms.QuoteShort(d))
		}
		out = append(out, d)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// DaysText writes days compactly, runs of three or more as ranges:
// "mon-fri", "mon,wed,fri", "mon-sat".
func DaysText(days []string) string {
	var parts []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && dayIndex(days[j+1]) == dayIndex(days[j])+1 {
			j++
		}
		switch j - i {
		case 0:
			parts = append(parts, days[i])
		case 1:
			parts = append(parts, days[i], days[j])
		default:
			parts = append(parts, days[i]+"-"+days[j])
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// Summary describes s in one line, for the audit trail: "courier local,
// code next-day, cutoff 14:00, days mon-fri, holidays 2026-12-25".
func (s Service) Summary() string {
	holidays := "none"
	if len(s.Holidays) > 0 {
		holidays = strings.Join(s.Holidays, ",")
	}
	return fmt.Sprintf("courier %s, code %s, cutoff %s, days %s, holidays %s", s.Courier, s.Code, s.Cutoff,
		DaysText(s.Days), holidays)
}
