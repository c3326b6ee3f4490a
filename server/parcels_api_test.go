package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestReleaseOverride: the release endpoint refuses an order with lines
// not verified, naming them; a supervisor releases it with a reason and
// their name, audited; the parcel's label carries an SSCC from the
// warehouse's GS1 prefix.
func TestReleaseOverride(t *testing.T) {
	ts := startServer(t)
	ts.call("POST", "/api/v1/orders", validOrder)
	ts.pick()
	ts.pack("S1", "SO-000001", "MUG")

	for _, tt := range []struct {
		name, body string
		headers    map[string]string
		status     int
		want       string
	}{
		{"not verified", "", nil, http.StatusConflict,
			"cannot release the label of order SO-000001: MUG verified 1 of 2, CUP verified 0 of 1"},
		{"override without a name", `{"override": "collected now"}`, nil, http.StatusBadRequest,
			"override: the X-Shipshape-User header must name the supervisor"},
		{"unknown service", `{"service": "nope"}`, nil, http.StatusBadRequest,
			`service "nope": no such service (GET /api/v1/services lists them)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := ts.send("POST", "/api/v1/orders/SO-000001/release?station=S1", []byte(tt.body), tt.headers)
			if code != tt.status || errorText(t, body) != tt.want {
				t.Errorf("release = %d %s, want %d %q", code, body, tt.status, tt.want)
			}
		})
	}
	code, body := ts.call("POST", "/api/v1/orders/SO-000001/parcels",
		`{"reason": "x", "move": [{"sku": "MUG", "qty": 1, "from": 1}]}`)
	const noLabels = "order SO-000001 has no labels bought: pack its parcels at a station"
	if code != http.StatusConflict || errorText(t, body) != noLabels {
		t.Errorf("add a parcel before any label: %d %s", code, body)
	}
	if code, body := ts.call("PUT", "/api/v1/warehouse", `{"name": "Test Warehouse", "line1": "1 Dock Road",
		"city": "Leeds", "postal_code": "LS1 1AA", "country": "GB", "gs1_prefix": "12"}`); code != 400 ||
		!strings.Contains(string(body), `gs1_prefix: \"12\"`) {
		t.Errorf("a short GS1 prefix: %d %s", code, body)
	}
	if code, body := ts.call("PUT", "/api/v1/warehouse", `{"name": "Test Warehouse", "line1": "1 Dock Road",
		"city": "Leeds", "postal_code": "LS1 1AA", "country": "GB", "gs1_prefix": "5012345"}`); code != 200 ||
		!strings.Contains(string(body), `"gs1_prefix":"5012345"`) {
		t.Fatalf("set the GS1 prefix: %d %s", code, body)
	}

	code, _, body = ts.send("POST", "/api/v1/orders/SO-000001/release?station=S1",
		[]byte(`{"override": "customer collects it now"}`), map[string]string{"X-Shipshape-User": "sue"})
	if code != http.StatusCreated || !strings.Contains(string(body), `"parcels":1`) {
		t.Fatalf("override: %d %s", code, body)
	}
	_, body = ts.call("GET", "/api/v1/orders/SO-000001", "")
	var got struct {
		Order     orderJSON `json:"order"`
		Shipments []struct {
			SSCC string `json:"sscc"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal(body, &got); err != nil || got.Order.Status != "shipped" || len(got.Shipments) != 1 ||
		got.Shipments[0].SSCC != "050123450000000015" {
		t.Errorf("order after the override: %s, %v", body, err)
	}
	_, body = ts.call("GET", "/api/v1/audit?entity=order&id=SO-000001&limit=2", "")
	var audit []struct{ Actor, Action, Detail string }
	if err := json.Unmarshal(body, &audit); err != nil || len(audit) != 2 || audit[1].Action != "label.override" ||
		audit[1].Actor != "sue" || audit[1].Detail != "customer collects it now" {
		t.Errorf("audit: %s, %v", body, err)
	}
}
