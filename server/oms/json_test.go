package oms

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestOrderInputUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		placed  time.Time
		wantErr string
	}{
		{"time", `{"channel":"web","placed_at":"2026-12-04T09:30:00+01:00"}`,
			time.Date(2026, 12, 4, 8, 30, 0, 0, time.UTC), ""},
		{"no time", `{"channel":"web"}`, time.Time{}, ""},
		{"not a time", `{"placed_at":"yesterday"}`, time.Time{}, `placed_at: "yesterday" is not an RFC 3339 time`},
		{"unknown field", `{"chanel":"web"}`, time.Time{}, `unknown field "chanel"`},
		{"wrong type", `{"lines":[{"qty":"2"}]}`, time.Time{}, "cannot unmarshal string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var o OrderInput
			err := json.Unmarshal([]byte(tc.body), &o)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !o.PlacedAt.Equal(tc.placed) || o.Channel != "web" {
				t.Errorf("decoded %+v, want channel web placed %v", o, tc.placed)
			}
		})
	}
}
