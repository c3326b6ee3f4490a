package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/store"
)

// shipped writes what a bought consignment leaves behind, straight into the
// database: the order (once), a consignment of the courier whose parcels
// have tracking numbers of the local courier from serial on, and for an
// active one an outbox row. It returns the consignment's id and its
// courier_ref (the local courier's shipment id).
func (ts *testServer) shipped(order, courierName, shipDate, status string, serial int64, weights ...int) (int64, string) {
	ts.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+ts.dbPath+"?_busy_timeout=10000")
	if err != nil {
		ts.t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) sql.Result {
		ts.t.Helper()
		res, err := db.Exec(q, args...)
		if err != nil {
			ts.t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	exec(`INSERT OR IGNORE INTO orders (number, channel, channel_order_id, ship_to, status, created_at,
		updated_at) VALUES (?, 'web', ?, '{}', 'shipped', ?, ?)`, order, "W-"+order, now, now)
	var orderID int64
	db.QueryRow(`SELECT id FROM orders WHERE number = ?`, order).Scan(&orderID)
	tracking := make([]string, len(weights))
	for k := range weights {
		tracking[k] = courier.Local{Country: "GB"}.Tracking(serial + int64(k))
	}
	ref := order + ":" + strings.Join(tracking, ",")
	id, _ := exec(`INSERT INTO consignments (order_id, courier, courier_ref, carrier, service, ship_date,
		parcels, status, created_by, created_at) VALUES (?, ?, ?, 'Local courier', 'next-day', ?, ?, ?,
		'test', ?)`, orderID, courierName, ref, shipDate, len(weights), status, now).LastInsertId()
	for k, w := range weights {
		exec(`INSERT OR IGNORE INTO parcels (order_id, seq, weight_g, created_by, created_at)
			VALUES (?, ?, ?, 'test', ?)`, orderID, k+1, w, now)
		var parcelID int64
		db.QueryRow(`SELECT id FROM parcels WHERE order_id = ? AND seq = ?`, orderID, k+1).Scan(&parcelID)
		exec(`INSERT INTO shipments (order_id, parcel, parcels, carrier, service, tracking, created_by,
			created_at, consignment_id, parcel_id) VALUES (?, ?, ?, 'Local courier', 'next-day', ?, 'test', ?,
			?, ?)`, orderID, k+1, len(weights), tracking[k], now, id, parcelID)
	}
	if status == "active" {
		exec(`INSERT INTO fulfilment_outbox (at, order_id, channel_id, channel_order_id, consignment_id,
			kind, payload) VALUES (?, ?, 'web', ?, ?, 'shipped', ?)`, now, orderID, "W-"+order, id,
			`{"carrier":"Local courier","tracking":["`+tracking[0]+`"]}`)
	}
	return id, ref
}

func TestCloseManifestWithTheLocalCourier(t *testing.T) {
	ts := startServer(t)
	day := ts.st.WarehouseToday()
	active, _ := ts.shipped("SO-000001", "local", day, "active", 1, 1200, 800)
	voided, _ := ts.shipped("SO-000002", "local", day, "voided", 3, 500)
	tomorrow := time.Now().In(time.Local).AddDate(0, 0, 2).Format(time.DateOnly)
	ts.shipped("SO-000003", "local", tomorrow, "active", 4, 500)

	data := ts.mustPost("Ann", "/api/v1/manifests", `{"courier":"local"}`, http.StatusCreated)
	var m store.ManifestDetail
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Courier != "local" || m.Day != day || m.Consignments != 1 || m.Parcels != 2 ||
		m.CourierRef != "LC-"+strings.ReplaceAll(day, "-", "") || m.CreatedBy != "Ann" ||
		len(m.List) != 1 || m.List[0].ID != active || len(m.List[0].Parcels) != 2 ||
		*m.List[0].Parcels[0].WeightGrams != 1200 || m.List[0].Parcels[1].Tracking != "LC000000028GB" {
		t.Fatalf("manifest %s (voided is %d)", data, voided)
	}

	code, header, doc := ts.send("GET", fmt.Sprintf("/api/v1/manifests/%d/document", m.ID), nil, nil)
	if code != 200 || header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		!strings.Contains(string(doc), "SO-000001") || strings.Contains(string(doc), "SO-000002") ||
		!strings.Contains(string(doc), "LC000000028GB") || !strings.Contains(string(doc), "Parcels:   2") {
		t.Fatalf("document %d %v:\n%s", code, header, doc)
	}

	code, body, _ := ts.post("Ann", "/api/v1/manifests", `{"courier":"local"}`)
	want := "nothing to close for local on " + day + ": no active consignment shipping by then is off a manifest"
	if code != http.StatusConflict || errorText(t, body) != want {
		t.Fatalf("closing twice: %d %s", code, body)
	}
	var list []store.Manifest
	ts.getJSON("/api/v1/manifests", &list)
	if len(list) != 1 || list[0].ID != m.ID {
		t.Fatalf("manifests %+v", list)
	}
	var again store.ManifestDetail
	ts.getJSON(fmt.Sprintf("/api/v1/manifests/%d", m.ID), &again)
	if len(again.List) != 1 || again.List[0].Order != "SO-000001" {
		t.Fatalf("manifest %+v", again)
	}
	entries, err := ts.st.Audit(t.Context(), "manifest", fmt.Sprint(m.ID), 10)
	if err != nil || len(entries) != 1 || entries[0].Actor != "Ann" {
		t.Fatalf("audit %+v, %v", entries, err)
	}
}

// fakeCourier is a remote courier's close-out: it records what it was
// given and fails with err when set.
type fakeCourier struct {
	mu  sync.Mutex
	ids []string
	day time.Time
	err error
}

func (f *fakeCourier) Name() string { return "Fake" }

func (f *fakeCourier) Buy(context.Context, courier.Request) (*courier.Shipment, error) {
	return nil, &courier.Error{Courier: "Fake", Kind: courier.ErrRequest, Message: "not in this test"}
}

func (f *fakeCourier) Void(context.Context, string) error { return nil }

func (f *fakeCourier) Manifest(_ context.Context, ids []string, day time.Time) (*courier.Manifest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ids, f.day = append([]string(nil), ids...), day
	if f.err != nil {
		return nil, f.err
	}
	return &courier.Manifest{ID: "sf_1", Day: day, Shipments: ids, DocumentURL: "https://forms.example/sf_1.pdf",
		Document: []byte("%PDF-1.4 fake"), DocumentType: "application/pdf"}, nil
}

func TestCloseManifestWithARemoteCourier(t *testing.T) {
	ts := startServer(t, func(c *server.Config) { c.Zone = time.UTC })
	fake := &fakeCourier{err: &courier.Error{Courier: "Fake", Kind: courier.ErrUnavailable, Message: "down"}}
	ts.srv.RegisterCourierForTest("fake", fake)
	_, ref1 := ts.shipped("SO-000001", "fake", "2026-12-03", "active", 1, 100)
	_, ref2 := ts.shipped("SO-000002", "fake", "2026-12-04", "active", 2, 100)
	ts.shipped("SO-000003", "local", "2026-12-04", "active", 3, 100)

	code, body, _ := ts.post("Bo", "/api/v1/manifests", `{"courier":"fake","day":"2026-12-04"}`)
	if code != http.StatusServiceUnavailable || errorText(t, body) !=
		"manifest for fake: Fake: courier unavailable: down: try again later" {
		t.Fatalf("courier down: %d %s", code, body)
	}
	fake.err = nil
	data := ts.mustPost("Bo", "/api/v1/manifests", `{"courier":"fake","day":"2026-12-04"}`, http.StatusCreated)
	var m store.ManifestDetail
	json.Unmarshal(data, &m)
	if strings.Join(fake.ids, " ") != ref1+" "+ref2 || fake.day.Format(time.DateOnly) != "2026-12-04" ||
		m.Consignments != 2 || m.CourierRef != "sf_1" || m.DocumentURL != "https://forms.example/sf_1.pdf" {
		t.Fatalf("closed %s; the courier was given %q for %v", data, fake.ids, fake.day)
	}
	code, header, doc := ts.send("GET", fmt.Sprintf("/api/v1/manifests/%d/document", m.ID), nil, nil)
	if code != 200 || header.Get("Content-Type") != "application/pdf" || string(doc) != "%PDF-1.4 fake" {
		t.Fatalf("document %d %v %q", code, header, doc)
	}

	for _, tt := range []struct{ body, want string }{
		{`{"courier":"ups"}`, `courier "ups" is not set up on this server (it has fake, local): ` +
			"choose another service or start the server with that courier"},
		{`{"courier":""}`, `courier: required, e.g. "local"`},
		{`{"courier":"local","day":"4 Dec"}`, `day: "4 Dec": want a date YYYY-MM-DD`},
	} {
		code, body, _ := ts.post("Bo", "/api/v1/manifests", tt.body)
		if code/100 != 4 || errorText(t, body) != tt.want {
			t.Errorf("POST %s: %d %s, want %q", tt.body, code, body, tt.want)
		}
	}
	if code, body := ts.call("GET", "/api/v1/manifests/99", ""); code != 404 || errorText(t, body) != "no manifest 99" {
		t.Errorf("unknown manifest: %d %s", code, body)
	}
}

func TestFulfilmentsAPI(t *testing.T) {
	ts := startServer(t)
	day := ts.st.WarehouseToday()
	a, _ := ts.shipped("SO-000001", "local", day, "active", 1, 100)
	b, _ := ts.shipped("SO-000002", "local", day, "active", 2, 100)
	var list []store.Fulfilment
	ts.getJSON("/api/v1/fulfilments?unsent=true", &list)
	if len(list) != 2 || list[0].ConsignmentID != a || list[1].ConsignmentID != b ||
		!strings.Contains(string(list[0].Payload), `"tracking":["LC000000014GB"]`) {
		t.Fatalf("unsent %+v", list)
	}
	data := ts.mustPost("sync-worker", fmt.Sprintf("/api/v1/fulfilments/%d/sent", list[0].ID), "", http.StatusOK)
	var sent store.Fulfilment
	if json.Unmarshal(data, &sent); sent.SentAt == nil || sent.ID != list[0].ID {
		t.Fatalf("sent %s", data)
	}
	ts.getJSON("/api/v1/fulfilments?unsent=true", &list)
	if len(list) != 1 || list[0].ConsignmentID != b {
		t.Fatalf("unsent after one sent: %+v", list)
	}
	for _, tt := range []struct {
		method, path string
		code         int
		want         string
	}{
		{"GET", "/api/v1/fulfilments?unsent=maybe", 400, `unsent: "maybe": want true or false`},
		{"POST", "/api/v1/fulfilments/x/sent", 400, `fulfilment id "x": want a whole number`},
		{"POST", "/api/v1/fulfilments/99/sent", 404, "no fulfilment 99"},
	} {
		if code, body := ts.call(tt.method, tt.path, ""); code != tt.code || errorText(t, body) != tt.want {
			t.Errorf("%s %s: %d %s", tt.method, tt.path, code, body)
		}
	}
}

func TestDashboardShippedByCourier(t *testing.T) {
	ts := startServer(t)
	day := ts.st.WarehouseToday()
	ts.shipped("SO-000001", "local", day, "active", 1, 100, 200)
	ts.shipped("SO-000002", "local", day, "voided", 3, 100)
	ts.shipped("SO-000003", "easypost", day, "active", 4, 100)
	var d struct {
		Shipped []store.CourierCount `json:"shipped_by_courier"`
	}
	ts.getJSON("/api/v1/dashboard", &d)
	want := []store.CourierCount{{Courier: "easypost", Consignments: 1, Parcels: 1},
		{Courier: "local", Consignments: 1, Parcels: 2}}
	if fmt.Sprint(d.Shipped) != fmt.Sprint(want) {
		t.Fatalf("shipped by courier %+v, want %+v", d.Shipped, want)
	}
}

func TestEasyPostNeedsURLAndKey(t *testing.T) {
	for _, cfg := range []server.Config{{EasyPostURL: "http://127.0.0.1:1"}, {EasyPostKey: "EZTK"}} {
		cfg.DBPath = t.TempDir() + "/shipshape.db"
		_, err := server.New(t.Context(), cfg, slog.New(slog.DiscardHandler))
		if err == nil || err.Error() != "easypost: give both the URL and the key (--easypost-url and --easypost-key)" {
			t.Errorf("New(%+v) = %v", cfg, err)
		}
	}
	ts := startServer(t, func(c *server.Config) { c.EasyPostURL, c.EasyPostKey = "http://127.0.0.1:1", "EZTK" })
	code, body, _ := ts.post("Bo", "/api/v1/manifests", `{"courier":"easypost"}`)
	if code != http.StatusConflict || !strings.HasPrefix(errorText(t, body), "nothing to close for easypost") {
		t.Fatalf("easypost registered: %d %s", code, body)
	}
}
