package store_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// seedShipped writes what shipping an order leaves behind: the order (made
// once), a consignment of the courier with one shipment per weight (a
// parcel weighed that much, 0 for not weighed) and, for an active one, an
// outbox row. It returns the consignment's id.
func seedShipped(t *testing.T, db *sql.DB, order, courier, ref, shipDate, status, createdAt string,
	weights ...int) int64 {
	t.Helper()
	exec := func(q string, args ...any) sql.Result {
		t.Helper()
		res, err := db.Exec(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	exec(`INSERT OR IGNORE INTO orders (number, channel, channel_order_id, ship_to, status, created_at,
		updated_at) VALUES (?, 'web', ?, '{}', 'shipped', ?, ?)`, order, "W-"+order, createdAt, createdAt)
	var orderID int64
	if err := db.QueryRow(`SELECT id FROM orders WHERE number = ?`, order).Scan(&orderID); err != nil {
		t.Fatal(err)
	}
	id, _ := exec(`INSERT INTO consignments (order_id, courier, courier_ref, carrier, service, ship_date,
		parcels, status, created_by, created_at) VALUES (?, ?, ?, 'Carrier', 'next-day', ?, ?, ?, 'test', ?)`,
		orderID, courier, ref, shipDate, len(weights), status, createdAt).LastInsertId()
	for k, w := range weights {
		var weight any
		if w > 0 {
			weight = w
		}
		exec(`INSERT OR IGNORE INTO parcels (order_id, seq, weight_g, created_by, created_at)
			VALUES (?, ?, ?, 'test', ?)`, orderID, k+1, weight, createdAt)
		var parcelID int64
		db.QueryRow(`SELECT id FROM parcels WHERE order_id = ? AND seq = ?`, orderID, k+1).Scan(&parcelID)
		exec(`INSERT INTO shipments (order_id, parcel, parcels, carrier, service, tracking, created_by,
			created_at, consignment_id, parcel_id, tracking_url) VALUES (?, ?, ?, 'Carrier', 'next-day', ?,
			'test', ?, ?, ?, ?)`, orderID, k+1, len(weights), fmt.Sprintf("T%d-%d", id, k+1), createdAt, id,
			parcelID, fmt.Sprintf("https://track.example/T%d-%d", id, k+1))
	}
	if status == "active" {
		exec(`INSERT INTO fulfilment_outbox (at, order_id, channel_id, channel_order_id, consignment_id,
			kind, payload) VALUES (?, ?, 'web', ?, ?, 'shipped', ?)`, createdAt, orderID, "W-"+order, id,
			fmt.Sprintf(`{"carrier":"Carrier","tracking":["T%d-1"]}`, id))
	}
	return id
}

func candidateIDs(t *testing.T, f *fixture, courier, day string) []int64 {
	t.Helper()
	list, err := f.st.ManifestCandidates(f.ctx, courier, day)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{}
	for _, c := range list {
		ids = append(ids, c.ConsignmentID)
	}
	return ids
}

func TestManifestCandidatesAndClose(t *testing.T) {
	f := newFixture(t)
	db := f.raw()
	const at = "2026-12-04T09:00:00Z"
	a := seedShipped(t, db, "SO-000001", "local", "ref-a", "2026-12-03", "active", at, 1200, 800)
	voided := seedShipped(t, db, "SO-000002", "local", "ref-v", "2026-12-04", "voided", at, 500)
	b := seedShipped(t, db, "SO-000002", "local", "ref-b", "2026-12-04", "active", at, 500)
	seedShipped(t, db, "SO-000003", "local", "ref-late", "2026-12-05", "active", at, 100)
	seedShipped(t, db, "SO-000004", "easypost", "shp_1", "2026-12-04", "active", at, 0)

	if got := candidateIDs(t, f, "local", "2026-12-04"); !reflect.DeepEqual(got, []int64{a, b}) {
		t.Fatalf("candidates %v, want %v (not the voided %d, the later one or easypost's)", got, []int64{a, b},
			voided)
	}
	m, err := f.st.SaveManifest(f.ctx, "ann", store.NewManifest{Courier: "local", Day: "2026-12-04",
		CourierRef: "LC-20261204", Document: []byte("sheet"), DocumentType: "text/plain",
		Consignments: []int64{a, b, voided}})
	if err != nil {
		t.Fatal(err)
	}
	want := store.Manifest{ID: m.ID, Courier: "local", Day: "2026-12-04", CourierRef: "LC-20261204",
		DocumentType: "text/plain", HasDocument: true, Consignments: 2, Parcels: 3, CreatedBy: "ann",
		CreatedAt: m.CreatedAt}
	if m != want || m.CreatedAt == "" {
		t.Fatalf("manifest %+v, want %+v", m, want)
	}
	if got := candidateIDs(t, f, "local", "2026-12-04"); len(got) != 0 {
		t.Fatalf("candidates after close %v, want none", got)
	}
	_, err = f.st.SaveManifest(f.ctx, "ann", store.NewManifest{Courier: "local", Day: "2026-12-04",
		Consignments: []int64{a, b}})
	if oms.ErrorCode(err) != oms.EConflict {
		t.Fatalf("closing the same consignments again: %v, want a conflict", err)
	}
	list, err := f.st.Manifests(f.ctx, 10)
	if err != nil || len(list) != 1 || list[0] != want {
		t.Fatalf("manifests %+v, %v; want just %+v", list, err, want)
	}
	if got := candidateIDs(t, f, "local", "2026-12-05"); len(got) != 1 {
		t.Fatalf("candidates of the next day %v, want the one shipping then", got)
	}
}

func TestManifestByID(t *testing.T) {
	f := newFixture(t)
	db := f.raw()
	a := seedShipped(t, db, "SO-000001", "local", "ref-a", "2026-12-04", "active", "2026-12-04T09:00:00Z",
		1200, 0)
	m, err := f.st.SaveManifest(f.ctx, "ann", store.NewManifest{Courier: "local", Day: "2026-12-04",
		CourierRef: "LC-20261204", DocumentURL: "https://forms.example/1", Consignments: []int64{a}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.st.ManifestByID(f.ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := 1200
	want := []store.ManifestConsignment{{ID: a, Order: "SO-000001", Carrier: "Carrier", Service: "next-day",
		CourierRef: "ref-a", ShipDate: "2026-12-04", Status: "active", Parcels: []store.ManifestParcel{
			{Parcel: 1, Of: 2, Tracking: fmt.Sprintf("T%d-1", a), TrackingURL: fmt.Sprintf("https://track.example/T%d-1", a), WeightGrams: &w},
			{Parcel: 2, Of: 2, Tracking: fmt.Sprintf("T%d-2", a), TrackingURL: fmt.Sprintf("https://track.example/T%d-2", a)},
		}}}
	if !reflect.DeepEqual(d.List, want) || d.HasDocument || d.DocumentURL != "https://forms.example/1" {
		t.Fatalf("manifest %+v\nlist %+v\nwant %+v", d.Manifest, d.List, want)
	}
	if _, _, err := f.st.ManifestDocument(f.ctx, m.ID); oms.ErrorCode(err) != oms.ENotFound {
		t.Fatalf("document of a manifest kept at a URL: %v, want not found", err)
	}
	if _, err := f.st.ManifestByID(f.ctx, m.ID+1); oms.ErrorCode(err) != oms.ENotFound ||
		err.Error() != fmt.Sprintf("no manifest %d", m.ID+1) {
		t.Fatalf("unknown manifest: %v", err)
	}
	if _, err := f.st.ManifestCandidates(f.ctx, "local", "04/12/2026"); err == nil ||
		err.Error() != `day: "04/12/2026": want a date YYYY-MM-DD` {
		t.Fatalf("bad day: %v", err)
	}
}

func TestShippedByCourier(t *testing.T) {
	f := newFixture(t)
	f.st.Zone = time.FixedZone("UTC+2", 2*3600)
	db := f.raw()
	// The warehouse's 4 December runs from 3 December 22:00 to 4 December 22:00 UTC.
	seedShipped(t, db, "SO-000001", "local", "r1", "2026-12-04", "active", "2026-12-03T22:30:00Z", 100, 200)
	seedShipped(t, db, "SO-000002", "local", "r2", "2026-12-04", "active", "2026-12-04T21:59:59.5Z", 100)
	seedShipped(t, db, "SO-000003", "local", "r3", "2026-12-04", "voided", "2026-12-04T10:00:00Z", 100)
	seedShipped(t, db, "SO-000004", "local", "r4", "2026-12-05", "active", "2026-12-04T22:00:00Z", 100)
	seedShipped(t, db, "SO-000005", "local", "r5", "2026-12-03", "active", "2026-12-03T21:59:00Z", 100)
	seedShipped(t, db, "SO-000006", "easypost", "shp", "2026-12-04", "active", "2026-12-04T08:00:00Z", 100)
	got, err := f.st.ShippedByCourier(f.ctx, "2026-12-04")
	want := []store.CourierCount{{Courier: "easypost", Consignments: 1, Parcels: 1},
		{Courier: "local", Consignments: 2, Parcels: 3}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("shipped by courier %+v, %v; want %+v", got, err, want)
	}
	f.st.Now = func() time.Time { return time.Date(2026, 12, 4, 22, 30, 0, 0, time.UTC) }
	if d := f.st.WarehouseToday(); d != "2026-12-05" {
		t.Fatalf("today %s, want 2026-12-05 (UTC+2)", d)
	}
}

func TestFulfilmentOutbox(t *testing.T) {
	f := newFixture(t)
	db := f.raw()
	a := seedShipped(t, db, "SO-000001", "local", "r1", "2026-12-04", "active", "2026-12-04T09:00:00Z", 100)
	b := seedShipped(t, db, "SO-000002", "local", "r2", "2026-12-04", "active", "2026-12-04T09:01:00Z", 100)
	list, err := f.st.Fulfilments(f.ctx, true, 0, 100)
	if err != nil || len(list) != 2 || list[0].ConsignmentID != a || list[1].ConsignmentID != b {
		t.Fatalf("unsent %+v, %v", list, err)
	}
	var payload map[string]any
	if err := json.Unmarshal(list[0].Payload, &payload); err != nil || payload["carrier"] != "Carrier" ||
		list[0].Order != "SO-000001" || list[0].ChannelOrderID != "W-SO-000001" || list[0].SentAt != nil {
		t.Fatalf("row %+v (payload %v)", list[0], err)
	}
	f.st.Now = func() time.Time { return time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) }
	sent, err := f.st.MarkFulfilmentSent(f.ctx, "sync", list[0].ID)
	if err != nil || sent.SentAt == nil || *sent.SentAt != "2026-12-04T10:00:00Z" {
		t.Fatalf("sent %+v, %v", sent, err)
	}
	f.st.Now = func() time.Time { return time.Date(2026, 12, 4, 11, 0, 0, 0, time.UTC) }
	again, err := f.st.MarkFulfilmentSent(f.ctx, "sync", list[0].ID)
	if err != nil || *again.SentAt != "2026-12-04T10:00:00Z" {
		t.Fatalf("sent again %+v, %v: want the first time kept", again, err)
	}
	if list, _ := f.st.Fulfilments(f.ctx, true, 0, 100); len(list) != 1 || list[0].ConsignmentID != b {
		t.Fatalf("unsent after one sent: %+v", list)
	}
	if all, _ := f.st.Fulfilments(f.ctx, false, list[0].ID, 100); len(all) != 1 || all[0].ConsignmentID != b {
		t.Fatalf("all after id %d: %+v", list[0].ID, all)
	}
	if _, err := f.st.MarkFulfilmentSent(f.ctx, "sync", 99); oms.ErrorCode(err) != oms.ENotFound {
		t.Fatalf("unknown fulfilment: %v", err)
	}
}

func TestStationScale(t *testing.T) {
	f := newFixture(t)
	c, err := f.st.StationScale(f.ctx, "S1")
	if want := (store.ScaleConfig{Station: "S1", Baud: 9600, Protocol: "nci"}); err != nil || c != want {
		t.Fatalf("scale of a new station %+v, %v", c, err)
	}
	port, baud := "/dev/ttyUSB1", 19200
	c, err = f.st.UpdateStationScale(f.ctx, "ann", "S1", store.ScaleUpdate{Port: &port, Baud: &baud})
	if want := (store.ScaleConfig{Station: "S1", Port: port, Baud: 19200, Protocol: "nci"}); err != nil || c != want {
		t.Fatalf("set %+v, %v", c, err)
	}
	bad, proto := 9601, "dibal"
	for _, u := range []struct {
		u    store.ScaleUpdate
		want string
	}{
		{store.ScaleUpdate{Baud: &bad}, "baud: 9601: want one of [1200 2400 4800 9600 19200 38400 57600 115200]"},
		{store.ScaleUpdate{Protocol: &proto}, `protocol: "dibal": want nci, sma or continuous`},
	} {
		if _, err := f.st.UpdateStationScale(f.ctx, "ann", "S1", u.u); oms.ErrorCode(err) != oms.EInvalid ||
			err.Error() != u.want {
			t.Errorf("update %+v: %v, want %q", u.u, err, u.want)
		}
	}
	if got, _ := f.st.StationScale(f.ctx, "S1"); got.Port != port || got.Baud != 19200 {
		t.Fatalf("after refused updates %+v", got)
	}
}
