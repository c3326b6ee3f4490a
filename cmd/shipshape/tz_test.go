package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestServeTimeZone: --tz and SHIPSHAPE_TZ name the warehouse's zone; none
// means this machine's.
func TestServeTimeZone(t *testing.T) {
	tests := []struct {
		name, env string
		args      []string
		want      string
		wantErr   string
	}{
		{name: "default", want: time.Local.String()},
		{name: "env", env: "Europe/London", want: "Europe/London"},
		{name: "flag wins", env: "Europe/London", args: []string{"--tz", "America/New_York"},
			want: "America/New_York"},
		{name: "unknown", args: []string{"--tz", "Mars/Olympus"}, wantErr: `--tz: "Mars/Olympus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SHIPSHAPE_TZ", tt.env)
			c, err := parseServe(tt.args, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseServe(%q) = %v, want error with %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil || c.Zone.String() != tt.want {
				t.Fatalf("parseServe(%q): zone %v, %v; want %s", tt.args, c.Zone, err, tt.want)
			}
		})
	}
}
