package labels

import (
	"slices"
	"strings"
	"testing"
)

func TestShippingLabelSSCC(t *testing.T) {
	zpl, err := ShippingLabel(ssccShipping(), Printer{})
	if err != nil {
		t.Fatal(err)
	}
	fields := Fields(zpl)
	for _, want := range []string{"Parcel 2/3", "(00)106141411234567897", ">;>800106141411234567897"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no field %q in %q", want, fields)
		}
	}
	if !strings.Contains(string(zpl), "^BY3^BCN,96,N,N,N,N^FH_^FD>;>800106141411234567897^FS") {
		t.Errorf("no GS1-128 of the SSCC in\n%s", zpl)
	}
	texts, others := parseBoxesTiny(t, zpl)
	assertNoOverlap(t, append(texts, others...))
}

// TestShippingLabelSSCCKeepsAddresses: every recipient CheckShipTo accepts
// still prints with an SSCC, in tiny type when it must.
func TestShippingLabelSSCCKeepsAddresses(t *testing.T) {
	s := ssccShipping()
	s.ShipTo = Address{Name: "Ann", Line1: wwLines(24)} // 25 lines: the most that fit
	if err := CheckShipTo(s.ShipTo); err != nil {
		t.Fatal(err)
	}
	zpl, err := ShippingLabel(s, Printer{})
	if err != nil {
		t.Fatalf("with an SSCC: %v", err)
	}
	if !strings.Contains(string(zpl), "^A0N,17,16^FH_^FD"+ws35) {
		t.Errorf("want the recipient in tiny type:\n%s", zpl)
	}
	texts, others := parseBoxesTiny(t, zpl)
	assertNoOverlap(t, append(texts, others...))
}

// parseBoxesTiny is parseBoxes for labels with a GS1-128 field, which it
// takes as a box of its own.
func parseBoxesTiny(t *testing.T, zpl []byte) (texts, others []box) {
	t.Helper()
	var rest []string
	for _, line := range strings.Split(string(zpl), "\n") {
		if !strings.Contains(line, "N,N,N,N^") {
			rest = append(rest, line)
			continue
		}
		m := fieldOrigin.FindStringSubmatch(line)
		x, y := atoi(t, m[1]), atoi(t, m[2])
		others = append(others, box{x, y, x + 156*3, y + 96, line})
	}
	texts, more := parseBoxes(t, []byte(strings.Join(rest, "\n")))
	return texts, append(others, more...)
}

func TestShippingLabelOptions(t *testing.T) {
	tests := []struct {
		name    string
		change  func(s *Shipping)
		printer Printer
		want    []string // fields
		wantErr string
	}{
		{
			name:   "parcel defaults to 1/1",
			change: func(s *Shipping) { s.Parcel, s.Parcels = 0, 0 },
			want:   []string{"Parcel 1/1"},
		},
		{
			name: "address lines wrap at AddressChars",
			change: func(s *Shipping) {
				s.AddressChars = 15
				s.ShipTo.Line1 = "Flat 3, 221B Baker Street"
			},
			want: []string{"Flat 3,", "221B Baker", "Street"},
		},
		{
			name:    "AddressChars too wide for the label",
			change:  func(s *Shipping) { s.AddressChars = 39 },
			wantErr: `shipping label: AddressChars "39": must be 0 (meaning 35) or 10 to 38`,
		},
		{
			name:    "SSCC check digit",
			change:  func(s *Shipping) { s.SSCC = "106141411234567890" },
			wantErr: `shipping label: SSCC "106141411234567890": check digit 0 is wrong, expected 7`,
		},
		{
			name:    "SSCC length",
			change:  func(s *Shipping) { s.SSCC = "00614141123456789" },
			wantErr: `shipping label: SSCC "00614141123456789": must be 18 digits`,
		},
		{
			name:    "label wider than the printer",
			change:  func(s *Shipping) {},
			printer: Printer{DPI: 300, Width: 80},
			wantErr: `shipping label: label width "101.5 mm": is wider than the printer's print width of 80 mm`,
		},
		{
			name:    "unsupported dpi",
			change:  func(s *Shipping) {},
			printer: Printer{DPI: 400},
			wantErr: `shipping label: DPI "400": must be 203, 300 or 600`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sampleShipping()
			tt.change(&s)
			zpl, err := ShippingLabel(s, tt.printer)
			if tt.wantErr != "" {
				if zpl != nil {
					t.Fatalf("got a label despite the error:\n%s", zpl)
				}
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			fields := Fields(zpl)
			for _, want := range tt.want {
				if !slices.Contains(fields, want) {
					t.Errorf("no field %q in %q", want, fields)
				}
			}
		})
	}
}

func TestTemplateErrors(t *testing.T) {
	tests := []struct {
		name    string
		render  func() ([]byte, error)
		wantErr string
	}{
		{
			name:    "bin without a code",
			render:  func() ([]byte, error) { return BinLabel(Bin{Code: " "}, Printer{}) },
			wantErr: "bin label: Code: is required",
		},
		{
			name:    "bin code not ASCII",
			render:  func() ([]byte, error) { return BinLabel(Bin{Code: "Gang-Ä"}, Printer{}) },
			wantErr: `bin label: Code "Gang-Ä": must be printable ASCII`,
		},
		{
			name: "tote code too long for the barcode",
			render: func() ([]byte, error) {
				return ToteLabel(Tote{Code: strings.Repeat("T", 60)}, Printer{})
			},
			wantErr: "tote label: Code \"" + strings.Repeat("T", 60) + "\": is too long to print",
		},
		{
			name: "product GTIN check digit",
			render: func() ([]byte, error) {
				p := sampleProduct()
				p.GTIN = "4006381333932"
				return ProductLabel(p, Printer{})
			},
			wantErr: `product label: GTIN "4006381333932": check digit 2 is wrong, expected 1`,
		},
		{
			name: "product without a title",
			render: func() ([]byte, error) {
				p := sampleProduct()
				p.Title = ""
				return ProductLabel(p, Printer{})
			},
			wantErr: "product label: Title: is required",
		},
		{
			name:    "badge without a name",
			render:  func() ([]byte, error) { return BadgeLabel(Badge{Code: "U-1"}, Printer{}) },
			wantErr: "badge label: Name: is required",
		},
		{
			name: "badge on a narrow printer",
			render: func() ([]byte, error) {
				return BadgeLabel(sampleBadge(), Printer{DPI: 203, Width: 54})
			},
			wantErr: `badge label: label width "86 mm": is wider than the printer's print width of 54 mm`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zpl, err := tt.render()
			if zpl != nil {
				t.Fatalf("got a label despite the error:\n%s", zpl)
			}
			assertInvalid(t, err, tt.wantErr)
		})
	}
}

func TestTemplateFields(t *testing.T) {
	tests := []struct {
		name   string
		render func() ([]byte, error)
		want   []string
	}{
		{"bin", func() ([]byte, error) { return BinLabel(sampleBin(), Printer{}) },
			[]string{"BIN", "A-01-03-B", "A-01-03-B"}},
		{"tote", func() ([]byte, error) { return ToteLabel(sampleTote(), Printer{}) },
			[]string{"TOTE", "TOTE-0042", "TOTE-0042"}},
		{"product", func() ([]byte, error) { return ProductLabel(sampleProduct(), Printer{}) },
			[]string{"Organic Cotton Hoodie,", "Navy Blue, Size M (Un…", "SKU WOO-HOODIE-BLUE-M",
				"€49.95", "400638133393"}},
		{"product without price, UPC-A", func() ([]byte, error) {
			return ProductLabel(Product{Title: "Mug", SKU: "MUG-1", GTIN: "036000291452"}, Printer{})
		}, []string{"Mug", "SKU MUG-1", "03600029145"}},
		{"badge", func() ([]byte, error) { return BadgeLabel(sampleBadge(), Printer{}) },
			[]string{"Zoë Дина", "Kowalska", "Picker, Łódź", "HA,U-000042", "U-000042"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zpl, err := tt.render()
			if err != nil {
				t.Fatal(err)
			}
			if got := Fields(zpl); !slices.Equal(got, tt.want) {
				t.Fatalf("Fields = %q, want %q", got, tt.want)
			}
		})
	}
}
