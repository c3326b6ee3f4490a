package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// caseCode is the GTIN-14 of a case of 12 cans of SODA, whose own barcode
// is the UPC-A upcA.
const caseCode = "10036000291459"

func TestCaseBarcodeAtPickAndPack(t *testing.T) {
	f := newFixture(t)
	ps, err := imports.ShipshapeCatalog(strings.NewReader("sku,title,price,barcodes,bin\n" +
		"SODA,Soda,1.00," + upcA + "|" + caseCode + "*12,A-01-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	f.catalog(ps...)
	p, err := f.st.ProductBySKU(f.ctx, "SODA")
	if err != nil {
		t.Fatal(err)
	}
	wantPacks := []oms.Pack{{Code: gtin14, Units: 1}, {Code: caseCode, Units: 12}}
	if !slices.Equal(p.Packs, wantPacks) || !slices.Equal(p.Barcodes, []string{gtin14, caseCode}) {
		t.Errorf("barcodes %v packs %v, want %v", p.Barcodes, p.Packs, wantPacks)
	}

	f.stock(row("SODA", "A-01-01", 40))
	o := f.order("W-1", line("SODA", 17))
	f.task("pia")
	f.mustPick("pia", "A-01-01")
	if res := f.mustPick("pia", caseCode); res.Verdict.Message != "Soda 12 / 17" {
		t.Errorf("case at pick: %q", res.Verdict.Message)
	}
	before := dump(t, f.raw(), tables...)
	res := f.pickScan("pia", caseCode)
	if res.Verdict.OK || res.Verdict.Message != "Case of 12, only 5 left to pick: open the case and scan items" {
		t.Errorf("second case at pick: %+v", res.Verdict)
	}
	if after := dump(t, f.raw(), tables...); after != before {
		t.Errorf("a refused case changed the database:\n%s\n---\n%s", before, after)
	}
	for range 5 {
		f.mustPick("pia", upcA)
	}
	f.mustPick("pia", "TOTE-1")
	if _, err := f.st.CompletePickTask(f.ctx, "pia"); err != nil {
		t.Fatal(err)
	}
	f.wantStock("SODA", "A-01-01", 23, 0)

	f.mustPack("S1", "TOTE-1")
	f.mustPack("S1", ean13)
	if res := f.mustPack("S1", caseCode); res.Verdict.Message != "Soda 13 / 17" {
		t.Errorf("case at pack: %q", res.Verdict.Message)
	}
	for range 4 {
		f.mustPack("S1", gtin14)
	}
	if got := f.orderByNumber(o.Number).Lines[0].Verified; got != 17 {
		t.Errorf("verified %d, want 17", got)
	}
	if _, _, err := f.release("S1"); err != nil {
		t.Fatal(err)
	}
	f.wantStatus(o.Number, store.StatusShipped, "")
}

func TestCaseTooBigAtPackChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.catalog(oms.Product{SKU: "SODA", Title: "Soda", Stocked: true, Bin: "A-01-01",
		Barcodes: []string{upcA, caseCode}, Packs: []oms.Pack{{Code: caseCode, Units: 12}}})
	f.stock(row("SODA", "A-01-01", 40))
	f.order("W-1", line("SODA", 5))
	f.pickAll("pia", "TOTE-1")
	f.mustPack("S1", "TOTE-1")
	before := dump(t, f.raw(), tables...)
	res := f.packScan("S1", caseCode)
	if res.Verdict.OK || res.Verdict.Message != "Case of 12, only 5 left to pack: open the case and scan items" {
		t.Errorf("case at pack: %+v", res.Verdict)
	}
	if after := dump(t, f.raw(), tables...); after != before {
		t.Errorf("a refused case changed the database")
	}
}
