package labels

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const goldenShipping = "testdata/shipping_label.zpl"

// sampleShipping is a complete label; tests change one thing at a time.
func sampleShipping() Shipping {
	return Shipping{
		ShipFrom: Address{
			Name: "Shipshape Demo Warehouse", Line1: "Unit 4, Dockside Park",
			City: "Leeds", PostalCode: "LS1 4AP", Country: "GB", Phone: "+44 113 496 0000",
		},
		ShipTo: Address{
			Name: "Jane Example", Company: "Example Trading Ltd",
			Line1: "100 Example Street", Line2: "Flat 2_B",
			City: "Springfield", State: "IL", PostalCode: "62704", Country: "US",
			Phone: "+1 555 0100",
		},
		OrderNumber: "SO-000001",
		Reference:   "#1001",
		Parcel:      1,
		Parcels:     1,
		Carrier:     "Local courier",
		Service:     "Standard",
		Tracking:    "SS1Z000123456GB",
		ShipDate:    time.Date(2024, 5, 1, 15, 4, 5, 0, time.UTC),
	}
}

func TestShippingLabelGolden(t *testing.T) {
	zpl, err := ShippingLabel(sampleShipping(), Printer{})
	if err != nil {
		t.Fatal(err)
	}

	if *update {
		if err := os.WriteFile(goldenShipping, zpl, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenShipping)
	if err != nil {
		t.Fatalf("%v (run go test ./labels -update to create it)", err)
	}
	if !bytes.Equal(zpl, want) {
		t.Fatalf("label differs from %s (run with -update if the change is wanted):\n%s",
			goldenShipping, zpl)
	}
}

// TestShippingLabelFields checks everything the sample label prints, in order.
func TestShippingLabelFields(t *testing.T) {
	zpl, err := ShippingLabel(sampleShipping(), Printer{})
	if err != nil {
		t.Fatal(err)
	}

	want := []string{
		"FROM", "Shipshape Demo", "Warehouse", "Unit 4, Dockside Park", "Leeds, LS1 4AP", "GB",
		"Tel +44 113 496 0000",
		"Order SO-000001", "Parcel 1/1", "Date 2024-05-01",
		"SHIP TO", "Jane Example", "Example Trading Ltd", "100 Example Street", "Flat 2_B",
		"Springfield, IL 62704", "US", "Tel +1 555 0100",
		"Ref #1001", "Local courier - Standard", "TRACKING #", "SS1Z000123456GB", "SS1Z000123456GB",
	}
	if got := Fields(zpl); !slices.Equal(got, want) {
		t.Fatalf("Fields =\n%q\nwant\n%q", got, want)
	}
	if !strings.Contains(string(zpl), "^BCN,160,N,N,N,A^FH_^FDSS1Z000123456GB^FS") {
		t.Fatalf("no Code 128 barcode of the tracking number in\n%s", zpl)
	}
}

func TestShippingLabelData(t *testing.T) {
	tests := []struct {
		name       string
		change     func(s *Shipping)
		wantFields []string // each must be printed as a field of its own
		contains   []string // raw ZPL that must appear
		absent     []string // raw ZPL that must not appear
	}{
		{
			name:       "ASCII address lines verbatim",
			change:     func(s *Shipping) {},
			wantFields: []string{"100 Example Street", "Springfield, IL 62704"},
			contains:   []string{"^FD100 Example Street^FS", "^FDSpringfield, IL 62704^FS"},
		},
		{
			name:       "underscore is escaped",
			change:     func(s *Shipping) {},
			wantFields: []string{"Flat 2_B"},
			contains:   []string{"^FDFlat 2_5FB^FS"},
			absent:     []string{"2_B"},
		},
		{
			name: "UTF-8 passes through as UTF-8",
			change: func(s *Shipping) {
				s.ShipTo.Name = "Zoë Дина"
				s.ShipTo.City, s.ShipTo.State, s.ShipTo.PostalCode = "Łódź", "", "90-001"
			},
			wantFields: []string{"Zoë Дина", "Łódź, 90-001"},
			contains:   []string{"^XA^CI28\n", "^FDZoë Дина^FS"},
		},
		{
			name: "commands in data cannot take over",
			change: func(s *Shipping) {
				s.ShipTo.Company = "Blue ^XZ^XA^PQ50^XZ Ltd"
				s.ShipTo.Line3 = "~JA cancel all"
			},
			wantFields: []string{"Blue ^XZ^XA^PQ50^XZ Ltd", "~JA cancel all"},
			absent:     []string{"^PQ", "~"},
		},
		{
			name: "a line break in a line becomes a space",
			change: func(s *Shipping) {
				s.ShipTo.Line2 = "Line\r\nbreak\x00"
			},
			wantFields: []string{"Line break"},
			contains:   []string{"^FDLine break^FS"},
		},
		{
			name: "long line wraps at a space",
			change: func(s *Shipping) {
				s.ShipTo.Line1 = "Apartment 1204, Riverside Tower 17 Long Harbour Road"
			},
			wantFields: []string{"Apartment 1204, Riverside Tower", "17 Long Harbour Road"},
		},
		{
			name: "optional fields left out",
			change: func(s *Shipping) {
				s.Reference, s.ShipDate, s.Service, s.ShipTo.Company = "", time.Time{}, "", ""
			},
			wantFields: []string{"Local courier"},
			absent:     []string{"^FDRef", "^FDDate", "Example Trading"},
		},
		{
			name:       "parcel k of N",
			change:     func(s *Shipping) { s.Parcel, s.Parcels = 2, 3 },
			wantFields: []string{"Parcel 2/3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sampleShipping()
			tt.change(&s)
			zpl, err := ShippingLabel(s, Printer{})
			if err != nil {
				t.Fatal(err)
			}

			assertOneFormat(t, zpl)
			fields := Fields(zpl)
			for _, want := range tt.wantFields {
				if !slices.Contains(fields, want) {
					t.Errorf("no field %q in %q", want, fields)
				}
			}
			for _, want := range tt.contains {
				if !strings.Contains(string(zpl), want) {
					t.Errorf("ZPL lacks %q:\n%s", want, zpl)
				}
			}
			for _, bad := range tt.absent {
				if strings.Contains(string(zpl), bad) {
					t.Errorf("ZPL has %q:\n%s", bad, zpl)
				}
			}
		})
	}
}

func TestShippingLabelDPI(t *testing.T) {
	tests := []struct {
		name          string
		dpi           int
		width, height int
	}{
		{name: "default", dpi: 0, width: 812, height: 1218},
		{name: "203", dpi: 203, width: 812, height: 1218},
		{name: "300", dpi: 300, width: 1218, height: 1827},
		{name: "600", dpi: 600, width: 2436, height: 3654},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zpl, err := ShippingLabel(sampleShipping(), Printer{DPI: tt.dpi})
			if err != nil {
				t.Fatal(err)
			}

			size := fmt.Sprintf("^PW%d\n^LL%d\n", tt.width, tt.height)
			if !strings.Contains(string(zpl), size) {
				t.Fatalf("ZPL lacks %q:\n%s", size, zpl)
			}
			assertInside(t, zpl, tt.width, tt.height)
		})
	}
}

func TestShippingLabelErrors(t *testing.T) {
	tests := []struct {
		name    string
		change  func(s *Shipping)
		wantErr string
	}{
		{
			name:    "no tracking",
			change:  func(s *Shipping) { s.Tracking = "  " },
			wantErr: "shipping label: Tracking: is required",
		},
		{
			name:    "tracking not ASCII",
			change:  func(s *Shipping) { s.Tracking = "SS1Ø" },
			wantErr: `shipping label: Tracking "SS1Ø": must be printable ASCII`,
		},
		{
			name:    "tracking too long for the barcode",
			change:  func(s *Shipping) { s.Tracking = strings.Repeat("AB", 40) },
			wantErr: "is too long for a Code 128 barcode on this label",
		},
		{
			name:    "no ship-to name",
			change:  func(s *Shipping) { s.ShipTo.Name = "" },
			wantErr: "shipping label: ShipTo.Name: is required",
		},
		{
			name:    "no ship-to line 1",
			change:  func(s *Shipping) { s.ShipTo.Line1 = " " },
			wantErr: "shipping label: ShipTo.Line1: is required",
		},
		{
			name:    "parcel zero",
			change:  func(s *Shipping) { s.Parcel = 0 },
			wantErr: `shipping label: Parcel "0/1": must be between 1 and Parcels`,
		},
		{
			name:    "parcel past the count",
			change:  func(s *Shipping) { s.Parcel, s.Parcels = 3, 2 },
			wantErr: `Parcel "3/2": must be between 1 and Parcels`,
		},
		{
			name: "address too long for the label",
			change: func(s *Shipping) {
				long := strings.Repeat("word ", 120) // 18 lines once wrapped: too many even in small type
				s.ShipTo.Company, s.ShipTo.Line2, s.ShipTo.Line3 = long, long, long
			},
			wantErr: `shipping label: ShipTo "Jane Example": ` +
				"needs 58 lines once wrapped at 35 characters, 25 fit on the label",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sampleShipping()
			tt.change(&s)
			zpl, err := ShippingLabel(s, Printer{})
			if zpl != nil {
				t.Fatalf("got a label despite the error:\n%s", zpl)
			}
			assertInvalid(t, err, tt.wantErr)
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "short", in: "100 Example Street", want: []string{"100 Example Street"}},
		{name: "trimmed", in: "  100 Example Street ", want: []string{"100 Example Street"}},
		{name: "short keeps double spaces", in: "5000  HALLEIN", want: []string{"5000  HALLEIN"}},
		{
			name: "exactly 35",
			in:   "Flat 12, Harbour View, 10 Quay Lane",
			want: []string{"Flat 12, Harbour View, 10 Quay Lane"},
		},
		{
			name: "36 breaks at the last space",
			in:   "Flat 12, Harbour View, 10 Quay Lanes",
			want: []string{"Flat 12, Harbour View, 10 Quay", "Lanes"},
		},
		{
			name: "house number across the limit stays whole",
			in:   "Industrial Estate North Building 12345 Main Road",
			want: []string{"Industrial Estate North Building", "12345 Main Road"},
		},
		{
			name: "several lines",
			in: "The Old Rectory Cottage Annex behind the Church of " +
				"Saint Mary Magdalene Lower Slaughter",
			want: []string{
				"The Old Rectory Cottage Annex", "behind the Church of Saint Mary",
				"Magdalene Lower Slaughter",
			},
		},
		{
			name: "counts characters, not bytes",
			in:   "Łódź Świętokrzyska Żółtodzioba 12 Ćma",
			want: []string{"Łódź Świętokrzyska Żółtodzioba", "12 Ćma"},
		},
		{
			name: "a word longer than a line is cut",
			in:   "Unit 9 ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKL",
			want: []string{"Unit 9", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHI", "JKL"},
		},
		{name: "empty", in: "", want: []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WrapLine(tt.in, addressChars)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("WrapLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// assertOneFormat fails unless zpl is exactly one ^XA…^XZ label.
func assertOneFormat(t *testing.T, zpl []byte) {
	t.Helper()
	if n, m := countCommand(zpl, "^XA"), countCommand(zpl, "^XZ"); n != 1 || m != 1 {
		t.Fatalf("%d ^XA and %d ^XZ, want one each:\n%s", n, m, zpl)
	}
	if !bytes.HasPrefix(zpl, []byte("^XA^CI28")) || !bytes.HasSuffix(zpl, []byte("^XZ\n")) {
		t.Fatalf("label is not ^XA^CI28 … ^XZ:\n%s", zpl)
	}
}

var (
	fieldOrigin = regexp.MustCompile(`\^FO(\d+),(\d+)`)
	graphicBox  = regexp.MustCompile(`\^FO(\d+),(\d+)\^GB(\d+),(\d+),`)
)

// assertInside fails when a field starts, or a box ends, outside width x height.
func assertInside(t *testing.T, zpl []byte, width, height int) {
	t.Helper()
	for _, m := range fieldOrigin.FindAllStringSubmatch(string(zpl), -1) {
		if x, y := atoi(t, m[1]), atoi(t, m[2]); x >= width || y >= height {
			t.Errorf("field at (%d,%d) is outside %dx%d", x, y, width, height)
		}
	}
	for _, m := range graphicBox.FindAllStringSubmatch(string(zpl), -1) {
		right, bottom := atoi(t, m[1])+atoi(t, m[3]), atoi(t, m[2])+atoi(t, m[4])
		if right > width || bottom > height {
			t.Errorf("box %s ends at (%d,%d), outside %dx%d", m[0], right, bottom, width, height)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestShippingLabelLongAddressFits: an address with every field at the
// order limits (100 characters a line) still prints, in smaller type.
func TestShippingLabelLongAddressFits(t *testing.T) {
	long := strings.Repeat("Abcdefghi ", 10) // 100 characters, wraps to 4 lines
	s := Shipping{
		ShipTo: Address{Name: long, Company: long, Line1: long, Line2: long, Line3: long,
			City: strings.Repeat("C", 30), State: strings.Repeat("S", 30), PostalCode: strings.Repeat("9", 20),
			Country: "GB", Phone: strings.Repeat("1", 30)},
		ShipFrom:    Address{Name: "Warehouse", Line1: "1 Dock Road", City: "Leeds", Country: "GB"},
		OrderNumber: "SO-000001", Parcel: 1, Parcels: 1, Carrier: "Local courier", Tracking: "LC000000014GB",
	}
	zpl, err := ShippingLabel(s, Printer{})
	if err != nil {
		t.Fatalf("long address: %v", err)
	}
	if !strings.Contains(string(zpl), "^A0N,22,20^FH_^FDAbcdefghi Abcdefghi Abcdefghi") {
		t.Errorf("want the long address in small type:\n%s", zpl)
	}
	s.ShipTo = Address{Name: "Ann Example", Line1: "1 Road", City: "Leeds", Country: "GB"}
	zpl, err = ShippingLabel(s, Printer{})
	if err != nil || !strings.Contains(string(zpl), "^A0N,40,36^FH_^FDAnn Example") {
		t.Errorf("short address not in large type: %v\n%s", err, zpl)
	}
}
