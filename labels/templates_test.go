package labels

import (
	"bytes"
	"os"
	"slices"
	"testing"
)

func sampleBin() Bin   { return Bin{Code: "A-01-03-B"} }
func sampleTote() Tote { return Tote{Code: "TOTE-0042"} }
func sampleBadge() Badge {
	return Badge{Name: "Zoë Дина Kowalska", Role: "Picker, Łódź", Code: "U-000042"}
}
func sampleProduct() Product {
	return Product{Title: "Organic Cotton Hoodie, Navy Blue, Size M (Unisex Fit)",
		SKU: "WOO-HOODIE-BLUE-M", GTIN: "4006381333931", Price: "€49.95"}
}

// template is one template with its sample, for the tests that run them all.
type template struct {
	name   string
	golden string // file in testdata/ of its 203 dpi label
	render func(p Printer) ([]byte, error)
}

var templates = []template{
	{"shipping", "shipping_label.zpl", func(p Printer) ([]byte, error) {
		return ShippingLabel(sampleShipping(), p)
	}},
	{"shipping with SSCC", "shipping_label_sscc.zpl", func(p Printer) ([]byte, error) {
		return ShippingLabel(ssccShipping(), p)
	}},
	{"bin", "bin_label.zpl", func(p Printer) ([]byte, error) { return BinLabel(sampleBin(), p) }},
	{"tote", "tote_label.zpl", func(p Printer) ([]byte, error) { return ToteLabel(sampleTote(), p) }},
	{"product", "product_label.zpl", func(p Printer) ([]byte, error) {
		return ProductLabel(sampleProduct(), p)
	}},
	{"badge", "badge_label.zpl", func(p Printer) ([]byte, error) {
		p.UnicodeFont = "E:TT0003M_.TTF" // the name has Cyrillic
		return BadgeLabel(sampleBadge(), p)
	}},
}

// ssccShipping is the sample as parcel 2 of 3 with an SSCC.
func ssccShipping() Shipping {
	s := sampleShipping()
	s.Parcel, s.Parcels = 2, 3
	s.SSCC = "106141411234567897"
	return s
}

// TestTemplateGoldens compares each template's 203 dpi label, and the shipping
// label's 300 dpi one, with testdata/; -update rewrites them.
func TestTemplateGoldens(t *testing.T) {
	cases := []struct {
		file   string
		dpi    int
		render func(p Printer) ([]byte, error)
	}{
		{"shipping_label_300.zpl", DPI300, templates[1].render},
	}
	for _, tmpl := range templates {
		cases = append(cases, struct {
			file   string
			dpi    int
			render func(p Printer) ([]byte, error)
		}{tmpl.golden, DPI203, tmpl.render})
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			zpl, err := c.render(Printer{DPI: c.dpi})
			if err != nil {
				t.Fatal(err)
			}
			assertGolden(t, "testdata/"+c.file, zpl)
		})
	}
}

func assertGolden(t *testing.T, file string, zpl []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, zpl, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./labels -update to create it)", err)
	}
	if !bytes.Equal(zpl, want) {
		t.Fatalf("label differs from %s (run with -update if the change is wanted):\n%s", file, zpl)
	}
}

// TestTemplatesAtEveryDPI renders each template at 203, 300 and 600 dpi and
// checks that it is one format, every field inside the label, the same fields
// at each resolution, and every size in the ratio 8:12:24 of the resolutions'
// dots per mm, to within the rounding of a dot.
func TestTemplatesAtEveryDPI(t *testing.T) {
	for _, tmpl := range templates {
		t.Run(tmpl.name, func(t *testing.T) {
			var base []sized
			var baseFields []string
			for _, dpi := range []int{DPI203, DPI300, DPI600} {
				zpl, err := tmpl.render(Printer{DPI: dpi})
				if err != nil {
					t.Fatalf("%d dpi: %v", dpi, err)
				}
				assertOneFormat(t, zpl)
				sizes := sizesOf(zpl)
				pw, ll := sizes[0].value, sizes[1].value
				assertInside(t, zpl, pw, ll)
				if dpi == DPI203 {
					base, baseFields = sizes, Fields(zpl)
					continue
				}
				if fields := Fields(zpl); !slices.Equal(fields, baseFields) {
					t.Fatalf("%d dpi fields %q, 203 dpi %q", dpi, fields, baseFields)
				}
				assertScaled(t, base, sizes, dpi)
			}
		})
	}
}
