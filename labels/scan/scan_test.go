package scan

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/labels/gs1"
)

const scanDataCSV = "../../../shared/data/gs1/scan_data.csv"

// csvSymbology maps the symbology names of scan_data.csv to what Decode
// reports where an AIM id cannot tell more: ]E0 is EAN-13, UPC-A and UPC-E
// alike, and ]e0 is every GS1 DataBar variant, a composite component
// included when it is sent in the same message.
var csvSymbology = map[string]string{
	"EAN/UPC (]E0)":            "EAN-13",
	"GS1 DataBar Expanded":     "GS1 DataBar",
	"GS1 DataBar Omni + CC":    "GS1 DataBar",
	"GS1 DataBar Limited + CC": "GS1 DataBar",
}

type scanRow struct {
	id, data, symbology, expected, note string
	valid                               bool
}

func readScanData(t testing.TB) []scanRow {
	t.Helper()
	f, err := os.Open(scanDataCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}

	var rows []scanRow
	for _, r := range recs[1:] {
		rows = append(rows, scanRow{id: r[0], data: strings.ReplaceAll(r[1], "{GS}", "\x1d"),
			valid: r[2] == "true", symbology: r[3], expected: r[4], note: r[5]})
	}
	if len(rows) != 37 {
		t.Fatalf("%s has %d rows, want 37", scanDataCSV, len(rows))
	}
	return rows
}

// TestScanData runs every row of the GS1 syntax engine's scan data. Those
// scans must carry an AIM id, so RequireAIM is on.
func TestScanData(t *testing.T) {
	for _, row := range readScanData(t) {
		t.Run(row.id, func(t *testing.T) {
			s, err := Decode(row.data, Config{RequireAIM: true})
			if !row.valid {
				var se *Error
				if !errors.As(err, &se) || se.Reason == "" || se.Data != row.data || s.Error != se {
					t.Fatalf("Decode(%q) = %+v, %v; want an *Error (%s)", row.data, s, err, row.note)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode(%q): %v (%s)", row.data, err, row.note)
			}
			want := row.symbology
			if m, ok := csvSymbology[want]; ok {
				want = m
			}
			if s.Symbology != want || s.Text != row.expected {
				t.Errorf("Decode(%q) = %q %q, want %q %q", row.data, s.Symbology, s.Text, want, row.expected)
			}
		})
	}
}

// TestGS1Facts checks the fields taken from GS1 elements.
func TestGS1Facts(t *testing.T) {
	// A pallet: its SSCC, the GTIN and count of what it holds, their lot and
	// expiry. (21) needs (01), which (37) excludes, so it is not here.
	raw := "]C1" + "00106141412345678908" + "0209506000134352" + "3712\x1d" + "10LOT-7\x1d" + "17261231"
	s, err := Decode(raw, Config{})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{s.Symbology, s.SSCC, s.GTIN14, s.Lot, s.Expiry, s.Serial}
	want := []string{"GS1-128", "106141412345678908", "09506000134352", "LOT-7", "2026-12-31", ""}
	if strings.Join(got, ",") != strings.Join(want, ",") || s.Count != 12 || len(s.Elements) != 5 {
		t.Errorf("facts %q count %d, %d elements; want %q count 12", got, s.Count, len(s.Elements), want)
	}
	if s.Text != "(00)106141412345678908(02)09506000134352(37)12(10)LOT-7(17)261231" {
		t.Errorf("text %q", s.Text)
	}
}

// TestFraming: what scanners add around the data goes, GS/RS/EOT stay.
func TestFraming(t *testing.T) {
	const envelope = "[)>\x1e06\x1d9N123456\x1d1JUN123\x1e\x04"
	tests := []struct {
		name, raw, symbology, payload string
	}{
		{"STX and CR", "\x02000122521\r", "text", "000122521"},
		{"STX ETX CRLF around AIM", "\x02]E04006381333931\x03\r\n", "EAN-13", "4006381333931"},
		{"LF only", "]Q1HELLO\n", "QR", "HELLO"},
		{"tab suffix", "ABC\t", "text", "ABC"},
		{"NUL and DEL", "\x00ABC\x7f", "text", "ABC"},
		{"inner spaces kept", "\x02A B\r", "text", "A B"},
		{"ISO 15434 envelope in MaxiCode", "\x02]U1" + envelope + "\r\n", "MaxiCode", envelope},
		{"envelope without AIM", envelope + "\r", "text", envelope},
		{"trailing GS kept", "]Q1AB\x1d\r", "QR", "AB\x1d"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Decode(tc.raw, Config{})
			if err != nil || s.Symbology != tc.symbology || s.Payload != tc.payload {
				t.Errorf("Decode(%q) = %q %q, %v; want %q %q", tc.raw, s.Symbology, s.Payload, err,
					tc.symbology, tc.payload)
			}
		})
	}
}

// TestMultiCode: one trigger that reads several codes is one Scan.
func TestMultiCode(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		payloads []string // the first code's, then each Extra's
		badExtra int      // index in Extra with an Error, -1 for none
	}{
		{"CRLF with AIM ids", "]E04006381333931\r\n]E402345673\r\n",
			[]string{"4006381333931", "02345673"}, -1},
		{"CR, LF and CRLF without AIM", "A1\rB2\nC3\r\n\r\nD4",
			[]string{"A1", "B2", "C3", "D4"}, -1},
		{"framing on every code", "\x02X\x03\r\n\x02Y\x03\r\n", []string{"X", "Y"}, -1},
		{"multi-line QR text stays one code", "]Q1line one\nline two\r\n",
			[]string{"line one\nline two"}, -1},
		{"bad extra reported, not failing", "]E04006381333931\r]E04006381333932",
			[]string{"4006381333931", ""}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Decode(tc.raw, Config{})
			if err != nil {
				t.Fatal(err)
			}
			got := []string{s.Payload}
			for i, x := range s.Extra {
				got = append(got, x.Payload)
				if (x.Error != nil) != (i == tc.badExtra) {
					t.Errorf("extra %d error %v", i, x.Error)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.payloads, "|") {
				t.Errorf("payloads %q, want %q", got, tc.payloads)
			}
		})
	}

	_, err := Decode("]E04006381333932\r\n]E04006381333931", Config{})
	if err == nil || !strings.Contains(err.Error(), "check digit 2 is wrong, expected 1") {
		t.Errorf("a bad first code: %v, want its check digit error", err)
	}
}

// TestCode39 covers the mod-43 check character with and without the device
// configured for one, and what the AIM modifier says the reader did.
func TestCode39(t *testing.T) {
	on := Config{Code39Check: true}
	tests := []struct {
		name, raw string
		cfg       Config
		payload   string
		errText   string
	}{
		{"not configured: last character is data", "]A0CODE 39R", Config{}, "CODE 39R", ""},
		{"configured: verified and stripped", "]A0CODE 39R", on, "CODE 39", ""},
		{"configured: wrong check", "]A0CODE 39S", on, "",
			`scan "]A0CODE 39S": Code 39 "CODE 39S": check character 'S' is wrong, expected 'R'`},
		{"reader checked and sent it", "]A1CODE 39R", Config{}, "CODE 39", ""},
		{"reader checked and sent a wrong one", "]A1CODE 39S", Config{}, "", "expected 'R'"},
		{"reader checked and stripped it", "]A3CODE 39", on, "CODE 39", ""},
		{"full ASCII, reader checked and sent", "]A5Code 39x", Config{}, "Code 39", ""},
		{"full ASCII, nothing checked", "]A4Code 39", Config{}, "Code 39", ""},
		{"stripped but not checked is no modifier", "]A2ABC", Config{}, "",
			`unknown symbology identifier "]A2"`},
		{"wedge read as Code 39", "CODE 39R", Config{AssumeAIM: "]A0", Code39Check: true}, "CODE 39", ""},
		{"wedge otherwise untouched", "CODE 39R", on, "CODE 39R", ""},
		{"check character only", "]A1R", Config{}, "", "too short"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Decode(tc.raw, tc.cfg)
			assertDecoded(t, s, err, tc.payload, tc.errText)
		})
	}
}

// TestEAN: EAN-13, UPC-A and GTIN-14 of one number share a key; EAN-8 keeps
// its own (six zeros then its eight digits, the GS1 14-digit form).
func TestEAN(t *testing.T) {
	tests := []struct {
		name, raw, symbology, gtin14, errText string
	}{
		{"EAN-13", "]E04006381333931", "EAN-13", "04006381333931", ""},
		{"UPC-A as 13 digits", "]E00036000291452", "EAN-13", "00036000291452", ""},
		{"UPC-A on a wedge", "036000291452", "GTIN-12", "00036000291452", ""},
		{"ITF-14 of the same", "]I000036000291452", "ITF-14", "00036000291452", ""},
		{"EAN-8", "]E402345673", "EAN-8", "00000002345673", ""},
		{"EAN-8 on a wedge", "02345673", "GTIN-8", "00000002345673", ""},
		{"EAN-8 digits under ]E0", "]E002345673", "", "",
			`scan "]E002345673": "02345673": has 8 characters; ]E0 sends 13 digits`},
		{"EAN-13 under ]E4", "]E44006381333931", "", "", "]E4 sends 8 digits"},
		{"bad check digit", "]E04006381333932", "", "",
			`GTIN "4006381333932": check digit 2 is wrong, expected 1`},
		{"with 5-digit add-on", "]E3978030640615751299", "EAN-13 + add-on", "09780306406157", ""},
		{"add-on alone", "]E212345", "EAN add-on", "", ""},
		{"add-on of 3 digits", "]E39780306406157123", "", "", "15 or 18 digits"},
		{"ITF, not 14 digits", "]I01234", "ITF", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Decode(tc.raw, Config{})
			if tc.errText != "" {
				assertDecoded(t, s, err, "", tc.errText)
				return
			}
			if err != nil || s.Symbology != tc.symbology || s.GTIN14 != tc.gtin14 {
				t.Errorf("Decode(%q) = %q %q, %v; want %q %q", tc.raw, s.Symbology, s.GTIN14, err,
					tc.symbology, tc.gtin14)
			}
		})
	}
}

// TestWedge: data without an AIM id is read by its shape.
func TestWedge(t *testing.T) {
	tests := []struct {
		name, raw, symbology, text, errText string
	}{
		{"GTIN-13", "4006381333931", "GTIN-13", "4006381333931", ""},
		{"GTIN-14", "10036000291459", "GTIN-14", "10036000291459", ""},
		{"GTIN-shaped, wrong check digit", "4006381333932", "text", "4006381333932", ""},
		{"in-house code", "BIN-A-01-01", "text", "BIN-A-01-01", ""},
		{"web address", "https://example.com/shop/01", "text", "https://example.com/shop/01", ""},
		{"FNC1 first", "\x1d0109506000134352\x1d10ABC", "GS1 element string", "(01)09506000134352(10)ABC", ""},
		{"FNC1 first, bad GTIN", "\x1d0109506000134353", "", "", "AI (01)"},
		{"bracketed", "(01)09506000134352(17)261231(10)ABC", "GS1 element string",
			"(01)09506000134352(17)261231(10)ABC", ""},
		{"bracketed-looking text", "(see note)", "text", "(see note)", ""},
		{"Digital Link", "https://id.example.com/01/09506000134352/10/ABC?17=261231",
			"GS1 Digital Link", "(01)09506000134352(10)ABC(17)261231", ""},
		{"Digital Link, bad GTIN", "https://id.example.com/01/09506000134353", "", "", "AI (01)"},
		{"Digital Link, upper-case URI", "HTTPS://ID.EXAMPLE.COM/01/09506000134352",
			"GS1 Digital Link", "(01)09506000134352", ""},
		{"Digital Link, upper-case http", "HTTP://X.EXAMPLE/01/09506000134352/10/AB",
			"GS1 Digital Link", "(01)09506000134352(10)AB", ""},
		{"mixed-case scheme", "Https://id.example.com/01/09506000134352", "text",
			"Https://id.example.com/01/09506000134352", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Decode(tc.raw, Config{})
			if tc.errText != "" {
				assertDecoded(t, s, err, "", tc.errText)
				return
			}
			if err != nil || s.Symbology != tc.symbology || s.Text != tc.text || s.AIM != "" {
				t.Errorf("Decode(%q) = %q %q %q, %v; want %q %q", tc.raw, s.Symbology, s.Text, s.AIM, err,
					tc.symbology, tc.text)
			}
		})
	}

	_, err := Decode("4006381333931", Config{RequireAIM: true})
	assertDecoded(t, Scan{}, err, "", `scan "4006381333931": no symbology identifier`)
}

// TestExpect: a device can be limited to the symbologies it should read.
func TestExpect(t *testing.T) {
	cfg := Config{Expect: []string{"]C1", "]E"}}
	if _, err := Decode("]E402345673", cfg); err != nil {
		t.Errorf("]E4 with ]E expected: %v", err)
	}
	_, err := Decode("]Q1HELLO", cfg)
	assertDecoded(t, Scan{}, err, "",
		`scan "]Q1HELLO": ]Q1 (QR) is not a symbology this scanner is set up for`)
}

// TestGS1ErrorMapping: a GS1 error keeps its AI, value, reason and whether
// the user must scan again, and unwraps to the *gs1.Error.
func TestGS1ErrorMapping(t *testing.T) {
	ge := &gs1.Error{AI: "10", Value: "ABC21XYZ", Reason: "needs a separator", Ambiguous: true}
	e := gs1Error(ge)
	e.Data = "]C110ABC21XYZ"
	want := `scan "]C110ABC21XYZ": AI (10) "ABC21XYZ": needs a separator; scan it again`
	if e.Error() != want || !e.Rescan {
		t.Errorf("got %q rescan %v, want %q", e.Error(), e.Rescan, want)
	}
	var back *gs1.Error
	if !errors.As(error(e), &back) || back != ge {
		t.Errorf("errors.As found %v", back)
	}

	// (10) holds at most 20 characters, so 25 mean a GS went missing.
	s, err := Decode("]C10109506000134352101234567890123456789012345", Config{})
	var se *Error
	if !errors.As(err, &se) || !se.Rescan || se.AI != "10" || se.Value != "1234567890123456789012345" ||
		s.Error != se || s.Payload != "" || len(s.Elements) != 0 {
		t.Errorf("missing separator: %+v, %v; want a rescan error in (10)", s, err)
	}

	_, err = Decode("]E04006381333932", Config{})
	var inv *labels.InvalidError
	if !errors.As(err, &inv) || inv.Field != "GTIN" {
		t.Errorf("EAN check digit error %v does not unwrap to *labels.InvalidError", err)
	}
}

// assertDecoded checks a decoded payload, or an *Error containing errText.
func assertDecoded(t *testing.T, s Scan, err error, payload, errText string) {
	t.Helper()
	if errText == "" {
		if err != nil || s.Payload != payload {
			t.Errorf("payload %q, %v; want %q", s.Payload, err, payload)
		}
		return
	}
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(err.Error(), errText) {
		t.Errorf("error %v, want an *Error containing %q", err, errText)
	}
}

// TestConflictingAIs: one scan that names two lots, two expiry dates or a
// GTIN with a count is refused rather than read as its last value, in every
// way GS1 data can arrive.
func TestConflictingAIs(t *testing.T) {
	tests := []struct{ name, raw, errText string }{
		{"GS1-128, two lots", "]C1010952000100002710L-EARLY\x1d10L-LATE", "AI (10)"},
		{"GS1-128, two expiry dates", "]C1010952000100002717250101\x1d17300101", "AI (17)"},
		{"GS1-128, GTIN with count", "]C101095200010000273712", "must not be used with (37)"},
		{"wedge, two expiry dates", "\x1d010952000100002717250101\x1d17300101", "AI (17)"},
		{"bracketed, two lots", "(01)09520001000027(10)A(10)B", "AI (10)"},
		{"Digital Link query repeats path", "https://id.example.com/01/09520001000027?17=250101&7003=3001011200", ""},
		{"composite, two expiry dates", "]e0010952000100002717250101|]e017300101", "AI (17)"},
		{"composite, two GTINs", "]e00109520001000027|]e00109520001000010", "AI (01)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Decode(tc.raw, Config{})
			if tc.errText == "" {
				if err != nil {
					t.Errorf("Decode(%q): %v", tc.raw, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Decode(%q) = lot %q expiry %q count %d, want an error", tc.raw, s.Lot, s.Expiry, s.Count)
			}
			assertDecoded(t, s, err, "", tc.errText)
		})
	}
}
