package server_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/shipping"
	"github.com/shipshape-oms/shipshape/server/store"
)

const (
	nextDayJSON  = `{"courier": "local", "code": "next-day", "name": "Next day", "cutoff": "14:00"}`
	standardJSON = `{"courier": "local", "code": "standard", "cutoff": "16:00", "days": ["mon-sat"]}`
)

// TestServicesAPI manages services and rules over REST on a real server
// and asks which service an order's parcel ships with.
func TestServicesAPI(t *testing.T) {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, func(c *server.Config) { c.Zone = newYork })
	steps := []struct {
		method, path, body string
		code               int
		want               string // the error, for 4xx
	}{
		{"PUT", "/api/v1/services/local:next-day", `{"courier": "local", "code": "x", "cutoff": "2pm"}`, 400,
			`service local:next-day: cutoff "2pm": want a time of day HH:MM from 00:00 to 23:59`},
		{"PUT", "/api/v1/services/local:next-day", `{"id": "other", "courier": "local"}`, 400,
			`id "other": must match the path's "local:next-day" (rename by removing and adding)`},
		{"PUT", "/api/v1/services/local:next-day", `{"cutof": "14:00"}`, 400, ""},
		{"PUT", "/api/v1/services/local:next-day", nextDayJSON, 201, ""},
		{"PUT", "/api/v1/services/local:next-day", nextDayJSON, 200, ""},
		{"PUT", "/api/v1/services/local:standard", standardJSON, 201, ""},
		{"PUT", "/api/v1/service-rules/fast", `{"levels": ["NextDay"], "service": "local:overnight"}`, 400,
			`rule fast: service "local:overnight": no such service`},
		{"PUT", "/api/v1/service-rules/fast", `{"levels": ["NextDay", "Expedited"], "countries": ["gb"],
			"max_grams": 5000, "service": "local:next-day"}`, 201, ""},
		{"PUT", "/api/v1/service-rules/default", `{"priority": 10, "service": "local:standard"}`, 201, ""},
		{"GET", "/api/v1/services/local:overnight", "", 404, `no service "local:overnight"`},
		{"DELETE", "/api/v1/services/local:next-day", "", 409,
			"service local:next-day is chosen by rules fast: change or remove them first"},
		{"GET", "/api/v1/orders/SO-000009/service?weight_g=1", "", 404, "no order SO-000009"},
	}
	for _, s := range steps {
		code, body := ts.call(s.method, s.path, s.body)
		if code != s.code || (s.want != "" && errorText(t, body) != s.want) {
			t.Errorf("%s %s: %d %s; want %d %q", s.method, s.path, code, body, s.code, s.want)
		}
	}

	var services []shipping.Service
	ts.getJSON("/api/v1/services", &services)
	if len(services) != 2 || services[0].ID != "local:next-day" || services[0].Name != "Next day" ||
		!slices.Equal(services[1].Days, []string{"mon", "tue", "wed", "thu", "fri", "sat"}) {
		t.Errorf("GET services: %+v", services)
	}
	var rules []shipping.Rule
	ts.getJSON("/api/v1/service-rules", &rules)
	want := []shipping.Rule{{ID: "fast", Channels: []string{"*"}, Levels: []string{"NextDay", "Expedited"},
		Countries: []string{"GB"}, MaxGrams: 5000, Service: "local:next-day"},
		{ID: "default", Priority: 10, Channels: []string{"*"}, Levels: []string{"*"}, Countries: []string{"*"},
			Service: "local:standard"}}
	if !reflect.DeepEqual(rules, want) {
		t.Errorf("GET service-rules: %+v", rules)
	}
	checkChoice(t, ts, newYork)

	for _, s := range []struct {
		path string
		code int
	}{{"/api/v1/service-rules/fast", 204}, {"/api/v1/service-rules/fast", 404},
		{"/api/v1/services/local:next-day", 204}} {
		if code, body := ts.call("DELETE", s.path, ""); code != s.code {
			t.Errorf("DELETE %s: %d %s, want %d", s.path, code, body, s.code)
		}
	}
	entries, err := ts.st.Audit(t.Context(), "service_rule", "fast", 10)
	if err != nil || len(entries) != 2 || entries[0].Action != "service_rule.remove" || entries[0].Actor != "api" {
		t.Errorf("audit of rule fast: %+v, %v", entries, err)
	}
}

// checkChoice creates a next-day order to GB and asks for the service of
// a 1.2 kg parcel: the rule "fast" picks local:next-day, whose ship date
// is what shipping.ShipDate gives in New York at the moment of the call.
func checkChoice(t *testing.T, ts *testServer, zone *time.Location) {
	order := orderWith(`"placed_at"`, `"ship_service_level": "NextDay", "placed_at"`)
	if code, body := ts.call("POST", "/api/v1/orders", order); code != http.StatusCreated {
		t.Fatalf("create order: %d %s", code, body)
	}
	if code, body := ts.call("GET", "/api/v1/orders/W-1/service?weight_g=heavy", ""); code != 400 ||
		errorText(t, body) != `weight_g: "heavy" is not a whole number of grams` {
		t.Errorf("bad weight: %d %s", code, body)
	}
	before := time.Now()
	var c store.ServiceChoice
	ts.getJSON("/api/v1/orders/W-1/service?weight_g=1200", &c)
	after := time.Now()
	wantFacts := shipping.Facts{Channel: "web", Level: "NextDay", Country: "GB", WeightGrams: 1200}
	if c.Order != "SO-000001" || c.Facts != wantFacts || c.RuleID != "fast" || c.Service == nil ||
		c.Service.ID != "local:next-day" || len(c.Alternatives) != 2 || c.NoMatch != "" {
		t.Fatalf("choice %+v", c)
	}
	svc, _ := c.Service.Normalize()
	p1, err1 := shipping.ShipDate(before, zone, svc)
	p2, err2 := shipping.ShipDate(after, zone, svc)
	got := *c.Service.Pickup
	if err1 != nil || err2 != nil || (!samePickup(got, p1) && !samePickup(got, p2)) {
		t.Errorf("pickup %+v, want %+v or %+v", got, p1, p2)
	}
}

func samePickup(a, b shipping.Pickup) bool { return a.Date == b.Date && a.Cutoff.Equal(b.Cutoff) }

// getJSON GETs path, expects 200 and decodes the body into v.
func (ts *testServer) getJSON(path string, v any) {
	ts.t.Helper()
	code, body := ts.call("GET", path, "")
	if code != http.StatusOK {
		ts.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		ts.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

// TestSeedDemoServices stores the demo's services and rules, twice
// without harm, and they choose next day for a NextDay order.
func TestSeedDemoServices(t *testing.T) {
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for range 2 {
		if err := server.SeedDemoServices(t.Context(), st); err != nil {
			t.Fatal(err)
		}
	}
	services, err := st.Services(t.Context())
	if err != nil || len(services) != 2 || services[0].ID != "local:next-day" || services[0].Cutoff != "14:00" ||
		services[1].ID != "local:standard" || services[1].Cutoff != "16:00" {
		t.Errorf("services %+v, %v", services, err)
	}
	rules, err := st.ServiceRules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for level, want := range map[string]string{"NextDay": "local:next-day", "expedited": "local:next-day",
		"Standard": "local:standard", "": "local:standard"} {
		r, err := shipping.Select(rules, shipping.Facts{Channel: "amazon", Level: level, Country: "US"})
		if err != nil || r.Service != want {
			t.Errorf("level %q: %s, %v; want %s", level, r.Service, err, want)
		}
	}
}
