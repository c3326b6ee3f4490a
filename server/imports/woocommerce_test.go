package imports

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// wooSample is WooCommerce's own sample export (GPL, so it is read in place
// and not copied into this repository).
const wooSample = "../../../shared/data/catalog/woocommerce/sample_products.csv"

const wooImageBase = "https://woocommercecore.mystagingwebsite.com/wp-content/uploads/2017/12/"

// bySKU indexes products by SKU and fails on a duplicate.
func bySKU(t *testing.T, ps []oms.Product) map[string]oms.Product {
	t.Helper()
	m := make(map[string]oms.Product, len(ps))
	for _, p := range ps {
		if _, dup := m[p.SKU]; dup {
			t.Fatalf("SKU %q returned twice", p.SKU)
		}
		m[p.SKU] = p
	}
	return m
}

func TestWooCommerceCatalogSample(t *testing.T) {
	f, err := os.Open(wooSample)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	ps, err := WooCommerceCatalog(f)
	if err != nil {
		t.Fatalf("WooCommerceCatalog: %v", err)
	}
	if len(ps) != 25 {
		t.Fatalf("got %d products, want 25", len(ps))
	}
	if ps[0].SKU != "woo-vneck-tee" || ps[24].SKU != "woo-hoodie-blue-logo" {
		t.Errorf("first, last SKU = %q, %q; want file order", ps[0].SKU, ps[24].SKU)
	}

	stocked := 0
	for _, p := range ps {
		if p.Stocked {
			stocked++
		}
	}
	if stocked != 19 {
		t.Errorf("%d stocked products, want 19 (12 simple, 7 variations)", stocked)
	}

	m := bySKU(t, ps)
	wantRed := oms.Product{
		SKU:         "woo-vneck-tee-red",
		Title:       "V-Neck T-Shirt - Red",
		Description: m["woo-vneck-tee-red"].Description,
		PriceCents:  2000,
		Stocked:     true,
		ParentSKU:   "woo-vneck-tee",
		Images:      []string{wooImageBase + "vneck-tee-2.jpg"},
		Row:         lineVneckRed,
	}
	if !reflect.DeepEqual(m["woo-vneck-tee-red"], wantRed) {
		t.Errorf("woo-vneck-tee-red = %+v\nwant %+v", m["woo-vneck-tee-red"], wantRed)
	}
	if !strings.HasPrefix(wantRed.Description, "Lorem ipsum dolor sit amet") {
		t.Errorf("woo-vneck-tee-red description = %.40q...", wantRed.Description)
	}

	tests := []struct {
		sku       string
		stocked   bool
		parent    string
		cents     int64
		title     string
		images    int
		firstDesc string
	}{
		{"woo-vneck-tee", false, "", 0, "V-Neck T-Shirt", 3, "Pellentesque habitant"},
		{"woo-hoodie-blue-logo", true, "woo-hoodie", 4500, "Hoodie - Blue, Yes", 1, "Lorem ipsum"},
		{"woo-album", false, "", 1500, "Album", 1, "Lorem ipsum"},
		{"woo-single", false, "", 300, "Single", 1, "Lorem ipsum"},
		{"wp-pennant", false, "", 1105, "WordPress Pennant", 1, "Pellentesque habitant"},
		{"logo-collection", false, "", 0, "Logo Collection", 4, "Pellentesque habitant"},
		{"woo-beanie", true, "", 2000, "Beanie", 1, "Pellentesque habitant"},
		{"Woo-tshirt-logo", true, "", 1800, "T-Shirt with Logo", 1, "Pellentesque habitant"},
	}
	for _, tt := range tests {
		t.Run(tt.sku, func(t *testing.T) {
			p, ok := m[tt.sku]
			switch {
			case !ok:
				t.Fatal("missing")
			case p.Stocked != tt.stocked || p.ParentSKU != tt.parent || p.PriceCents != tt.cents:
				t.Errorf("stocked, parent, cents = %v, %q, %d; want %v, %q, %d",
					p.Stocked, p.ParentSKU, p.PriceCents, tt.stocked, tt.parent, tt.cents)
			case p.Title != tt.title || len(p.Images) != tt.images || p.Barcodes != nil:
				t.Errorf("title, images, barcodes = %q, %q, %q", p.Title, p.Images, p.Barcodes)
			case !strings.HasPrefix(p.Description, tt.firstDesc):
				t.Errorf("description = %.40q...", p.Description)
			}
		})
	}
	if got := m["logo-collection"].Images[3]; got != wooImageBase+"hoodie-with-logo-2.jpg" {
		t.Errorf("logo-collection image 4 = %q", got)
	}
}

func TestWooCommerceCatalogWindowsFile(t *testing.T) {
	data, err := os.ReadFile(wooSample)
	if err != nil {
		t.Fatal(err)
	}
	want, err := WooCommerceCatalog(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}

	got, err := WooCommerceCatalog(strings.NewReader(windows(string(data))))
	if err != nil {
		t.Fatalf("with BOM and CRLF: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("a BOM and CRLF line ends changed the result")
	}
}

// Lines of the sample file used below.
const (
	lineVneckTee  = 2 // variable
	lineHoodie    = 3 // variable
	lineBeanie    = 6
	lineBelt      = 7
	lineCap       = 8
	linePolo      = 13
	lineVneckRed  = 16 // variation of woo-vneck-tee
	lineHoodieRed = 19 // variation of woo-hoodie
)

func TestWooCommerceCatalogEdited(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(t *testing.T, s sheet) sheet
		check func(t *testing.T, m map[string]oms.Product) // nil when an error is wanted
		err   string
	}{
		{
			name: "GTINs are normalised",
			edit: func(t *testing.T, s sheet) sheet {
				s = s.addColumn(wooGTIN).addColumn(wooGlobalID)
				s.set(t, lineCap, wooGTIN, " 4006381333931 ")
				s.set(t, lineBelt, wooGlobalID, "036000291452")
				s.set(t, lineBeanie, wooGTIN, "5012345678900")
				s.set(t, lineBeanie, wooGlobalID, "05012345678900") // same GTIN twice
				return s
			},
			check: func(t *testing.T, m map[string]oms.Product) {
				got := [][]string{m["woo-cap"].Barcodes, m["woo-belt"].Barcodes, m["woo-beanie"].Barcodes}
				want := [][]string{{"04006381333931"}, {"00036000291452"}, {"05012345678900"}}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("barcodes = %q, want %q", got, want)
				}
			},
		},
		{
			name: "parent by id",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineVneckRed, wooParent, "id:44")
				return s
			},
			check: func(t *testing.T, m map[string]oms.Product) {
				if got := m["woo-vneck-tee-red"].ParentSKU; got != "woo-vneck-tee" {
					t.Errorf("ParentSKU = %q", got)
				}
			},
		},
		{
			name: "variable parent without SKU is skipped",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineHoodie, wooSKU, "")
				s.set(t, lineHoodieRed, wooParent, "id:45")
				return s
			},
			check: func(t *testing.T, m map[string]oms.Product) {
				red, ok := m["woo-hoodie-red"]
				if len(m) != 24 || !ok || red.ParentSKU != "" || !red.Stocked {
					t.Errorf("%d products, woo-hoodie-red = %+v", len(m), red)
				}
			},
		},
		{
			name: "exporter escapes are undone",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooSKU, "'-cap")
				s.set(t, lineCap, wooName, "'=Cap")
				s.set(t, lineCap, wooDesc, `One\nTwo \\n three`)
				s.set(t, lineCap, wooImages, `https://x.test/a\,b.jpg, https://x.test/c.jpg`)
				return s
			},
			check: func(t *testing.T, m map[string]oms.Product) {
				p := m["-cap"]
				want := []string{"=Cap", "One\nTwo \\\\n three", "https://x.test/a,b.jpg|https://x.test/c.jpg"}
				got := []string{p.Title, p.Description, strings.Join(p.Images, "|")}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got %q, want %q", got, want)
				}
			},
		},
		{
			name: "virtual variation is not stocked",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineVneckRed, wooType, "Variation, Virtual")
				return s
			},
			check: func(t *testing.T, m map[string]oms.Product) {
				if p := m["woo-vneck-tee-red"]; p.Stocked || p.ParentSKU != "woo-vneck-tee" {
					t.Errorf("got %+v", p)
				}
			},
		},
		{
			name: "price not a number",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineBeanie, wooPrice, "4,5x")
				return s
			},
			err: `row 6, column "Regular price": "4,5x" is not a price`,
		},
		{
			name: "price with 3 decimals",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooPrice, "18.005")
				return s
			},
			err: `row 8, column "Regular price": "18.005" is not a price: it has more than 2 decimals`,
		},
		{
			name: "negative price",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooPrice, "-18")
				return s
			},
			err: `row 8, column "Regular price": "-18" is not a price: it is negative`,
		},
		{
			name: "unknown type",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooType, "simple, bundle")
				return s
			},
			err: `row 8, column "Type": "bundle" is not a WooCommerce product type`,
		},
		{
			name: "two base types",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooType, "simple, variable")
				return s
			},
			err: `row 8, column "Type": "simple, variable" names two product types`,
		},
		{
			name: "only virtual",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooType, "virtual")
				return s
			},
			err: `row 8, column "Type": "virtual" needs one of simple, variable, variation, grouped or external`,
		},
		{
			name: "stocked product without SKU",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineBelt, wooSKU, " ")
				return s
			},
			err: `row 7, column "SKU": required for a stocked product (type "simple")`,
		},
		{
			name: "duplicate SKU",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, linePolo, wooSKU, "woo-cap")
				return s
			},
			err: `row 13, column "SKU": "woo-cap" is also on row 8`,
		},
		{
			name: "variation without parent",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineVneckRed, wooParent, "")
				return s
			},
			err: `row 16, column "Parent": required for a variation`,
		},
		{
			name: "parent id not in file",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineVneckRed, wooParent, "id:999")
				return s
			},
			err: `row 16, column "Parent": "id:999" names no row of this file by its ID`,
		},
		{
			name: "wrong GTIN check digit",
			edit: func(t *testing.T, s sheet) sheet {
				s = s.addColumn(wooGTIN)
				s.set(t, lineCap, wooGTIN, "4006381333932")
				return s
			},
			err: `row 8, column "GTIN, UPC, EAN, or ISBN": "4006381333932" ` +
				`is not a valid GTIN: check digit 2 is wrong, expected 1`,
		},
		{
			name: "ISBN-10 is not a GTIN",
			edit: func(t *testing.T, s sheet) sheet {
				s = s.addColumn(wooGlobalID)
				s.set(t, lineCap, wooGlobalID, "030640615X")
				return s
			},
			err: `row 8, column "Meta: _global_unique_id": "030640615X" ` +
				`is not a GTIN: it must be 8, 12, 13 or 14 digits`,
		},
		{
			name: "one GTIN on two products",
			edit: func(t *testing.T, s sheet) sheet {
				s = s.addColumn(wooGTIN)
				s.set(t, lineBeanie, wooGTIN, "4006381333931")
				s.set(t, lineCap, wooGTIN, "04006381333931")
				return s
			},
			err: `row 8, column "GTIN, UPC, EAN, or ISBN": "04006381333931" is also on row 6`,
		},
		{
			name: "SKU too long",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooSKU, strings.Repeat("c", 65))
				return s
			},
			err: `row 8, column "SKU": 65 characters, at most 64`,
		},
		{
			name: "tote SKU",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooSKU, "tote-cap")
				return s
			},
			err: `row 8, column "SKU": "tote-cap" starts with TOTE-, which is reserved for tote labels`,
		},
		{
			name: "name too long",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooName, strings.Repeat("Ñ", 201))
				return s
			},
			err: `row 8, column "Name": 201 characters, at most 200`,
		},
		{
			name: "line break in name",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooName, "Cap\nRed")
				return s
			},
			err: `row 8, column "Name": contains control character U+000A`,
		},
		{
			name: "description too long once unescaped",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooDesc, strings.Repeat(`a\n`, 10000)+"bc")
				return s
			},
			err: `row 8, column "Description": 20002 characters, at most 20000`,
		},
		{
			name: "price too large",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineCap, wooPrice, "123456789")
				return s
			},
			err: `row 8, column "Regular price": 123456789 is too large (at most 100000000.00)`,
		},
		{
			name: "parent too long",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, lineVneckRed, wooParent, strings.Repeat("p", 65))
				return s
			},
			err: `row 16, column "Parent": 65 characters, at most 64`,
		},
		{
			name: "no SKU column",
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 1, wooSKU, "Sku")
				return s
			},
			err: `missing column "SKU"; the header needs "Type", "SKU" and "Name"`,
		},
		{
			name: "short row",
			edit: func(t *testing.T, s sheet) sheet {
				s[lineCap-1] = s[lineCap-1][:10]
				return s
			},
			err: `row 8 has 10 columns but the header has 51`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.edit(t, readSheet(t, wooSample, ','))
			ps, err := WooCommerceCatalog(strings.NewReader(s.csv(t)))
			if tt.check == nil {
				if ps != nil {
					t.Errorf("got %d products with the error", len(ps))
				}
				wantInvalid(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatalf("WooCommerceCatalog: %v", err)
			}
			tt.check(t, bySKU(t, ps))
		})
	}
}
