package store_test

import (
	"fmt"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// packFixture has SO-000001 (channel id W-1: MUG x2, CUP x1) picked into
// TOTE-1, and stock for more orders. BOWL is stocked but in no order.
func packFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"), stocked("CUP", "A-01-02"), stocked("BOWL", "A-01-03"))
	f.stock(row("MUG", "A-01-01", 20), row("CUP", "A-01-02", 20), row("BOWL", "A-01-03", 20))
	f.order("W-1", line("MUG", 2), line("CUP", 1))
	if n := f.pickAll("ann", "TOTE-1"); n != "SO-000001" {
		t.Fatalf("picked %s, want SO-000001", n)
	}
	return f
}

func TestPackOpensOrder(t *testing.T) {
	tests := []struct {
		name, code string
	}{
		{"our number", "SO-000001"},
		{"channel order id", "W-1"},
		{"tote", "TOTE-1"},
		{"tote in lower case", "tote-1"},
		{"number with spaces", "  SO-000001 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := packFixture(t)
			res := f.packScan("S1", tt.code)
			if !res.Verdict.OK || res.Verdict.Message != "Order SO-000001: scan each item" {
				t.Errorf("verdict %+v", res.Verdict)
			}
			if res.Session == nil || res.Session.OrderNumber != "SO-000001" || len(res.Session.Lines) != 2 ||
				res.Session.Status != oms.PackOpen {
				t.Errorf("session %+v", res.Session)
			}
			f.wantStatus("SO-000001", store.StatusPacking, "")
			sess, err := f.st.StationSession(f.ctx, "S1")
			if err != nil || sess.OrderNumber != "SO-000001" {
				t.Errorf("station S1 holds %+v, %v", sess, err)
			}
		})
	}
}

func TestPackOpenRefused(t *testing.T) {
	tests := []struct {
		name string
		prep func(*fixture)
		code string
		want string
	}{
		{"allocated, not picked", func(f *fixture) { f.order("W-2", line("MUG", 1)) },
			"SO-000002", "Order SO-000002 is waiting to be picked: not ready to pack"},
		{"being picked", func(f *fixture) { f.order("W-2", line("MUG", 1)); f.task("bob") },
			"W-2", "Order SO-000002 is being picked: not ready to pack"},
		{"waiting for stock", func(f *fixture) { f.order("W-2", line("MUG", 99)) },
			"W-2", "Order SO-000002 is waiting for stock: not ready to pack"},
		{"short picked", func(f *fixture) {
			f.order("W-2", line("MUG", 1))
			f.task("bob")
			if _, err := f.st.PickShort(f.ctx, "bob", "", 0); err != nil {
				f.t.Fatal(err)
			}
			if _, err := f.st.CompletePickTask(f.ctx, "bob"); err != nil {
				f.t.Fatal(err)
			}
		}, "W-2", "Order SO-000002 is in exception: not ready to pack"},
		{"open at another station", func(f *fixture) { f.mustPack("S2", "W-1") },
			"SO-000001", "Order SO-000001 is open at station S2"},
		{"unknown code", func(*fixture) {}, "W-404", `No order or tote "W-404": scan an order number or tote`},
		{"tote nobody used", func(*fixture) {}, "TOTE-2", `No order or tote "TOTE-2": scan an order number or tote`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := packFixture(t)
			tt.prep(f)
			spool := ""
			if _, err := f.st.UpdateStationPrinter(f.ctx, "test", "S1",
				store.PrinterUpdate{Addr: &spool}); err != nil {
				t.Fatal(err)
			}
			db := f.raw()
			before := dump(t, db, tables...)

			res := f.packScan("S1", tt.code)
			if res.Verdict.OK || res.Verdict.Message != tt.want || res.Session != nil {
				t.Errorf("verdict %+v, session %+v; want refused with %q", res.Verdict, res.Session, tt.want)
			}
			if after := dump(t, db, tables...); after != before {
				t.Errorf("a refused scan changed the database:\n%s\nwant:\n%s", after, before)
			}
			if res.Scan == nil || res.Scan.OK || res.Scan.Station != "S1" || res.Scan.Where != "pack" {
				t.Errorf("recorded scan %+v", res.Scan)
			}
		})
	}
}

func TestPackVerifyRefused(t *testing.T) {
	tests := []struct {
		name string
		prep []string
		scan string
		want string
	}{
		{"item not in order", nil, "BOWL", "Not in order SO-000001: Title of BOWL (BOWL)"},
		{"too many", []string{"CUP"}, "CUP", "Too many: Title of CUP is already 1 / 1"},
		{"bin", nil, "A-01-01", "A-01-01 is a bin, not an item"},
		{"unknown code", nil, "ZZ-404", `Unknown barcode "ZZ-404"`},
		{"the open order's number", nil, "SO-000001", "Order SO-000001 is open here: scan its items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := packFixture(t)
			f.mustPack("S1", "SO-000001")
			for _, code := range tt.prep {
				f.mustPack("S1", code)
			}
			db := f.raw()
			before := dump(t, db, tables...)

			res := f.packScan("S1", tt.scan)
			if res.Verdict.OK || res.Verdict.Message != tt.want {
				t.Errorf("verdict %+v, want refused with %q", res.Verdict, tt.want)
			}
			if after := dump(t, db, tables...); after != before {
				t.Errorf("a refused scan changed the database:\n%s\nwant:\n%s", after, before)
			}
		})
	}
}

func TestPackReplayCountsOnce(t *testing.T) {
	f := packFixture(t)
	f.mustPack("S1", "W-1")
	for i := range 2 {
		res, err := f.st.PackScan(f.ctx, "S1", "packer", "cmd-1", "MUG")
		if err != nil || !res.Verdict.OK || res.Verdict.Message != "Title of MUG 1 / 2" {
			t.Fatalf("scan %d: %+v, %v", i, res, err)
		}
		if (res.Scan == nil) != (i == 1) {
			t.Errorf("scan %d: recorded scan %+v", i, res.Scan)
		}
		if res.Session == nil || res.Session.Lines[0].Verified != 1 {
			t.Errorf("scan %d: session %+v, want MUG verified 1", i, res.Session)
		}
	}
	if o := f.orderByNumber("W-1"); o.Lines[0].Verified != 1 {
		t.Errorf("MUG verified %d after a replay, want 1", o.Lines[0].Verified)
	}
}

func TestReleaseLabel(t *testing.T) {
	f := packFixture(t)
	db := f.raw()
	_, _, err := f.release("S1")
	wantErr(t, err, oms.EConflict, "no order open at station S1")

	f.mustPack("S1", "W-1")
	f.mustPack("S1", "MUG")
	before := dump(t, db, tables...)
	_, _, err = f.release("S1")
	wantErr(t, err, oms.EConflict, "SO-000001", "MUG verified 1 of 2", "CUP verified 0 of 1")
	if after := dump(t, db, tables...); after != before {
		t.Errorf("a refused release changed the database:\n%s\nwant:\n%s", after, before)
	}

	f.mustPack("S1", "MUG")
	f.mustPack("S1", "CUP")
	sh, job, err := f.release("S1")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Shipment{ID: sh.ID, OrderNumber: "SO-000001", Parcel: 1, Parcels: 1, Carrier: "Test courier",
		Service: "Standard", Tracking: "TRK000001"}
	if *sh != want {
		t.Errorf("shipment %+v, want %+v", *sh, want)
	}
	f.wantStatus("SO-000001", store.StatusShipped, "")
	var station, status, printer string
	var data []byte
	err = db.QueryRow(`SELECT station_id, status, printer, data FROM print_jobs WHERE id = ? AND shipment_id = ?`,
		job.ID, sh.ID).Scan(&station, &status, &printer, &data)
	if err != nil || station != "S1" || status != "queued" || printer != "spool test" ||
		string(data) != "label SO-000001 TRK000001" {
		t.Errorf("print job %s: %s %s %s %q, %v", job.ID, station, status, printer, data, err)
	}
	o := f.orderByNumber("SO-000001")
	if ships, err := f.st.Shipments(f.ctx, o.ID); err != nil || len(ships) != 1 || ships[0] != *sh {
		t.Errorf("shipments %+v, %v; want %+v", ships, err, *sh)
	}
	if _, err := f.st.StationSession(f.ctx, "S1"); oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("station after release: %v; want it free for the next order", err)
	}
	if v := f.packScan("S1", "SO-000001").Verdict; v.OK || v.Message != "Order SO-000001 is shipped: not ready to pack" {
		t.Errorf("scan of the shipped order: %+v", v)
	}

	_, _, err = f.st.ReleaseLabel(f.ctx, store.Release{Station: "S1", Actor: "pat", OrderNumber: "SO-000001",
		Carrier: "Test", Tracking: func(n int64) string { return fmt.Sprint("TRK", n) },
		Label: func(*oms.PackSession, store.Shipment) ([]byte, error) { return []byte("x"), nil }})
	wantErr(t, err, oms.EConflict, "SO-000001 already has a label")
	if n := count(t, db, `SELECT COUNT(*) FROM shipments`); n != 1 {
		t.Errorf("%d shipments, want 1", n)
	}
}

func TestReleaseLabelByOrderNumber(t *testing.T) {
	tests := []struct {
		name  string
		order string
		code  string
		want  []string
	}{
		{"not at a station", "SO-000001", oms.EConflict, []string{"MUG verified 0 of 2", "CUP verified 0 of 1"}},
		{"allocated, not picked", "SO-000002", oms.EConflict, []string{"SO-000002", "it is waiting to be picked"}},
		{"unknown", "SO-000404", oms.ENotFound, []string{"SO-000404"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := packFixture(t)
			f.order("W-2", line("BOWL", 1))
			_, _, err := f.st.ReleaseLabel(f.ctx, store.Release{Station: "api", OrderNumber: tt.order,
				Carrier: "Test", Tracking: func(int64) string { return "T" },
				Label: func(*oms.PackSession, store.Shipment) ([]byte, error) { return nil, nil }})
			wantErr(t, err, tt.code, tt.want...)
		})
	}
}

func TestTrackingNumbersAreUnique(t *testing.T) {
	f := packFixture(t)
	f.order("W-2", line("CUP", 1))
	f.order("W-3", line("CUP", 1))
	f.pickAll("ann", "")
	f.pickAll("ann", "")

	var got []string
	for _, o := range []string{"W-1", "W-2"} {
		station := "S-" + o
		f.mustPack(station, o)
		for _, l := range f.orderByNumber(o).Lines {
			for range l.Qty {
				f.mustPack(station, l.SKU)
			}
		}
		sh, _, err := f.release(station)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, sh.Tracking)
	}
	if got[0] == got[1] {
		t.Errorf("two shipments share tracking number %s", got[0])
	}

	// A courier that repeats a number is refused by the database, and the
	// release changes nothing.
	f.mustPack("S3", "W-3")
	f.mustPack("S3", "CUP")
	db := f.raw()
	before := dump(t, db, tables...)
	_, _, err := f.st.ReleaseLabel(f.ctx, store.Release{Station: "S3", Carrier: "Test courier",
		Tracking: func(int64) string { return got[0] },
		Label:    func(*oms.PackSession, store.Shipment) ([]byte, error) { return []byte("x"), nil }})
	if err == nil || oms.ErrorCode(err) != oms.EInternal {
		t.Errorf("release with a repeated tracking number: err = %v, want an internal error", err)
	}
	if after := dump(t, db, tables...); after != before {
		t.Errorf("a failed release changed the database:\n%s\nwant:\n%s", after, before)
	}
}

func TestPackCancel(t *testing.T) {
	f := packFixture(t)
	if err := f.st.PackCancel(f.ctx, "S1", "packer"); err != nil {
		t.Fatalf("cancel at an empty station: %v", err)
	}
	f.mustPack("S1", "W-1")
	f.mustPack("S1", "MUG")
	f.mustPack("S1", "CUP")

	if err := f.st.PackCancel(f.ctx, "S1", "packer"); err != nil {
		t.Fatal(err)
	}
	f.wantStatus("SO-000001", store.StatusPicked, "")
	for _, l := range f.orderByNumber("W-1").Lines {
		if l.Verified != 0 {
			t.Errorf("%s verified %d after cancel, want 0", l.SKU, l.Verified)
		}
	}
	_, err := f.st.StationSession(f.ctx, "S1")
	wantErr(t, err, oms.ENotFound, "S1")

	res := f.mustPack("S2", "TOTE-1")
	if res.Session.Lines[0].Verified != 0 || res.Session.Lines[1].Verified != 0 {
		t.Errorf("reopened session %+v, want nothing verified", res.Session)
	}
	_, _, err = f.release("S2")
	wantErr(t, err, oms.EConflict, "MUG verified 0 of 2")
}

// TestPackOpenByReusedTote reuses a tote, as warehouses do: an order shipped
// from TOTE-1 must not hide the order picked into TOTE-1 after it.
func TestPackOpenByReusedTote(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 10))
	f.order("W-1", line("MUG", 1))
	f.order("W-2", line("MUG", 1))
	first := f.task("ann")  // SO-000001, picked slowly
	second := f.task("bob") // SO-000002
	if first.OrderNumber != "SO-000001" || second.OrderNumber != "SO-000002" {
		t.Fatalf("tasks for %s and %s", first.OrderNumber, second.OrderNumber)
	}

	for _, code := range []string{"TOTE-1", "A-01-01", "MUG"} {
		f.mustPick("bob", code)
	}
	if _, err := f.st.CompletePickTask(f.ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	f.mustPack("S1", "TOTE-1")
	f.mustPack("S1", "MUG")
	if _, _, err := f.release("S1"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.PackCancel(f.ctx, "S1", "packer"); err != nil {
		t.Fatal(err)
	}

	for _, code := range []string{"TOTE-1", "A-01-01", "MUG"} {
		f.mustPick("ann", code)
	}
	if _, err := f.st.CompletePickTask(f.ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	res := f.packScan("S1", "TOTE-1")
	if !res.Verdict.OK || res.Session == nil || res.Session.OrderNumber != "SO-000001" {
		t.Errorf("scan of the reused tote: %+v, want SO-000001 opened", res.Verdict)
	}
}

// TestSharedChannelOrderID: two channels that both use order id 1001 (Shopify
// and WooCommerce both start there) are never guessed between.
func TestSharedChannelOrderID(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	for _, ch := range []string{"webshop", "shopify"} {
		in := orderInput("1001", line("MUG", 1))
		in.Channel = ch
		if _, _, err := f.st.CreateOrder(f.ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	f.pickAll("ann", "")
	f.pickAll("ann", "")
	if v := f.packScan("S1", "1001").Verdict; v.OK ||
		v.Message != `"1001" is the order id of SO-000001 (webshop) and SO-000002 (shopify): use our order number` {
		t.Errorf("ambiguous scan: %+v", v)
	}
	_, err := f.st.OrderByNumber(f.ctx, "1001")
	wantErr(t, err, oms.EConflict, "SO-000001 (webshop) and SO-000002 (shopify)")
	f.mustPack("S1", "SO-000002")
}

// TestPackOtherOrderWhileBusy: scanning another order at a busy station says
// what to do instead of "unknown barcode".
func TestPackOtherOrderWhileBusy(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	f.order("W-1", line("MUG", 1))
	f.order("W-2", line("MUG", 1))
	f.pickAll("ann", "")
	f.pickAll("ann", "")
	f.mustPack("S1", "SO-000001")
	want := "This station is packing SO-000001: finish it, or press Leave order before SO-000002"
	if v := f.packScan("S1", "W-2").Verdict; v.OK || v.Message != want {
		t.Errorf("other order while busy: %+v", v)
	}
}

// TestReprintReplay: the same reprint command twice prints once.
func TestReprintReplay(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	f.order("W-1", line("MUG", 1))
	f.pickAll("ann", "")
	f.mustPack("S1", "SO-000001")
	f.mustPack("S1", "MUG")
	_, job, err := f.release("S1")
	if err != nil {
		t.Fatal(err)
	}
	req := store.ReprintRequest{JobID: job.ID, Station: "S1", Actor: "pat", Printer: "tcp 127.0.0.1:9100", CmdID: "r-1"}
	if _, replayed, err := f.st.Reprint(f.ctx, req); err != nil || replayed {
		t.Fatalf("first reprint: replayed %v, %v", replayed, err)
	}
	got, replayed, err := f.st.Reprint(f.ctx, req)
	if err != nil || !replayed || string(got.Data) != string(job.Data) {
		t.Errorf("same command again: replayed %v, %v", replayed, err)
	}
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM audit WHERE action = 'label.reprint'`); n != 1 {
		t.Errorf("%d reprints audited, want 1", n)
	}
	_, _, err = f.st.Reprint(f.ctx, store.ReprintRequest{JobID: "nope", Actor: "pat"})
	wantErr(t, err, oms.ENotFound, `no print job "nope"`)
}

// TestOrderNumberAnyCase: a typed order number in lower case still finds it.
func TestOrderNumberAnyCase(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	f.order("W-1", line("MUG", 1))
	if o, err := f.st.OrderByNumber(f.ctx, "so-000001"); err != nil || o.Number != "SO-000001" {
		t.Errorf("lower-case number: %+v, %v", o, err)
	}
}
