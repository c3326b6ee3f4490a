package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIUsage checks what a person typing commands sees.
func TestCLIUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	tests := []struct {
		name    string
		args    []string
		out     string // in stdout
		errText string // in the error ("" for none)
		usage   bool   // a usageError (exit 2)
	}{
		{"help", []string{"help"}, "shipshape import catalog FILE", "", false},
		{"no command", nil, "", "no command given", true},
		{"unknown command", []string{"ship"}, "", `unknown command "ship"`, true},
		{"import without kind", []string{"import"}, "", "import needs a kind", true},
		{"import unknown kind", []string{"import", "stuff", "f.csv", "--db", db}, "", `unknown import kind "stuff"`, true},
		{"import two files", []string{"import", "stock", "a.csv", "b.csv"}, "", "exactly one FILE", true},
		{"import missing file", []string{"import", "stock", "/nonexistent/stock.csv", "--db", db}, "",
			"/nonexistent/stock.csv", false},
		{"serve bad flag", []string{"serve", "--adr", "x"}, "", "flag provided but not defined: -adr", true},
		{"serve bad log level", []string{"serve", "--log-level", "loud"}, "", `log level "loud"`, true},
		{"warehouse without verb", []string{"warehouse"}, "", "warehouse needs show or set", true},
		{"warehouse unset", []string{"warehouse", "show", "--db", db}, "", "the warehouse's address is not set", false},
		{"warehouse bad country", []string{"warehouse", "set", "--db", db, "--name", "W", "--line1", "1 Road",
			"--city", "Leeds", "--country", "GBR"}, "", `warehouse.country: "GBR" is not a 2-letter`, false},
		{"warehouse set", []string{"warehouse", "set", "--db", db, "--name", "W", "--line1", "1 Road",
			"--city", "Leeds", "--country", "gb"}, `"country": "GB"`, "", false},
		{"warehouse change one field", []string{"warehouse", "set", "--db", db, "--postal-code", "LS1 1AA"},
			`"postal_code": "LS1 1AA"`, "", false},
		{"warehouse keeps the rest", []string{"warehouse", "show", "--db", db}, `"line1": "1 Road"`, "", false},
		{"warehouse bad GS1 prefix", []string{"warehouse", "set", "--db", db, "--gs1-prefix", "50-12"}, "",
			`gs1_prefix: "50-12": want the 6 to 12 digits`, true},
		{"warehouse GS1 prefix", []string{"warehouse", "set", "--db", db, "--gs1-prefix", "5012345"},
			`"gs1_prefix": "5012345"`, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := Run(context.Background(), tc.args, &out, &errb)
			if !strings.Contains(out.String(), tc.out) {
				t.Errorf("stdout %q lacks %q", out.String(), tc.out)
			}
			switch {
			case tc.errText == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.errText != "" && (err == nil || !strings.Contains(err.Error(), tc.errText)):
				t.Errorf("error %v, want one containing %q", err, tc.errText)
			}
			var u usageError
			if errors.As(err, &u) != tc.usage {
				t.Errorf("usage error = %v, want %v (err %v)", errors.As(err, &u), tc.usage, err)
			}
		})
	}
	if err := Run(context.Background(), []string{"serve", "--help"}, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("serve --help: %v, want flag.ErrHelp (exit 0)", err)
	}
}

// TestServeEnvironment: every serve flag can come from its environment
// variable, and a flag given on the command line wins.
func TestServeEnvironment(t *testing.T) {
	t.Setenv("SHIPSHAPE_ADDR", "127.0.0.1:9999")
	t.Setenv("SHIPSHAPE_DB", "/tmp/env.db")
	t.Setenv("SHIPSHAPE_SPOOL", "/tmp/env-spool")
	t.Setenv("SHIPSHAPE_PRINTER", "127.0.0.1:9100")
	t.Setenv("SHIPSHAPE_DEMO", "true")
	t.Setenv("SHIPSHAPE_LOG_FORMAT", "json")
	c, err := parseServe([]string{"--db", "/tmp/flag.db"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.DBPath != "/tmp/flag.db" || c.SpoolDir != "/tmp/env-spool" ||
		c.Printer != "127.0.0.1:9100" || !c.Demo || c.LogFormat != "json" {
		t.Errorf("config %+v", c)
	}
	t.Setenv("SHIPSHAPE_DEMO", "maybe")
	if _, err := parseServe(nil, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), `SHIPSHAPE_DEMO: "maybe"`) {
		t.Errorf("bad SHIPSHAPE_DEMO: %v", err)
	}
}

// TestServeCountThreshold: --count-threshold and SHIPSHAPE_COUNT_THRESHOLD
// set the cycle-count threshold; 0 sends every variance to a supervisor.
func TestServeCountThreshold(t *testing.T) {
	tests := []struct {
		name    string
		env     string
		args    []string
		want    int64
		wantErr string
	}{
		{name: "default", want: 5},
		{name: "env", env: "12", want: 12},
		{name: "flag wins", env: "12", args: []string{"--count-threshold", "3"}, want: 3},
		{name: "zero means none", args: []string{"--count-threshold", "0"}, want: -1},
		{name: "negative flag", args: []string{"--count-threshold", "-2"}, wantErr: "--count-threshold: -2"},
		{name: "bad env", env: "lots", wantErr: `SHIPSHAPE_COUNT_THRESHOLD: "lots"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SHIPSHAPE_COUNT_THRESHOLD", tt.env)
			c, err := parseServe(tt.args, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseServe(%q) = %v, want error with %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil || c.CountThreshold != tt.want {
				t.Fatalf("parseServe(%q): threshold %d, %v; want %d", tt.args, c.CountThreshold, err, tt.want)
			}
		})
	}
}
