package store_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// One number in its three printed forms.
const (
	upcA   = "036000291452"
	ean13  = "0036000291452"
	gtin14 = "00036000291452"
)

// TestGTINFormsAreOneProduct imports a product whose barcode is given in one
// form and scans every form of the number at pick and at pack.
func TestGTINFormsAreOneProduct(t *testing.T) {
	fromCSV := func(t *testing.T) []oms.Product {
		ps, err := imports.ShipshapeCatalog(strings.NewReader(
			"sku,title,price,barcodes,bin\nSODA,Soda,1.00," + upcA + ",A-01-01\n"))
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	given := func(code string) func(*testing.T) []oms.Product {
		return func(*testing.T) []oms.Product { return []oms.Product{stocked("SODA", "A-01-01", code)} }
	}
	tests := []struct {
		name     string
		products func(*testing.T) []oms.Product
	}{
		{"UPC-A through the catalogue CSV", fromCSV},
		{"GTIN-14 key given to the store", given(gtin14)},
		{"UPC-A given to the store", given(upcA)},
		{"EAN-13 given to the store", given(ean13)},
	}
	scans := []string{upcA, ean13, gtin14}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.catalog(tt.products(t)...)
			p, err := f.st.ProductBySKU(f.ctx, "SODA")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Barcodes, []string{gtin14}) {
				t.Errorf("stored barcodes %q, want the GTIN-14 key %q", p.Barcodes, gtin14)
			}
			f.stock(row("SODA", "A-01-01", 3))
			f.order("W-1", line("SODA", int64(len(scans))))

			f.task("ann")
			f.mustPick("ann", "A-01-01")
			for _, code := range scans {
				if v := f.pickScan("ann", code).Verdict; !v.OK {
					t.Errorf("pick scan %s: %s", code, v.Message)
				}
			}
			if _, err := f.st.CompletePickTask(f.ctx, "ann"); err != nil {
				t.Fatalf("complete: %v", err)
			}
			f.mustPack("S1", "W-1")
			for _, code := range scans {
				if v := f.packScan("S1", code).Verdict; !v.OK {
					t.Errorf("pack scan %s: %s", code, v.Message)
				}
			}
		})
	}
}

func TestInternalBarcode(t *testing.T) {
	f := newFixture(t)
	virtual := oms.Product{SKU: "GIFT-CARD", Title: "Gift card", Stocked: false}
	f.catalog(stocked("MUG", "A-01-01"), stocked("CUP", "A-01-02"), virtual, stocked("SODA", "", gtin14))

	seen := map[string]string{}
	for _, sku := range []string{"MUG", "CUP"} {
		p, err := f.st.ProductBySKU(f.ctx, sku)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Barcodes) != 1 {
			t.Fatalf("%s has barcodes %q, want one internal barcode", sku, p.Barcodes)
		}
		ean := strings.TrimPrefix(p.Barcodes[0], "0")
		check, err := labels.CheckDigit(ean[:len(ean)-1])
		if len(ean) != 13 || !strings.HasPrefix(ean, "20") || err != nil ||
			strconv.Itoa(check) != ean[12:] {
			t.Errorf("%s: internal barcode %q is not a 13-digit EAN starting 20 with a valid check digit",
				sku, p.Barcodes[0])
		}
		if other, dup := seen[ean]; dup {
			t.Errorf("%s and %s share internal barcode %s", sku, other, ean)
		}
		seen[ean] = sku
		kind := ""
		f.raw().QueryRow(`SELECT kind FROM barcodes WHERE code = ?`, p.Barcodes[0]).Scan(&kind)
		if kind != "internal" {
			t.Errorf("%s: barcode kind %q, want internal", sku, kind)
		}
	}
	for sku, want := range map[string][]string{"GIFT-CARD": nil, "SODA": {gtin14}} {
		p, err := f.st.ProductBySKU(f.ctx, sku)
		if err != nil || !slices.Equal(p.Barcodes, want) {
			t.Errorf("%s: barcodes %q, %v; want %q", sku, p.Barcodes, err, want)
		}
	}

	mug, _ := f.st.ProductBySKU(f.ctx, "MUG")
	f.catalog(stocked("MUG", "A-01-01"))
	again, _ := f.st.ProductBySKU(f.ctx, "MUG")
	if !slices.Equal(again.Barcodes, mug.Barcodes) {
		t.Errorf("re-import changed the internal barcode: %q -> %q", mug.Barcodes, again.Barcodes)
	}

	f.stock(row("MUG", "A-01-01", 1))
	f.order("W-1", line("MUG", 1))
	f.task("ann")
	f.mustPick("ann", "a-01-01")
	if v := f.pickScan("ann", strings.TrimPrefix(mug.Barcodes[0], "0")).Verdict; !v.OK ||
		v.Message != "Title of MUG 1 / 1" {
		t.Errorf("scan of the internal EAN-13: %+v", v)
	}
}

// TestBarcodeConflictStoresNothing checks that a barcode claimed by a second
// SKU fails the whole import, products before it included.
func TestBarcodeConflictStoresNothing(t *testing.T) {
	tests := []struct {
		name     string
		before   []oms.Product
		imported []oms.Product
		want     []string
	}{
		{"two SKUs in one import", nil,
			[]oms.Product{stocked("NEW", "B-01-01"), stocked("A", "", gtin14), stocked("B", "", gtin14)},
			[]string{`"A"`, `"B"`, gtin14}},
		{"SKU stored before", []oms.Product{stocked("A", "", "OWN-CODE")},
			[]oms.Product{stocked("NEW", "B-01-01"), stocked("B", "", "OWN-CODE")},
			[]string{`"A"`, `"B"`, "OWN-CODE"}},
		{"same number in another GTIN form", []oms.Product{stocked("A", "", gtin14)},
			[]oms.Product{stocked("NEW", "B-01-01"), stocked("B", "", upcA)},
			[]string{`"A"`, `"B"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.before != nil {
				f.catalog(tt.before...)
			}
			db := f.raw()
			before := dump(t, db, tables...)

			_, err := f.st.ImportCatalog(f.ctx, "test", tt.imported)
			wantErr(t, err, oms.EConflict, tt.want...)
			if after := dump(t, db, tables...); after != before {
				t.Errorf("a refused import changed the database:\n%s\nwant:\n%s", after, before)
			}
			if _, err := f.st.ProductBySKU(f.ctx, "NEW"); oms.ErrorCode(err) != oms.ENotFound {
				t.Errorf("product before the conflict: err = %v, want not found", err)
			}
		})
	}
}

func TestCatalogReimportUpdates(t *testing.T) {
	base := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	clocks := []struct {
		name string
		now  func() func() time.Time
	}{
		{"clock moves on", func() func() time.Time {
			n := 0
			return func() time.Time { n++; return base.Add(time.Duration(n) * time.Second) }
		}},
		{"clock reads the same", func() func() time.Time {
			return func() time.Time { return base }
		}},
	}
	for _, c := range clocks {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.st.Now = c.now()
			first := oms.Product{SKU: "MUG", Title: "Mug", PriceCents: 700, Stocked: true, Barcodes: []string{gtin14}}
			if res := f.catalog(first); res != (store.ImportResult{Created: 1}) {
				t.Errorf("first import: %+v, want 1 created", res)
			}
			second := first
			second.Title, second.PriceCents = "Mug, large", 900
			res := f.catalog(second)
			if res != (store.ImportResult{Updated: 1}) {
				t.Errorf("re-import: %+v, want 1 updated", res)
			}
			p, err := f.st.ProductBySKU(f.ctx, "MUG")
			if err != nil || p.Title != "Mug, large" || p.PriceCents != 900 ||
				!slices.Equal(p.Barcodes, []string{gtin14}) {
				t.Errorf("after re-import: %+v, %v", p, err)
			}
			db := f.raw()
			if n := count(t, db, `SELECT COUNT(*) FROM products`); n != 1 {
				t.Errorf("%d products, want 1", n)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM barcodes`); n != 1 {
				t.Errorf("%d barcodes, want 1", n)
			}
		})
	}
}

func TestProductBySKUUnknown(t *testing.T) {
	f := newFixture(t)
	_, err := f.st.ProductBySKU(f.ctx, "NOPE")
	wantErr(t, err, oms.ENotFound, `"NOPE"`)
}

// TestReimportReplacesBarcodes corrects a mistyped barcode by importing the
// product again: the old code is released (another SKU may take it) and the
// internal code issued earlier stays.
func TestReimportReplacesBarcodes(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("A", "A-01"), stocked("B", "B-01", "RIGHT-B"))
	internal := f.product("A").Barcodes
	f.catalog(stocked("A", "A-01", "TYPO-1"))
	f.catalog(stocked("A", "A-01", "036000291452"))
	if got, want := f.product("A").Barcodes, append([]string{"00036000291452"}, internal...); !slices.Equal(got, want) {
		t.Errorf("barcodes of A = %v, want %v", got, want)
	}
	f.catalog(stocked("B", "B-01", "TYPO-1"))
	if got := f.product("B").Barcodes; !slices.Equal(got, []string{"TYPO-1"}) {
		t.Errorf("barcodes of B = %v, want [TYPO-1]", got)
	}
}

func (f *fixture) product(sku string) *store.Product {
	f.t.Helper()
	p, err := f.st.ProductBySKU(f.ctx, sku)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// TestScanCodesAreUnambiguous: a barcode, SKU or bin code that a scan would
// read as something else already stored is refused, and nothing is stored.
func TestScanCodesAreUnambiguous(t *testing.T) {
	tests := []struct {
		name    string
		product oms.Product
		want    string
	}{
		{"barcode is another SKU", stocked("NEW", "", "TEE"), `"TEE" is already the sku of another product`},
		{"barcode is a bin", stocked("NEW", "", "A-01-01"), `"A-01-01" is already a bin`},
		{"SKU is a barcode", stocked("OWN-CODE", ""), `"OWN-CODE" is already a barcode of sku "TEE"`},
		{"SKU is a bin", stocked("A-01-01", ""), `"A-01-01" is already a bin`},
		{"bin is a SKU", stocked("NEW", "TEE"), `bin TEE: "TEE" is already the sku of another product`},
		{"SKU is a barcode's EAN-13 form", stocked("0036000291452", ""), `is already a barcode of sku "TEE"`},
		{"barcode is a GTIN-shaped SKU", stocked("NEW", "", "04006381333931"), `is already the sku of another product`},
		{"bin is a lower-case SKU", stocked("NEW", "low-m"), `bin LOW-M: "LOW-M" is already the sku of another product`},
		{"bin is a lower-case barcode", stocked("NEW", "own-low"), `bin OWN-LOW: "OWN-LOW" is already a barcode of sku "TEE"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.catalog(stocked("TEE", "A-01-01", "OWN-CODE", "00036000291452", "own-low"),
				stocked("4006381333931", ""), stocked("low-m", ""))
			before := dump(t, f.raw(), "products", "barcodes", "bins", "stock")
			_, err := f.st.ImportCatalog(f.ctx, "test", []oms.Product{tc.product})
			wantErr(t, err, oms.EConflict, tc.want)
			if after := dump(t, f.raw(), "products", "barcodes", "bins", "stock"); after != before {
				t.Errorf("a refused import changed the catalogue")
			}
		})
	}
}
