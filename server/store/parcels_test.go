package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// parcelTables are the tables a refused purchase must not change.
var parcelTables = append([]string{"parcels", "parcel_items", "consignments", "fulfilment_outbox"}, tables...)

// fakeCourier sells a ZPL label per parcel with tracking numbers
// T<consignment>-<k>, and records what it voided.
type fakeCourier struct {
	fail   error  // returned by buy when set
	zpl    string // the label's body; "" for a ZPL label naming the parcel
	bought []*store.Consignment
	voided []string
}

func (c *fakeCourier) buy(_ context.Context, con *store.Consignment) (*store.Purchase, error) {
	c.bought = append(c.bought, con)
	if c.fail != nil {
		return nil, c.fail
	}
	p := &store.Purchase{Ref: fmt.Sprintf("ref-%d", con.ID), Carrier: "Fake", Service: con.Request.Service}
	for i := range con.Parcels {
		zpl := cmpOr(c.zpl, fmt.Sprintf("^XA^FDParcel %d/%d^FS^XZ", i+1, len(con.Parcels)))
		p.Labels = append(p.Labels, store.PurchaseLabel{Tracking: fmt.Sprintf("T%d-%d", con.ID, i+1),
			TrackingURL: fmt.Sprintf("https://track.example/T%d-%d", con.ID, i+1), ZPL: []byte(zpl)})
	}
	return p, nil
}

func (c *fakeCourier) void(_ context.Context, ref string) error {
	c.voided = append(c.voided, ref)
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (f *fixture) ship(c *fakeCourier, r store.ShipRequest) (*store.Shipped, error) {
	r.Actor = cmpOr(r.Actor, "packer")
	r.Courier = cmpOr(r.Courier, "fake")
	r.Service = cmpOr(r.Service, "standard")
	return f.st.Ship(f.ctx, r, c.buy, c.void)
}

// packTwoParcels packs SO-000001 at S1: a MUG in parcel 1 (box S), a MUG
// and a CUP in parcel 2.
func (f *fixture) packTwoParcels() {
	f.t.Helper()
	for _, code := range []string{"W-1", "BOX-S", "MUG", "PARCEL", "MUG", "CUP"} {
		f.mustPack("S1", code)
	}
}

func TestParcelBookkeeping(t *testing.T) {
	f := packFixture(t)
	res := f.mustPack("S1", "W-1")
	if want := []oms.Parcel{{Seq: 1, Open: true, Items: []oms.ParcelItem{}}}; !sameParcels(res.Session.Parcels, want) {
		t.Errorf("parcels of an order just opened: %+v, want %+v", res.Session.Parcels, want)
	}
	steps := []struct {
		code string
		ok   bool
		msg  string
	}{
		{"PARCEL", false, "Parcel 1 is empty: put an item in it before starting another"},
		{"box-s", true, "Parcel 1 in box S"},
		{"MUG", true, "Title of MUG 1 / 2"},
		{"BOX-L", true, "Parcel 2 started in box L: scan its items"},
		{"MUG", true, "Title of MUG 2 / 2"},
		{"PARCEL", true, "Parcel 3 started: scan its items"},
		{"CUP", true, "Title of CUP 1 / 1"},
	}
	for _, st := range steps {
		res = f.packScan("S1", st.code)
		if res.Verdict.OK != st.ok || res.Verdict.Message != st.msg {
			t.Errorf("scan %s: %+v, want ok=%v %q", st.code, res.Verdict, st.ok, st.msg)
		}
	}
	sess, err := f.st.WeighParcel(f.ctx, "S1", "packer", store.ParcelUpdate{Seq: 2, Grams: 1250, LengthMM: 300,
		WidthMM: 200, HeightMM: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := []oms.Parcel{
		{Seq: 1, Box: "S", Items: []oms.ParcelItem{{SKU: "MUG", Qty: 1}}},
		{Seq: 2, Box: "L", WeightGrams: 1250, LengthMM: 300, WidthMM: 200, HeightMM: 100,
			Items: []oms.ParcelItem{{SKU: "MUG", Qty: 1}}},
		{Seq: 3, Open: true, Items: []oms.ParcelItem{{SKU: "CUP", Qty: 1}}},
	}
	if !sameParcels(sess.Parcels, want) {
		t.Errorf("parcels %+v, want %+v", sess.Parcels, want)
	}
	_, err = f.st.WeighParcel(f.ctx, "S1", "packer", store.ParcelUpdate{Seq: 4, Grams: 10})
	wantErr(t, err, oms.EConflict, "has no parcel 4")
	_, err = f.st.WeighParcel(f.ctx, "S1", "packer", store.ParcelUpdate{Seq: 1, Grams: 70_001})
	wantErr(t, err, oms.EInvalid, "grams: 70001")

	if err := f.st.PackCancel(f.ctx, "S1", "packer"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM parcels`); n != 0 {
		t.Errorf("%d parcels left after the order was unpacked", n)
	}
}

// sameParcels compares parcels without their database ids.
func sameParcels(got, want []oms.Parcel) bool {
	g := append([]oms.Parcel(nil), got...)
	for i := range g {
		g[i].ID = 0
	}
	return reflect.DeepEqual(g, want)
}

func TestStationCodesAreReserved(t *testing.T) {
	f := newFixture(t)
	for _, code := range []string{"PARCEL", "ship", "BOX-M"} {
		_, err := f.st.ImportCatalog(f.ctx, "test", []oms.Product{{SKU: code, Title: "x", Stocked: true}})
		wantErr(t, err, oms.EConflict, "is a packing station's code")
	}
	if v := f.packScan("S1", "PARCEL").Verdict; v.OK || v.Message != "PARCEL is a packing code: scan an order "+
		"number or tote first" {
		t.Errorf("PARCEL with no order: %+v", v)
	}
}

func TestShipRefusals(t *testing.T) {
	tests := []struct {
		name   string
		codes  []string
		weight bool
		want   string
	}{
		{"lines not verified", []string{"W-1", "MUG"}, false,
			"cannot release the label of order SO-000001: MUG verified 1 of 2, CUP verified 0 of 1"},
		{"no weights for a courier that needs them", []string{"W-1", "MUG", "PARCEL", "MUG", "CUP"}, true,
			"cannot release the labels of order SO-000001: parcel 1 has no weight, parcel 2 has no weight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := packFixture(t)
			for _, code := range tt.codes {
				f.mustPack("S1", code)
			}
			db := f.raw()
			before := dump(t, db, parcelTables...)
			c := &fakeCourier{}
			_, err := f.ship(c, store.ShipRequest{Station: "S1", NeedsWeight: tt.weight})
			wantErr(t, err, oms.EConflict)
			if err.Error() != tt.want {
				t.Errorf("refusal %q, want %q", err, tt.want)
			}
			if after := dump(t, db, parcelTables...); after != before {
				t.Errorf("a refused release changed the database:\n%s\nwant:\n%s", after, before)
			}
			if len(c.bought) != 0 {
				t.Errorf("the courier was asked to sell %d times", len(c.bought))
			}
		})
	}
}

// TestShipDropsEmptyLastParcel: a parcel started after the last item and
// left empty is dropped at release, not labelled and not a refusal; the
// order ships in the parcels that hold its items.
func TestShipDropsEmptyLastParcel(t *testing.T) {
	f := packFixture(t)
	for _, code := range []string{"W-1", "MUG", "PARCEL", "MUG", "CUP", "PARCEL"} {
		f.mustPack("S1", code)
	}
	c := &fakeCourier{}
	out, err := f.ship(c, store.ShipRequest{Station: "S1", Printer: "spool test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.bought) != 1 || len(c.bought[0].Parcels) != 2 || len(out.Shipments) != 2 ||
		out.Shipments[1].Parcels != 2 {
		t.Errorf("bought %+v, shipments %+v: want two parcels", c.bought, out.Shipments)
	}
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM parcels`); n != 2 {
		t.Errorf("%d parcels stored, want 2 (the empty third dropped)", n)
	}
	f.wantStatus("SO-000001", store.StatusShipped, "")
}

func TestShipTwoParcels(t *testing.T) {
	f := packFixture(t)
	f.packTwoParcels()
	if err := f.st.SetGS1Prefix(f.ctx, "admin", "5012345"); err == nil {
		t.Fatal("a GS1 prefix was set before the warehouse's address")
	}
	if _, err := f.st.SetWarehouse(f.ctx, "admin", shipTo()); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetGS1Prefix(f.ctx, "admin", "5012345"); err != nil {
		t.Fatal(err)
	}
	c := &fakeCourier{}
	out, err := f.ship(c, store.ShipRequest{Station: "S1", Printer: "spool test", ShipDate: "2026-12-07"})
	if err != nil {
		t.Fatal(err)
	}
	con := c.bought[0]
	if con.IdempotencyKey != "shipshape-SO-000001-c1" || len(con.Parcels) != 2 ||
		!reflect.DeepEqual(con.SSCCs, []string{"050123450000000015", "050123450000000022"}) {
		t.Errorf("asked the courier for %+v", con)
	}
	if len(out.Shipments) != 2 || out.Shipments[1].Parcel != 2 || out.Shipments[1].Parcels != 2 ||
		out.Shipments[1].Tracking != "T1-2" || out.Shipments[1].SSCC != "050123450000000022" {
		t.Errorf("shipments %+v", out.Shipments)
	}
	db := f.raw()
	const queued = `SELECT COUNT(*) FROM print_jobs WHERE status = 'queued' AND data LIKE '^XA^FDParcel _/2%'`
	if n := count(t, db, queued); n != 2 {
		t.Errorf("%d queued labels, want 2", n)
	}
	f.wantStatus("SO-000001", store.StatusShipped, "")
	var payload, status, ref string
	if err := db.QueryRow(`SELECT payload FROM fulfilment_outbox WHERE kind = 'shipped'`).Scan(&payload); err != nil ||
		!strings.Contains(payload, `"tracking":"T1-2","tracking_url":"https://track.example/T1-2"`) {
		t.Errorf("outbox payload %s, %v", payload, err)
	}
	if err := db.QueryRow(`SELECT status, courier_ref FROM consignments`).Scan(&status, &ref); err != nil ||
		status != "active" || ref != "ref-1" {
		t.Errorf("consignment %s %s, %v", status, ref, err)
	}
	if _, err := f.st.StationSession(f.ctx, "S1"); oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("station after the labels: %v, want it free", err)
	}
}

func TestShipOverride(t *testing.T) {
	f := packFixture(t)
	f.mustPack("S1", "W-1")
	f.mustPack("S1", "MUG")
	c := &fakeCourier{}
	if _, err := f.ship(c, store.ShipRequest{Station: "S1", Actor: "sue", Override: "customer collects now"}); err != nil {
		t.Fatal(err)
	}
	f.wantStatus("SO-000001", store.StatusShipped, "")
	db := f.raw()
	var override string
	if err := db.QueryRow(`SELECT override FROM consignments`).Scan(&override); err != nil ||
		override != "customer collects now" {
		t.Errorf("consignment override %q, %v", override, err)
	}
	audit, err := f.st.Audit(f.ctx, "order", "SO-000001", 2)
	if err != nil || len(audit) != 2 || audit[0].Action != "label.release" || audit[1].Action != "label.override" ||
		audit[1].Actor != "sue" || audit[1].Detail != "customer collects now" ||
		!strings.Contains(audit[0].Detail, "released unverified by override: customer collects now") {
		t.Errorf("audit %+v, %v", audit, err)
	}
}

func TestShipBuyFails(t *testing.T) {
	f := packFixture(t)
	for _, code := range []string{"W-1", "MUG", "MUG", "CUP"} {
		f.mustPack("S1", code)
	}
	c := &fakeCourier{fail: errors.New("postcode LS99 is not served")}
	_, err := f.ship(c, store.ShipRequest{Station: "S1"})
	var be *store.BuyError
	if !errors.As(err, &be) || be.OrderNumber != "SO-000001" || !errors.Is(err, c.fail) {
		t.Fatalf("failed purchase: %v", err)
	}
	db := f.raw()
	var status, msg string
	if err := db.QueryRow(`SELECT status, error FROM consignments`).Scan(&status, &msg); err != nil ||
		status != "failed" || msg != "postcode LS99 is not served" {
		t.Errorf("consignment %s %q, %v", status, msg, err)
	}
	for _, table := range []string{"shipments", "print_jobs", "fulfilment_outbox"} {
		if n := count(t, db, `SELECT COUNT(*) FROM `+table); n != 0 {
			t.Errorf("%d rows in %s after a failed purchase", n, table)
		}
	}
	f.wantStatus("SO-000001", store.StatusPacking, "")
	if sess, err := f.st.StationSession(f.ctx, "S1"); err != nil || sess.OrderNumber != "SO-000001" {
		t.Errorf("station after a failed purchase: %+v, %v", sess, err)
	}
	c.fail = nil
	if _, err := f.ship(c, store.ShipRequest{Station: "S1"}); err != nil {
		t.Errorf("retry after a failed purchase: %v", err)
	}
}

func TestShipRecordFailsVoids(t *testing.T) {
	f := packFixture(t)
	for _, code := range []string{"W-1", "MUG", "MUG", "CUP"} {
		f.mustPack("S1", code)
	}
	c := &fakeCourier{zpl: "<html>502 Bad Gateway</html>"}
	_, err := f.ship(c, store.ShipRequest{Station: "S1"})
	var re *store.RecordError
	if !errors.As(err, &re) || !strings.Contains(re.Message, "the purchase was voided") {
		t.Fatalf("purchase not recorded: %v", err)
	}
	if !reflect.DeepEqual(c.voided, []string{"ref-1"}) {
		t.Errorf("voided %q, want ref-1", c.voided)
	}
	db := f.raw()
	var status string
	if err := db.QueryRow(`SELECT status FROM consignments`).Scan(&status); err != nil || status != "failed" {
		t.Errorf("consignment %s, %v", status, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM shipments`) + count(t, db, `SELECT COUNT(*) FROM print_jobs`); n != 0 {
		t.Errorf("%d shipments and print jobs after a purchase that was not recorded", n)
	}
	f.wantStatus("SO-000001", store.StatusPacking, "")
}

func TestAddParcel(t *testing.T) {
	f := packFixture(t)
	f.packTwoParcels()
	c := &fakeCourier{}
	if _, err := f.ship(c, store.ShipRequest{Station: "S1"}); err != nil {
		t.Fatal(err)
	}
	db := f.raw()
	before := dump(t, db, parcelTables...)
	refusals := []struct {
		name string
		r    store.AddParcelRequest
		code string
		want string
	}{
		{"no reason", store.AddParcelRequest{Move: []store.ParcelMove{{SKU: "CUP", Qty: 1, From: 2}}},
			oms.EInvalid, "reason"},
		{"nothing moved", store.AddParcelRequest{Reason: "r"}, oms.EInvalid, "the new parcel would be empty"},
		{"more than the parcel holds", store.AddParcelRequest{Reason: "r",
			Move: []store.ParcelMove{{SKU: "CUP", Qty: 2, From: 2}}}, oms.EConflict, "move 2 CUP from parcel 2: it holds 1"},
		{"leaves a parcel empty", store.AddParcelRequest{Reason: "r",
			Move: []store.ParcelMove{{SKU: "MUG", Qty: 1, From: 1}}}, oms.EConflict, "leave parcel 1 empty"},
	}
	for _, tt := range refusals {
		tt.r.OrderNumber = "SO-000001"
		_, err := f.st.AddParcel(f.ctx, tt.r, c.void)
		wantErr(t, err, tt.code, tt.want)
	}
	if after := dump(t, db, parcelTables...); after != before || len(c.voided) != 0 {
		t.Fatalf("refused additions changed the database or voided %q", c.voided)
	}

	// A service that was removed since cannot be bought again: refused
	// before anything is voided.
	if _, err := db.Exec(`UPDATE consignments SET service_id = 'gone'`); err != nil {
		t.Fatal(err)
	}
	_, err := f.st.AddParcel(f.ctx, store.AddParcelRequest{OrderNumber: "SO-000001", Actor: "sue",
		Reason: "r", Grams: 400, Move: []store.ParcelMove{{SKU: "CUP", Qty: 1, From: 2}}}, c.void)
	wantErr(t, err, oms.EConflict, "shipped with service gone, which is no longer set up")
	if _, err := db.Exec(`UPDATE consignments SET service_id = ''`); err != nil || len(c.voided) != 0 {
		t.Fatalf("restore: %v; voided %q", err, c.voided)
	}

	old, err := f.st.AddParcel(f.ctx, store.AddParcelRequest{OrderNumber: "SO-000001", Actor: "sue",
		Reason: "the cup was loose", Grams: 400, Box: "XS",
		Move: []store.ParcelMove{{SKU: "CUP", Qty: 1, From: 2}}}, c.void)
	if err != nil {
		t.Fatal(err)
	}
	if old.Ref != "ref-1" || old.Station != "S1" || !reflect.DeepEqual(c.voided, []string{"ref-1"}) {
		t.Errorf("voided %+v (%q)", old, c.voided)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM shipments WHERE voided = 1`); n != 2 {
		t.Errorf("%d shipments voided, want 2", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM print_jobs WHERE status = 'voided'`); n != 2 {
		t.Errorf("%d print jobs voided, want 2", n)
	}
	f.wantStatus("SO-000001", store.StatusPacking, "parcel 3 added: the cup was loose")
	c.fail = errors.New("courier down")
	if _, err := f.ship(c, store.ShipRequest{OrderNumber: "SO-000001", Station: old.Station}); err == nil {
		t.Fatal("a failed purchase after the addition was not reported")
	}
	// The packer opens the order again: it keeps its three parcels.
	c.fail = nil
	f.mustPack("S2", "W-1")
	if _, err := f.ship(c, store.ShipRequest{Station: "S2"}); err != nil {
		t.Fatal(err)
	}
	var kinds string
	if err := db.QueryRow(`SELECT group_concat(kind, ',') FROM (SELECT kind FROM fulfilment_outbox ORDER BY id)`).
		Scan(&kinds); err != nil || kinds != "shipped,voided,shipped" {
		t.Errorf("outbox %q, %v", kinds, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM shipments WHERE voided = 0 AND parcels = 3`); n != 3 {
		t.Errorf("%d live shipments of 3 parcels, want 3", n)
	}
	sess, err := f.st.OrderSession(f.ctx, "SO-000001")
	if err != nil || len(sess.Parcels) != 3 || sess.Parcels[2].WeightGrams != 400 ||
		!reflect.DeepEqual(sess.Parcels[2].Items, []oms.ParcelItem{{SKU: "CUP", Qty: 1}}) ||
		!reflect.DeepEqual(sess.Parcels[1].Items, []oms.ParcelItem{{SKU: "MUG", Qty: 1}}) {
		t.Errorf("parcels after the addition: %+v, %v", sess, err)
	}
}
