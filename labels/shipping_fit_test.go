package labels

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Values that fill a field to the worst case for the width rule: every "W" is
// as wide as the font's width parameter.
var (
	ws35        = strings.Repeat("W", 35)
	longService = "Express Saver: next working day, before noon, signature required" // 64
	longRef     = "AMZ-205-1234567-1234567-UK-MARKETPLACE-REPLACEMENT-ORDER-0000001" // 64
)

// hundred is a 100-character address field (the order intake limit) made of
// words of the given length.
func hundred(word int) string {
	w := strings.Repeat("Abcdefghijklmnopqrstuvwxyz", 4)[:word]
	return (strings.Repeat(w+" ", 100/(word+1)+1))[:100]
}

// wwLines returns n words of 35 "W"s: n lines once wrapped at 35 characters.
func wwLines(n int) string {
	return strings.TrimSpace(strings.Repeat(ws35+" ", n))
}

// longSender is a sender with five address fields of 100 characters, a long
// city line and a 30-character phone number.
func longSender() Address {
	return Address{
		Name: hundred(9), Company: hundred(18), Line1: hundred(5), Line2: hundred(12),
		Line3: hundred(7), City: strings.Repeat("C", 60), State: strings.Repeat("S", 60),
		PostalCode: strings.Repeat("9", 20), Country: "GB", Phone: "+44 (0)113 496 0000 ext 12345",
	}
}

// TestShippingLabelFits renders labels with long and wide text and checks, from
// the ZPL alone, that every field stays inside the margins and that no two
// fields (text, rules, barcode) overlap.
func TestShippingLabelFits(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Shipping)
		want   []string // fields that must be printed, in these fonts ("h,w|text")
	}{
		{name: "sample", change: func(s *Shipping) {}, want: []string{
			"40,36|Jane Example", "22,20|Order SO-000001", "30,28|Parcel 1/1",
			"30,28|Local courier - Standard", "30,28|SS1Z000123456GB",
		}},
		{
			name: "ship-to lines of 21 Ws stay large",
			change: func(s *Shipping) {
				s.ShipTo.Name, s.ShipTo.Line1 = ws35[:21], ws35[:21]
			},
			want: []string{"40,36|" + ws35[:21]},
		},
		{
			name:   "a ship-to line of 22 Ws takes medium",
			change: func(s *Shipping) { s.ShipTo.Line1 = ws35[:22] },
			want:   []string{"30,28|" + ws35[:22], "30,28|Jane Example"},
		},
		{
			name:   "a ship-to line of 28 Ws takes small",
			change: func(s *Shipping) { s.ShipTo.Line1 = ws35[:28] },
			want:   []string{"22,20|" + ws35[:28], "22,20|Jane Example"},
		},
		{
			name: "every ship-to line 35 Ws",
			change: func(s *Shipping) {
				a := &s.ShipTo
				a.Name, a.Company, a.Line1, a.Line2, a.Line3 = ws35, ws35, ws35, ws35, ws35
				a.City, a.State, a.PostalCode, a.Country = ws35, "", "", ws35
				a.Phone = strings.Repeat("9", 30)
			},
			want: []string{"22,20|" + ws35, "22,20|Tel " + strings.Repeat("9", 30)},
		},
		{
			name: "as many ship-to lines as fit, all 35 Ws",
			change: func(s *Shipping) {
				s.ShipTo = Address{Name: ws35, Line1: wwLines(20), Line2: wwLines(4),
					Phone: strings.Repeat("W", 30)}
			},
			want: []string{"22,20|" + ws35, "22,20|Tel " + strings.Repeat("W", 30)},
		},
		{
			name:   "long service is cut in small type",
			change: func(s *Shipping) { s.Service = longService },
			want:   []string{"22,20|Local courier - Express Saver: next w…"},
		},
		{
			name:   "service that fits only in small type",
			change: func(s *Shipping) { s.Service = "Next day before noon" },
			want:   []string{"22,20|Local courier - Next day before noon"},
		},
		{
			name:   "long carrier and no service",
			change: func(s *Shipping) { s.Carrier, s.Service = strings.Repeat("W", 39), "" },
			want:   []string{"22,20|" + strings.Repeat("W", 37) + "…"},
		},
		{
			name:   "long reference is cut",
			change: func(s *Shipping) { s.Reference = longRef },
			want:   []string{"22,20|Ref AMZ-205-1234567-1234567-UK-MARKET…"},
		},
		{
			name:   "long order number",
			change: func(s *Shipping) { s.OrderNumber = "SO-12345678901" },
			want:   []string{"22,20|Order SO-12345…"},
		},
		{
			name:   "parcel count in small type",
			change: func(s *Shipping) { s.Parcel, s.Parcels = 100, 100 },
			want:   []string{"22,20|Parcel 100/100"},
		},
		{
			name:   "long tracking number",
			change: func(s *Shipping) { s.Tracking = "SS" + strings.Repeat("W", 38) },
			want:   []string{"22,20|SS" + strings.Repeat("W", 24) + "…"},
		},
		{
			name:   "tracking number in small type",
			change: func(s *Shipping) { s.Tracking = "1Z999AA1012345678400" },
			want:   []string{"22,20|1Z999AA1012345678400"},
		},
		{
			name:   "long sender lines are wrapped and cut",
			change: func(s *Shipping) { s.ShipFrom = longSender() },
			want: []string{
				"22,20|Abcdefghi Abcdefghi", "22,20|Abcdefghijklmnopqr…",
			},
		},
		{
			name: "a sender word longer than the column is cut",
			change: func(s *Shipping) {
				s.ShipFrom = Address{Name: strings.Repeat("M", 30), Line1: "1 Dock Road"}
			},
			want: []string{"22,20|" + strings.Repeat("M", 22), "22,20|" + strings.Repeat("M", 8)},
		},
		{
			name: "everything long at once",
			change: func(s *Shipping) {
				s.ShipFrom, s.Service, s.Reference = longSender(), longService, longRef
				s.OrderNumber, s.Parcel, s.Parcels = "SO-12345678901", 999, 999
				s.ShipTo = Address{Name: ws35, Line1: wwLines(23), Country: ws35,
					Phone: strings.Repeat("W", 30)}
				s.Tracking = strings.Repeat("W", 64)
			},
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

			texts, others := parseBoxes(t, zpl)
			printed := make([]string, len(texts))
			for i, b := range texts {
				printed[i] = b.what
				if b.x0 < dots8(margin) || b.x1 > dots8(shippingWidth-margin) ||
					b.y1 > dots8(shippingHeight-margin) {
					t.Errorf("%s is outside the margins", b)
				}
			}
			assertNoOverlap(t, append(texts, others...))
			for _, want := range tt.want {
				if !slices.Contains(printed, want) {
					t.Errorf("no field %q in\n%s", want, strings.Join(printed, "\n"))
				}
			}
		})
	}
}

// box is the room a field takes on the label, in dots: from (x0, y0) up to,
// not including, (x1, y1).
type box struct {
	x0, y0, x1, y1 int
	what           string // "h,w|text" for text, else the ZPL of the field
}

func (b box) String() string {
	return fmt.Sprintf("%q at x %d..%d, y %d..%d", b.what, b.x0, b.x1, b.y0, b.y1)
}

var (
	textField    = regexp.MustCompile(`\^FO(\d+),(\d+)\^A0N,(\d+),(\d+)\^FH_\^FD([^^]*)\^FS`)
	barcodeField = regexp.MustCompile(`\^FO(\d+),(\d+)\^BY(\d+)\^BCN,(\d+),N,N,N,A\^FH_\^FD([^^]*)\^FS`)
)

// parseBoxes returns the box of every text field of a 203 dpi label, taking
// each character as wide as the font's width parameter, and the boxes of its
// rules and barcodes. It fails when a field is of a kind it does not know.
func parseBoxes(t *testing.T, zpl []byte) (texts, others []box) {
	t.Helper()
	for _, m := range textField.FindAllStringSubmatch(string(zpl), -1) {
		x, y, h, w := atoi(t, m[1]), atoi(t, m[2]), atoi(t, m[3]), atoi(t, m[4])
		text := unescapeField([]byte(m[5]), '_')
		n := utf8.RuneCountInString(text)
		texts = append(texts, box{x, y, x + n*w, y + h, m[3] + "," + m[4] + "|" + text})
	}
	for _, m := range graphicBox.FindAllStringSubmatch(string(zpl), -1) {
		x, y := atoi(t, m[1]), atoi(t, m[2])
		others = append(others, box{x, y, x + atoi(t, m[3]), y + atoi(t, m[4]), m[0]})
	}
	for _, m := range barcodeField.FindAllStringSubmatch(string(zpl), -1) {
		x, y, module, h := atoi(t, m[1]), atoi(t, m[2]), atoi(t, m[3]), atoi(t, m[4])
		width := code128Modules(m[5]) * module
		others = append(others, box{x, y, x + width, y + h, m[0]})
	}

	if fields := countCommand(zpl, "^FO"); fields != len(texts)+len(others) {
		t.Fatalf("parsed %d of %d fields:\n%s", len(texts)+len(others), fields, zpl)
	}
	return texts, others
}

func assertNoOverlap(t *testing.T, boxes []box) {
	t.Helper()
	for i, a := range boxes {
		for _, b := range boxes[i+1:] {
			if a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 {
				t.Errorf("%s overlaps %s", a, b)
			}
		}
	}
}

// TestCheckShipTo checks that CheckShipTo refuses exactly the recipients that
// ShippingLabel refuses, with the same error, whatever else is on the label.
func TestCheckShipTo(t *testing.T) {
	tests := []struct {
		name    string
		to      Address
		wantErr string // "" when the address prints
	}{
		{name: "sample", to: sampleShipping().ShipTo},
		{name: "every line 35 Ws", to: Address{Name: ws35, Company: ws35, Line1: ws35,
			Line2: ws35, Line3: ws35, City: ws35, Country: ws35, Phone: ws35}},
		{name: "25 lines: as many as fit", to: Address{Name: "Ann", Line1: wwLines(24)}},
		{
			name:    "26 lines: one too many",
			to:      Address{Name: "Ann", Line1: wwLines(25)},
			wantErr: `ShipTo "Ann": needs 26 lines once wrapped at 35 characters, 25 fit on the label`,
		},
		{
			name: "five fields of 100 characters of 18-letter words, city and country",
			to: Address{Name: hundred(18), Company: hundred(18), Line1: hundred(18),
				Line2: hundred(18), Line3: hundred(18), City: "Leeds", Country: "GB"},
			wantErr: `ShipTo "` + clip(hundred(18)) + `": ` +
				"needs 27 lines once wrapped at 35 characters, 25 fit on the label",
		},
		{
			name: "five fields of 100 characters of 9-letter words",
			to: Address{Name: hundred(9), Company: hundred(9), Line1: hundred(9),
				Line2: hundred(9), Line3: hundred(9), City: "Leeds", Country: "GB"},
		},
		{
			name:    "no name",
			to:      Address{Name: " ", Line1: "1 Road"},
			wantErr: "ShipTo.Name: is required",
		},
		{
			name:    "no line 1",
			to:      Address{Name: "Ann", Line2: "1 Road"},
			wantErr: "ShipTo.Line1: is required",
		},
	}
	others := map[string]func(s *Shipping){
		"sample": func(s *Shipping) {},
		"long everything else": func(s *Shipping) {
			s.ShipFrom, s.Service, s.Reference = longSender(), longService, longRef
			s.OrderNumber, s.Tracking = "SO-12345678901", strings.Repeat("W", 64)
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckShipTo(tt.to)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CheckShipTo: %v", err)
			case tt.wantErr != "":
				assertInvalid(t, err, tt.wantErr)
				if err.Error() != tt.wantErr {
					t.Fatalf("CheckShipTo error = %q, want %q", err, tt.wantErr)
				}
			}

			for name, change := range others {
				s := sampleShipping()
				change(&s)
				s.ShipTo = tt.to
				_, labelErr := ShippingLabel(s, Printer{})
				if tt.wantErr == "" && labelErr != nil {
					t.Errorf("%s: CheckShipTo accepted, ShippingLabel: %v", name, labelErr)
				}
				if tt.wantErr == "" {
					continue
				}
				var invalid *InvalidError
				if !errors.As(labelErr, &invalid) || labelErr.Error() != "shipping label: "+tt.wantErr {
					t.Errorf("%s: ShippingLabel error = %v, want shipping label: %s",
						name, labelErr, tt.wantErr)
				}
			}
		})
	}
}

// TestSmallTypeFitsAShipToLine checks what CheckShipTo's message relies on: a
// line wrapped at addressChars fits across the label in small type, so only
// the number of lines can make an address too long.
func TestSmallTypeFitsAShipToLine(t *testing.T) {
	if !small.fits(ws35, textWidth) {
		t.Fatalf("%d characters of %v mm do not fit %v mm", addressChars, small.Width, textWidth)
	}
	if fromChars != 22 {
		t.Fatalf("fromChars = %d, want 22 characters in the sender's column", fromChars)
	}
}

func TestWithEllipsis(t *testing.T) {
	tests := []struct {
		name string
		text string
		n    int
		want string
	}{
		{name: "cut", text: "Express Saver", n: 8, want: "Express…"},
		{name: "space before the cut dropped", text: "Express Saver", n: 9, want: "Express…"},
		{name: "short text still marked", text: "Leeds", n: 22, want: "Leeds…"},
		{name: "exactly n", text: "abcd", n: 4, want: "abc…"},
		{name: "counts characters, not bytes", text: "Łódź Łódź", n: 5, want: "Łódź…"},
		{name: "room for the mark only", text: "abc", n: 1, want: "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withEllipsis(tt.text, tt.n); got != tt.want {
				t.Fatalf("withEllipsis(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
			}
		})
	}
}

// dots8 converts v to dots at 203 dpi, the resolution parseBoxes reads.
func dots8(v Length) int {
	return int(math.Round(float64(v) * 8))
}
