package shipping

import (
	"fmt"
	"slices"
	"time"
)

// searchDays bounds the search for the next collection day: a service whose
// holidays cover every collection day for two years has none.
const searchDays = 2 * 366

// Pickup is the collection a label made at some moment goes out with.
type Pickup struct {
	// Date is the collection day, a civil date YYYY-MM-DD in the
	// warehouse's zone.
	Date string `json:"date"`

	// Cutoff is the instant of that day's cut-off: labels made before it
	// go with this collection.
	Cutoff time.Time `json:"cutoff"`
}

// ShipDate returns the collection a label made at now goes out with, for a
// service s already normalized (see Service.Normalize): today's when today,
// in zone, is a collection day and now is before today's cut-off; otherwise
// the next collection day's. "Today" is the date the warehouse's clocks
// show, not the UTC date: at 00:30 in London in summer (23:30 UTC the day
// before) it is already the new day.
//
// The cut-off passes at the first instant of the day at which the
// warehouse's clocks read the cut-off time or later. So on the day the
// clocks go forward over it (02:30 in New York, 01:30 in London) it passes
// when they jump (03:00 and 02:00); on the day they go back and show it
// twice (01:30 in both zones), it passes the first time.
//
// It returns an error when s has a malformed cut-off or finds no collection
// day within two years (every collection day a holiday).
func ShipDate(now time.Time, zone *time.Location, s Service) (Pickup, error) {
	hour, minute, err := clock(s.Cutoff)
	if err != nil {
		return Pickup{}, fmt.Errorf("service %s: %w", s.ID, err)
	}
	y, m, d := now.In(zone).Date()
	for i := range searchDays {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC) // calendar arithmetic only
		if !collects(s, day) {
			continue
		}
		cutoff := firstAtOrAfter(day, hour, minute, zone)
		if i > 0 || now.Before(cutoff) {
			return Pickup{Date: day.Format(time.DateOnly), Cutoff: cutoff}, nil
		}
	}
	return Pickup{}, fmt.Errorf("service %s: no collection day in the next two years "+
		"(days %s, %d holidays)", s.ID, DaysText(s.Days), len(s.Holidays))
}

// clock reads "HH:MM".
func clock(hhmm string) (hour, minute int, err error) {
	if !cutoffForm.MatchString(hhmm) {
		return 0, 0, fmt.Errorf("cutoff %q: want HH:MM from 00:00 to 23:59", hhmm)
	}
	return int(hhmm[0]-'0')*10 + int(hhmm[1]-'0'), int(hhmm[3]-'0')*10 + int(hhmm[4]-'0'), nil
}

// collects reports whether s collects on day (a date at noon UTC).
func collects(s Service, day time.Time) bool {
	return slices.Contains(s.Days, dayNames[day.Weekday()]) &&
		!slices.Contains(s.Holidays, day.Format(time.DateOnly))
}

// firstAtOrAfter returns the first instant of day (a date at noon UTC) at
// which clocks in zone read hour:minute or later.
func firstAtOrAfter(day time.Time, hour, minute int, zone *time.Location) time.Time {
	wall := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
	var found []time.Time
	// The zone's offsets a day either side cover any change of offset on
	// the day itself; each gives one candidate instant.
	for _, probe := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, offset := wall.Add(probe).In(zone).Zone()
		t := wall.Add(-time.Duration(offset) * time.Second)
		if showsWall(t.In(zone), wall) {
			found = append(found, t)
		}
	}
	if len(found) > 0 {
		return slices.MinFunc(found, time.Time.Compare)
	}
	// The clocks skip the wall time. Read with the offset from before the
	// jump, it lands after the jump; the zone period it lands in starts at
	// the jump, the first instant showing a later time.
	_, before := wall.Add(-24 * time.Hour).In(zone).Zone()
	start, _ := wall.Add(-time.Duration(before) * time.Second).In(zone).ZoneBounds()
	return start
}

// showsWall reports whether t (in its location) shows wall's date and time.
func showsWall(t, wall time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
}
