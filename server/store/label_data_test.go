package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// withCheckDigit returns digits and their GS1 check digit.
func withCheckDigit(t *testing.T, digits string) string {
	t.Helper()
	d, err := labels.CheckDigit(digits)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s%d", digits, d)
}

func TestLabelProduct(t *testing.T) {
	f := newFixture(t)
	tradeUnit := withCheckDigit(t, "1952000100003") // GTIN-14, indicator 1: a case
	priced := stocked("EAN", "A-01-01", "9520001000010")
	priced.PriceCents, priced.Currency = 8000, "USD"
	mixed := stocked("MIXED", "", tradeUnit, "9520001000041", "9520001000034")
	mixed.Packs = []oms.Pack{{Code: "9520001000041", Units: 6}}
	f.catalog(priced, stocked("UPC", "", "036000291452"), stocked("EAN8", "", "96385074"), mixed,
		stocked("PLAIN", ""), stocked("OTHER", "", "SHELF-7"))
	internal, err := labels.InternalBarcode(1) // the first issued: PLAIN's
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		sku  string
		want store.LabelProduct
	}{
		{"EAN", store.LabelProduct{SKU: "EAN", Title: "Title of EAN", PriceCents: 8000, Currency: "USD",
			Barcode: "09520001000010", Kind: "gtin"}},
		{"UPC", store.LabelProduct{SKU: "UPC", Title: "Title of UPC", Barcode: "00036000291452", Kind: "gtin"}},
		{"EAN8", store.LabelProduct{SKU: "EAN8", Title: "Title of EAN8", Barcode: "00000096385074", Kind: "gtin"}},
		// Not the case's GTIN-14 nor the six-pack's EAN-13: the first single unit.
		{"MIXED", store.LabelProduct{SKU: "MIXED", Title: "Title of MIXED", Barcode: "09520001000034",
			Kind: "gtin"}},
		{"PLAIN", store.LabelProduct{SKU: "PLAIN", Title: "Title of PLAIN", Barcode: "0" + internal,
			Kind: "internal"}},
	}
	for _, tt := range tests {
		t.Run(tt.sku, func(t *testing.T) {
			got, err := f.st.LabelProduct(f.ctx, tt.sku)
			if err != nil || *got != tt.want {
				t.Errorf("LabelProduct(%s) = %+v, %v; want %+v", tt.sku, got, err, tt.want)
			}
		})
	}

	_, err = f.st.LabelProduct(f.ctx, "OTHER")
	wantErr(t, err, oms.EConflict, `product "OTHER" has no GTIN of one unit and no internal barcode to print`)
	_, err = f.st.LabelProduct(f.ctx, "GONE")
	wantErr(t, err, oms.ENotFound, `no product with sku "GONE"`)
}

func TestBin(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	if got, err := f.st.Bin(f.ctx, " a-01-01 "); err != nil || got != "A-01-01" {
		t.Errorf(`Bin(" a-01-01 ") = %q, %v; want A-01-01`, got, err)
	}
	_, err := f.st.Bin(f.ctx, "Z-9")
	wantErr(t, err, oms.ENotFound, `no bin "Z-9"`)
}

// TestQueueWarehouseLabel stores each kind under its own serial, audits it,
// records it with the station's scans, and counts an Idempotency-Key once.
func TestQueueWarehouseLabel(t *testing.T) {
	f := newFixture(t)
	db := f.raw()
	bin := store.WarehouseLabel{Kind: "bin", Code: "A-01-01", Copies: 3, Station: "S1", Actor: "ann",
		Printer: "tcp 127.0.0.1:9100", Data: []byte("^XA^FDA-01-01^FS^PQ3^XZ"), CmdID: "key-1"}
	job, replayed, err := f.st.QueueWarehouseLabel(f.ctx, bin)
	if err != nil || replayed || job.ID != "bin-1" || job.Status != "queued" ||
		string(job.Data) != string(bin.Data) {
		t.Fatalf("QueueWarehouseLabel = %+v, %v, %v; want bin-1 queued", job, replayed, err)
	}
	audit, err := f.st.Audit(f.ctx, "print_job", "bin-1", 10)
	if err != nil || len(audit) != 1 || audit[0].Actor != "ann" || audit[0].Action != "label.print" ||
		audit[0].Detail != "station S1, 3 copies of the bin label A-01-01 on tcp 127.0.0.1:9100" {
		t.Errorf("audit of bin-1: %+v, %v", audit, err)
	}
	scans, err := f.st.RecentScans(f.ctx, 10)
	if err != nil || len(scans) != 1 || scans[0].Code != "bin-1" || scans[0].Station != "S1" ||
		scans[0].Message != "Print of 3 copies of the bin label A-01-01 as bin-1 on tcp 127.0.0.1:9100" {
		t.Errorf("scans: %+v, %v", scans, err)
	}

	// The same key again: the same job, nothing stored.
	before := dump(t, db, tables...)
	again, replayed, err := f.st.QueueWarehouseLabel(f.ctx, bin)
	if err != nil || !replayed || again.ID != "bin-1" || string(again.Data) != string(bin.Data) {
		t.Errorf("replay = %+v, %v, %v; want bin-1 replayed", again, replayed, err)
	}
	if after := dump(t, db, tables...); after != before {
		t.Errorf("a replay changed the database:\n%s", after)
	}

	// The same key for another label, or by another user, is not a retry.
	other := bin
	other.Data = []byte("^XA^FDA-01-02^FS^XZ")
	_, _, err = f.st.QueueWarehouseLabel(f.ctx, other)
	wantErr(t, err, oms.EConflict, `Idempotency-Key "key-1" was already used by ann for print job bin-1, `+
		`another label or station`)
	other.Actor = "bo"
	job, replayed, err = f.st.QueueWarehouseLabel(f.ctx, other)
	if err != nil || replayed || job.ID != "bin-2" {
		t.Errorf("bo's key-1 = %+v, %v, %v; want bin-2", job, replayed, err)
	}

	tote := store.WarehouseLabel{Kind: "tote", Code: "TOTE-0042", Copies: 1, Station: "S2", Actor: "ann",
		Data: []byte("^XA^XZ")}
	if job, _, err := f.st.QueueWarehouseLabel(f.ctx, tote); err != nil || job.ID != "tote-1" {
		t.Errorf("tote label = %+v, %v; want tote-1", job, err)
	}
	if _, _, err := f.st.QueueCourierLabel(f.ctx, store.CourierLabel{Station: "S1", Actor: "ann",
		Data: []byte("^XA^XZ")}); err != nil {
		t.Fatal(err)
	}
	jobs, err := f.st.PrintJobs(f.ctx, "", 10)
	var kinds []string
	for _, j := range jobs {
		kinds = append(kinds, j.ID+" "+j.Kind)
	}
	if want := []string{"courier-1 courier", "tote-1 tote", "bin-2 bin", "bin-1 bin"}; err != nil ||
		!slices.Equal(kinds, want) {
		t.Errorf("print jobs %q, %v; want %q", kinds, err, want)
	}
}

// TestQueueCourierLabelOnce: an Idempotency-Key makes a courier label's
// retry return the first job; a key a packing scan used is refused.
func TestQueueCourierLabelOnce(t *testing.T) {
	f := packFixture(t)
	db := f.raw()
	label := store.CourierLabel{Station: "S1", Actor: "ann", Data: []byte("^XA^XZ"), CmdID: "k"}
	job, replayed, err := f.st.QueueCourierLabel(f.ctx, label)
	if err != nil || replayed || job.ID != "courier-1" {
		t.Fatalf("first = %+v, %v, %v; want courier-1", job, replayed, err)
	}
	before := dump(t, db, tables...)
	job, replayed, err = f.st.QueueCourierLabel(f.ctx, label)
	if err != nil || !replayed || job.ID != "courier-1" {
		t.Errorf("retry = %+v, %v, %v; want courier-1 replayed", job, replayed, err)
	}
	if after := dump(t, db, tables...); after != before {
		t.Errorf("a retry changed the database:\n%s", after)
	}

	if _, err := f.st.PackScan(f.ctx, "S1", "pat", "scan-1", "SO-000001"); err != nil {
		t.Fatal(err)
	}
	label.Actor, label.CmdID = "pat", "scan-1"
	_, _, err = f.st.QueueCourierLabel(f.ctx, label)
	wantErr(t, err, oms.EConflict, `Idempotency-Key "scan-1" was already used by pat for another command`)
}

func TestQueueWarehouseLabelRefused(t *testing.T) {
	ok := store.WarehouseLabel{Kind: "bin", Code: "A-01-01", Copies: 1, Station: "S1", Actor: "ann",
		Data: []byte("^XA^XZ")}
	with := func(change func(*store.WarehouseLabel)) store.WarehouseLabel {
		l := ok
		change(&l)
		return l
	}
	tests := []struct {
		name  string
		label store.WarehouseLabel
		want  string
	}{
		{"unknown kind", with(func(l *store.WarehouseLabel) { l.Kind = "pallet" }),
			`label kind "pallet": use bin, tote, product, badge`},
		{"no station", with(func(l *store.WarehouseLabel) { l.Station = "" }), "bin label: station is required"},
		{"no code", with(func(l *store.WarehouseLabel) { l.Code = "" }), "bin label: code is required"},
		{"no data", with(func(l *store.WarehouseLabel) { l.Data = nil }), "bin label: the label is empty"},
		{"no copies", with(func(l *store.WarehouseLabel) { l.Copies = 0 }),
			"bin label: copies 0, want at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			db := f.raw()
			before := dump(t, db, tables...)
			_, _, err := f.st.QueueWarehouseLabel(f.ctx, tt.label)
			wantErr(t, err, oms.EInvalid, tt.want)
			if after := dump(t, db, tables...); after != before {
				t.Errorf("a refused label changed the database:\n%s", after)
			}
		})
	}
}
