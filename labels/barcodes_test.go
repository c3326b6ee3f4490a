package labels

import (
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// drawOne draws one field on a 100 x 50 mm label at 203 dpi and returns the
// field's ZPL line (without ^FO) or the error.
func drawOne(t *testing.T, draw func(l *Label)) (string, error) {
	t.Helper()
	l, err := NewLabel(100, 50, Printer{})
	if err != nil {
		t.Fatal(err)
	}
	draw(l)
	zpl, err := l.Bytes()
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(string(zpl)), "\n")
	if len(lines) != 6 {
		t.Fatalf("want one field, got\n%s", zpl)
	}
	return fieldOrigin.ReplaceAllString(lines[4], ""), nil
}

func TestGS1128(t *testing.T) {
	el := func(ai, raw string) gs1.Element { return gs1.Element{AI: ai, Raw: raw} }
	tests := []struct {
		name     string
		elements []gs1.Element
		want     string // field data as the printer reads it, ^FH undone
		wantErr  string
	}{
		{
			name:     "SSCC: start C, FNC1, ten digit pairs",
			elements: []gs1.Element{el("00", "106141411234567897")},
			want:     ">;>800106141411234567897",
		},
		{
			name: "FNC1 after the variable-length lot only",
			elements: []gs1.Element{
				el("01", "09521234543213"), el("10", "ABC123"), el("17", "261231"),
			},
			want: ">;>8" + "0109521234543213" + "10>6ABC1>523" + ">8" + "17261231",
		},
		{
			name:     "no FNC1 after the last element, variable or not",
			elements: []gs1.Element{el("17", "261231"), el("21", "12345")},
			want:     ">;>8" + "17261231" + "211234>6" + "5",
		},
		{
			name:     "odd digit run starts in B then switches to C",
			elements: []gs1.Element{el("10", "A12345"), el("21", "X")},
			want:     ">;>8" + "10>6A1>52345" + ">8" + "21>6X",
		},
		{
			name:     "a > in data is written as its invocation code",
			elements: []gs1.Element{el("10", "A>B")},
			want:     ">;>8" + "10>6A>0B",
		},
		{
			name:     "SSCC with a wrong check digit",
			elements: []gs1.Element{el("00", "106141411234567890")},
			wantErr:  `GS1 (00) "106141411234567890": check digit 0 is wrong, expected 7`,
		},
		{
			name:     "GTIN too short",
			elements: []gs1.Element{el("01", "9521234543213")},
			wantErr:  `GS1 (01) "9521234543213": must be 14 digits`,
		},
		{
			name:     "AI with a letter",
			elements: []gs1.Element{el("1O", "ABC")},
			wantErr:  `GS1 AI "1O": must be 2 to 4 digits`,
		},
		{
			name:     "caret is not a GS1 character",
			elements: []gs1.Element{el("10", "A^XZ")},
			wantErr:  `GS1 (10) "A^XZ": holds a character outside the GS1 character set`,
		},
		{name: "no elements", wantErr: "GS1: needs at least one element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, err := drawOne(t, func(l *Label) { l.GS1128(0, 0, 0.25, 10, tt.elements) })
			if tt.wantErr != "" {
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(field, "^BY2^BCN,80,N,N,N,N^FH_^FD") {
				t.Fatalf("field %q is not a mode N ^BC", field)
			}
			if got := Fields([]byte(field)); !slices.Equal(got, []string{tt.want}) {
				t.Fatalf("field data %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGS1Bracketed(t *testing.T) {
	got := GS1Bracketed([]gs1.Element{{AI: "01", Raw: "09521234543213"}, {AI: "10", Raw: "AB1"}})
	if want := "(01)09521234543213(10)AB1"; got != want {
		t.Fatalf("GS1Bracketed = %q, want %q", got, want)
	}
}

func TestQR(t *testing.T) {
	tests := []struct {
		name    string
		module  Length
		ecc     byte
		data    string
		want    string
		wantErr string
	}{
		{
			name: "level and automatic input before the data", module: 0.5, ecc: QRHigh,
			data: "U-000042", want: "^BQN,2,4,H,7^FH_^FDHA,U-000042^FS",
		},
		{
			name: "commands in data are escaped", module: 0.375, ecc: QRMedium,
			data: "a^XZ~b_", want: "^BQN,2,3,M,7^FH_^FDMA,a_5EXZ_7Eb_5F^FS",
		},
		{name: "bad level", module: 0.5, ecc: 'X', data: "x", wantErr: `QR level "X": must be L, M, Q or H`},
		{name: "empty", module: 0.5, ecc: QRLow, data: "", wantErr: "QR: is empty"},
		{
			name: "too long", module: 0.125, ecc: QRHigh, data: strings.Repeat("x", 120),
			wantErr: "is 120 bytes, more than 119 fit a version 10 symbol at level H",
		},
		{
			name: "does not fit", module: 2.5, ecc: QRLow, data: strings.Repeat("x", 20),
			wantErr: "62.5x62.5 mm at (0,0) is outside the 100x50 mm label",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, err := drawOne(t, func(l *Label) { l.QR(0, 0, tt.module, tt.ecc, tt.data) })
			if tt.wantErr != "" {
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil || field != tt.want {
				t.Fatalf("QR field = %q, %v; want %q", field, err, tt.want)
			}
		})
	}
}

func TestDataMatrix(t *testing.T) {
	field, err := drawOne(t, func(l *Label) { l.DataMatrix(0, 0, 0.5, "A_B^C") })
	if err != nil {
		t.Fatal(err)
	}
	// The ^BX escape "_" is doubled for a data "_", then both are hex-escaped.
	if want := "^BXN,4,200,,,,_,1^FH_^FDA_5F_5FB_5EC^FS"; field != want {
		t.Fatalf("DataMatrix field = %q, want %q", field, want)
	}

	// "_" is in GS1's character set: doubled too, so "_1" in a lot is no FNC1.
	elements := []gs1.Element{{AI: "10", Raw: "AB_1"}, {AI: "21", Raw: "7"}}
	field, err = drawOne(t, func(l *Label) { l.GS1DataMatrix(0, 0, 0.5, elements) })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Fields([]byte(field)), "_110AB__1_1217"; !slices.Equal(got, []string{want}) {
		t.Fatalf("GS1 DataMatrix data = %q, want %q", got, want)
	}
}

func TestGS1DataMatrix(t *testing.T) {
	elements := []gs1.Element{
		{AI: "01", Raw: "09521234543213"}, {AI: "10", Raw: "ABC123"}, {AI: "17", Raw: "261231"},
	}
	field, err := drawOne(t, func(l *Label) { l.GS1DataMatrix(0, 0, 0.5, elements) })
	if err != nil {
		t.Fatal(err)
	}
	want := "_1" + "0109521234543213" + "10ABC123" + "_1" + "17261231"
	if got := Fields([]byte(field)); !slices.Equal(got, []string{want}) {
		t.Fatalf("GS1 DataMatrix data = %q, want %q", got, want)
	}
	if !strings.HasPrefix(field, "^BXN,4,200,,,,_,1^FH_^FD_5F1") {
		t.Fatalf("field %q does not start with the ^BX escape for FNC1", field)
	}
}

func TestGTINBarcode(t *testing.T) {
	tests := []struct {
		name    string
		gtin    string
		want    string
		wantErr string
	}{
		{name: "EAN-13", gtin: "4006381333931", want: "^BEN,96,Y,N^FH_^FD400638133393^FS"},
		{name: "in-house EAN-13", gtin: "2000000000428", want: "^BEN,96,Y,N^FH_^FD200000000042^FS"},
		{name: "UPC-A", gtin: "036000291452", want: "^BUN,96,Y,N,Y^FH_^FD03600029145^FS"},
		{name: "EAN-8", gtin: "12345670", want: "^B8N,96,Y,N^FH_^FD1234567^FS"},
		{name: "GTIN-14 with indicator 0", gtin: "04006381333931", want: "^BEN,96,Y,N^FH_^FD400638133393^FS"},
		{
			name: "GTIN-14 of a case", gtin: "10036000291459",
			wantErr: `GTIN "10036000291459": is a GTIN-14 of a trade unit`,
		},
		{name: "wrong check digit", gtin: "4006381333932", wantErr: "check digit 2 is wrong, expected 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, err := drawOne(t, func(l *Label) { l.GTIN(0, 0, 0.375, 12, tt.gtin) })
			if tt.wantErr != "" {
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if field != "^BY3"+tt.want {
				t.Fatalf("GTIN field = %q, want %q", field, tt.want)
			}
		})
	}
}

func TestImage(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 10, 2))
	for x := range 10 {
		img.Set(x, 0, color.Black)
		img.Set(x, 1, color.White)
	}
	img.Set(0, 1, color.NRGBA{A: 255})                         // opaque black
	img.Set(1, 1, color.NRGBA{R: 200, G: 200, B: 200, A: 255}) // light grey: white
	img.Set(2, 1, color.NRGBA{A: 40})                          // mostly transparent: white
	img.Set(9, 1, color.NRGBA{R: 90, G: 90, B: 90, A: 255})    // dark grey: black

	field, err := drawOne(t, func(l *Label) { l.Image(0, 0, 1.25, img) })
	if err != nil {
		t.Fatal(err)
	}
	// 10 dots wide: 2 bytes a row, the last 6 bits padding.
	if want := "^GFA,4,4,2,FFC08040^FS"; field != want {
		t.Fatalf("Image field = %q, want %q", field, want)
	}

	field, err = drawOne(t, func(l *Label) { l.Image(0, 0, 2.5, img) })
	if err != nil || !strings.HasPrefix(field, "^GFA,12,12,3,") {
		t.Fatalf("image scaled to 20 dots = %q, %v; want 4 rows of 3 bytes", field, err)
	}

	_, err = drawOne(t, func(l *Label) { l.Image(0, 0, 1, image.NewGray(image.Rect(0, 0, 0, 0))) })
	assertInvalid(t, err, `Image "0x0 px, 1 mm wide": must have pixels`)
}

func TestUnicodeFont(t *testing.T) {
	l, err := NewLabel(50, 25, Printer{UnicodeFont: "E:TT0003M_.TTF"})
	if err != nil {
		t.Fatal(err)
	}
	l.Text(0, 0, Font{Name: '0', Height: 2.5, Width: 2}, "Zoë, Łódź")
	l.Text(0, 5, Font{Name: '0', Height: 2.5, Width: 2}, "Дина")
	zpl, err := l.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"^A0N,20,16^FH_^FDZoë, Łódź^FS", "^A@N,20,,E:TT0003M_.TTF^FH_^FDДина^FS"} {
		if !strings.Contains(string(zpl), want) {
			t.Errorf("no %q in\n%s", want, zpl)
		}
	}

	_, err = NewLabel(50, 25, Printer{UnicodeFont: "TT0003M_.TTF,^XZ"})
	assertInvalid(t, err, `UnicodeFont "TT0003M_.TTF,^XZ": must be a printer font file`)
}

// FuzzEscapeField checks, for any text, that a text field decodes back to it
// (as printableText cleans it), that no raw ^ or ~ is left in field data, and that
// the document stays one ^XA…^XZ format.
func FuzzEscapeField(f *testing.F) {
	for _, seed := range []string{
		"Blue ^XZ^XA^PQ50^XZ Ltd", "~JA~PS", "DE_HA_5E", "Zoë Дина, Łódź", "a\xffb", "\x00\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		l, err := NewLabel(100, 50, Printer{})
		if err != nil {
			t.Fatal(err)
		}
		l.Text(1, 1, Font{Name: '0', Height: 3}, text)
		zpl, err := l.Bytes()
		if err != nil {
			t.Fatal(err)
		}

		want := printableText(text)
		if got := Fields(zpl); len(got) != 1 || got[0] != want || !utf8.ValidString(got[0]) {
			t.Fatalf("Fields = %q, want [%q]", got, want)
		}
		_, data, _ := strings.Cut(string(zpl), "^FH_^FD")
		data, _, _ = strings.Cut(data, "^FS\n^XZ\n")
		if strings.ContainsAny(data, "^~") {
			t.Fatalf("raw ^ or ~ in field data %q", data)
		}
		if countCommand(zpl, "^XA") != 1 || countCommand(zpl, "^XZ") != 1 {
			t.Fatalf("not one format:\n%q", zpl)
		}
	})
}
