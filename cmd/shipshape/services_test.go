package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestServiceCommands runs the service and service rule commands in order
// on one database and checks exactly what each prints.
func TestServiceCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	steps := []struct {
		name  string
		args  []string
		out   string
		err   string
		usage bool
	}{
		{"empty list", []string{"list"}, "no services: add one with shipshape service add\n", "", false},
		{"add", []string{"add", "local:next-day", "--courier", "local", "--code", "next-day", "--cutoff", "14:00",
			"--name", "Next day"},
			"service local:next-day added: courier local, code next-day, cutoff 14:00, days mon-fri, " +
				"holidays none\n", "", false},
		{"add saturdays", []string{"add", "local:standard", "--courier", "local", "--code", "standard",
			"--cutoff", "16:00", "--days", "mon-fri,sat", "--holidays", "2026-12-25,2026-12-26"},
			"service local:standard added: courier local, code standard, cutoff 16:00, days mon-sat, " +
				"holidays 2026-12-25,2026-12-26\n", "", false},
		{"add twice", []string{"add", "local:standard", "--courier", "local", "--code", "s", "--cutoff", "16:00"},
			"", "service local:standard already exists: change it with service set", false},
		{"bad cutoff", []string{"set", "local:standard", "--cutoff", "4pm"}, "",
			`service local:standard: cutoff "4pm": want a time of day HH:MM from 00:00 to 23:59`, false},
		{"set one field", []string{"set", "local:standard", "--holidays", ""},
			"service local:standard updated: courier local, code standard, cutoff 16:00, days mon-sat, " +
				"holidays none\n", "", false},
		{"list", []string{"list"},
			"ID              COURIER  CODE      CUTOFF  DAYS     HOLIDAYS  NAME\n" +
				"local:next-day  local    next-day  14:00   mon-fri  -         Next day\n" +
				"local:standard  local    standard  16:00   mon-sat  -         local:standard\n", "", false},
		{"rules empty", []string{"rule", "list"}, "no service rules: add one with shipshape service rule add\n",
			"", false},
		{"rule add", []string{"rule", "add", "fast", "--level", "Expedited,NextDay", "--service", "local:next-day"},
			"service rule fast added: priority 0: channels *, levels Expedited,NextDay, countries *, " +
				"any weight -> local:next-day\n", "", false},
		{"rule unknown service", []string{"rule", "add", "x", "--service", "dhl:express"}, "",
			`rule x: service "dhl:express": no such service`, false},
		{"rule add default", []string{"rule", "add", "default", "--priority", "10", "--service", "local:standard"},
			"service rule default added: priority 10: channels *, levels *, countries *, " +
				"any weight -> local:standard\n", "", false},
		{"rule set", []string{"rule", "set", "fast", "--country", "gb,ie", "--max-grams", "5000"},
			"service rule fast updated: priority 0: channels *, levels Expedited,NextDay, countries GB,IE, " +
				"under 5000 g -> local:next-day\n", "", false},
		{"rule bad weight", []string{"rule", "set", "fast", "--min-grams", "heavy"}, "",
			`--min-grams "heavy": not a whole number`, true},
		{"rule list", []string{"rule", "list"},
			"ID       PRIORITY  CHANNELS  LEVELS             COUNTRIES  WEIGHT        SERVICE\n" +
				"fast     0         *         Expedited,NextDay  GB,IE      under 5000 g  local:next-day\n" +
				"default  10        *         *                  *          any weight    local:standard\n", "", false},
		{"rm in use", []string{"rm", "local:next-day"}, "",
			"service local:next-day is chosen by rules fast: change or remove them first", false},
		{"rule rm", []string{"rule", "rm", "fast"}, "service rule fast removed\n", "", false},
		{"rule rm again", []string{"rule", "rm", "fast"}, "", `no service rule "fast"`, false},
		{"rm", []string{"rm", "local:next-day"}, "service local:next-day removed\n", "", false},
		{"set unknown", []string{"set", "local:next-day", "--cutoff", "12:00"}, "",
			`no service "local:next-day"`, false},
		{"no id", []string{"rm"}, "", `service rm takes 1 ID, got []`, true},
		{"unknown verb", []string{"rule", "move"}, "",
			`service rule: unknown verb "move" (want add, set, list or rm)`, true},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"service"}, append(tt.args, "--db", db, "--user", "tester")...)
			err := Run(context.Background(), args, &out, &errb)
			if out.String() != tt.out {
				t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), tt.out)
			}
			if (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
			var u usageError
			if errors.As(err, &u) != tt.usage {
				t.Errorf("usage error = %v, want %v", errors.As(err, &u), tt.usage)
			}
		})
	}
}
