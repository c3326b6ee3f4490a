package gs1

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// atYear sets the clock that resolves two-digit years for the rest of the test.
func atYear(t *testing.T, year int) {
	t.Helper()
	old := now
	now = func() time.Time { return time.Date(year, 6, 15, 12, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

func TestTypedValues(t *testing.T) {
	atYear(t, 2026)
	tests := []struct {
		name, data, ai, want string
	}{
		{"expiry date", "17261231", "17", "2026-12-31"},
		{"day 00 is the last day", "17261100", "17", "2026-11-30"},
		{"day 00 in a leap February", "15280200", "15", "2028-02-29"},
		{"day 00 in a plain February", "15270200", "15", "2027-02-28"},
		{"29 February of a leap year", "11240229", "11", "2024-02-29"},
		{"year 2000 was leap", "11000229", "11", "2000-02-29"},
		{"previous century by the window", "11770101", "11", "1977-01-01"},
		{"next century by the window", "1175" + "0101", "11", "2075-01-01"},
		{"net weight 3 decimals", "3103001234", "3103", "1.234"},
		{"net weight no decimals", "3100001234", "3100", "1234"},
		{"net weight 5 decimals", "3105123456", "3105", "1.23456"},
		{"all zero", "3102000000", "3102", "0.00"},
		{"amount 2 decimals", "392212345", "3922", "123.45"},
		{"amount more decimals than digits", "39055", "3905", "0.00005"},
		{"percent off", "39411234", "3941", "123.4"},
		{"date and time", "70032612312359", "7003", "2026-12-31T23:59"},
		{"date range", "7007211225211231", "7007", "2021-12-25/2021-12-31"},
		{"one date of a range", "7007211225", "7007", "2021-12-25"},
		{"birth date long form", "725019991231", "7250", "1999-12-31"},
		{"production time hour only", "800826123114", "8008", "2026-12-31T14"},
		{"production time to the second", "80082612311430" + "15", "8008", "2026-12-31T14:30:15"},
		{"batch has no typed value", "10ABC", "10", ""},
		{"amount with currency stays raw", "3912978123", "3912", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseData(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			e, ok := m.Get(tt.ai)
			if !ok || e.Value != tt.want {
				t.Errorf("ParseData(%q) (%s).Value = %q, want %q", tt.data, tt.ai, e.Value, tt.want)
			}
		})
	}
}

func TestFullYear(t *testing.T) {
	tests := []struct{ yy, year, want int }{
		{26, 2026, 2026}, {75, 2026, 2075}, {76, 2026, 2076}, {77, 2026, 1977},
		{99, 2026, 1999}, {0, 2026, 2000}, {0, 2080, 2100}, {30, 2080, 2130}, {31, 2080, 2031},
	}
	for _, tt := range tests {
		got := fullYear(tt.yy, time.Date(tt.year, 1, 1, 0, 0, 0, 0, time.UTC))
		if got != tt.want {
			t.Errorf("fullYear(%02d) in %d = %d, want %d", tt.yy, tt.year, got, tt.want)
		}
	}
}

func TestBadDates(t *testing.T) {
	atYear(t, 2026)
	for _, data := range []string{
		"17261301",            // month 13
		"17260231",            // 31 February
		"17250229",            // 2025 is not leap
		"17260000",            // month 00
		"4326261200",          // yymmdd allows no day 00
		"725020260230",        // 30 February, long form
		"70032612312460",      // minute 60
		"800826123124",        // hour 24
		"7007211225211232",    // second date wrong
		"8008261231" + "1460", // minute 60
	} {
		if m, err := ParseData(data); err == nil {
			t.Errorf("ParseData(%q) = %s, want an error", data, m.Bracketed())
		}
	}
}

func TestAmbiguous(t *testing.T) {
	tests := []struct {
		name, data string
		ambiguous  bool
	}{
		{"lot runs past 20 into an expiry", "10ABCDEFGHIJKLMNOPQRST17261231", true},
		{"N4 runs into a lot", "8111123410ABC", true},
		{"count runs into a GTIN", "30123" + "0112345678901231", true},
		{"missing GS before a later GS", "24212310ABC\x1d99X", true},
		{"too long, nothing after reads", "2421234567", false},
		{"bad check digit is not a gap", "0112345678901234", false},
		{"fits as one value: read as it stands", "10ABC17261231", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseData(tt.data)
			if !tt.ambiguous && err == nil {
				if tt.data != "10ABC17261231" || m.Elements[0].Raw != "ABC17261231" {
					t.Fatalf("ParseData(%q) = %s", tt.data, m.Bracketed())
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseData(%q) error = %v, want *Error", tt.data, err)
			}
			if e.Ambiguous != tt.ambiguous {
				t.Errorf("ParseData(%q): Ambiguous = %v, want %v (%v)", tt.data, e.Ambiguous, tt.ambiguous, err)
			}
			if tt.ambiguous && !strings.Contains(e.Reason, "scan the code again") {
				t.Errorf("ambiguous reason %q does not ask for a rescan", e.Reason)
			}
		})
	}
}

func TestUnknownAI(t *testing.T) {
	tests := []struct {
		name  string
		parse func() (Message, error)
		want  string // bracketed form of the returned message
	}{
		{"data", func() (Message, error) { return ParseData("0112345678901231891234\x1d10ABC") },
			"(01)12345678901231(89)1234(10)ABC"},
		{"bracketed", func() (Message, error) { return ParseBracketed("(89)1234(10)ABC") },
			"(89)1234(10)ABC"},
		{"bracketed AI too long for its prefix", func() (Message, error) { return ParseBracketed("(0101)X") },
			"(0101)X"},
		{"digital link query", func() (Message, error) {
			return ParseDigitalLink("https://a/01/12312312312333?89=X")
		}, "(01)12312312312333(89)X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.parse()
			if !errors.Is(err, ErrUnknownAI) {
				t.Fatalf("error = %v, want ErrUnknownAI", err)
			}
			if got := m.Bracketed(); got != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
			var unknown int
			for _, e := range m.Elements {
				if !e.Known {
					unknown++
				}
			}
			if unknown != 1 {
				t.Errorf("%d elements not Known, want 1", unknown)
			}
		})
	}

	// A real error after an unknown AI wins, so ErrUnknownAI always means "only that".
	_, err := ParseData("891234\x1d0112345678901234")
	if err == nil || errors.Is(err, ErrUnknownAI) {
		t.Errorf("unknown AI then bad GTIN: error = %v, want the GTIN error", err)
	}
}

func TestParseErrorsName(t *testing.T) {
	tests := []struct{ data, want string }{
		{"0112345678901234", `gs1: (01) "12345678901234": check digit is 4, should be 1`},
		{"42352", `gs1: (423) "52": too short: component 1 of format`},
		{"422999", `gs1: (422) "999": 999 is not an ISO 3166 country code`},
		{"1", `gs1: "1": no AI at position 1`},
		{"0112345678901231\x1d\x1d10A", "empty element string at position 18"},
		{"\x1d10A", "empty element string at position 1"},
		{"3912000123", `000 is not an ISO 4217 currency code`},
	}
	for _, tt := range tests {
		_, err := ParseData(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseData(%q) error = %v, want it to contain %q", tt.data, err, tt.want)
		}
	}
}

func TestLinterCases(t *testing.T) {
	atYear(t, 2026)
	tests := []struct {
		name, data string
		ok         bool
	}{
		{"origin Netherlands", "422528", true},
		{"origin not a country", "422000", false},
		{"processor 999 allowed", "7030999ABC", true},
		{"processor country", "7030528ABC", true},
		{"processor bad country", "7030001ABC", false},
		{"ship-to country alpha-2", "4307NL", true},
		{"ship-to country unknown", "4307XX", false},
		{"GMN check pair", "80131987654Ad4X4bL5ttr2310c2K", true},
		{"GMN bad check pair", "80131987654Ad4X4bL5ttr2310c2L", false},
		{"MUDI needs a non-digit", "80141234567890", false},
		{"dimensions nonzero", "8001" + "0000" + "12345" + "123" + "0" + "1", false},
		{"dimensions winding 9", "8001" + "1234" + "12345" + "123" + "9" + "1", true},
		{"dimensions winding 5", "8001" + "1234" + "12345" + "123" + "5" + "1", false},
		{"GRAI needs leading zero", "800312112345678900", false},
		{"ITIP piece of total", "8006123456789012310102", true},
		{"ITIP piece over total", "8006123456789012310302", false},
		{"percent escape", "4300ACME%20CO", true},
		{"broken percent escape", "4300ACME%2", false},
		{"yes/no", "43212", false},
		{"birth sequence", "72581/2", true},
		{"birth sequence backwards", "72583/2", false},
		{"CPID serial zero prefix", "801101", false},
		{"temperature hyphen", "4330001234-", true},
		{"temperature other sign", "4330001234+", false},
		{"latitude over range", "430918000000010000000000", false},
		{"IBAN", "8007GB82WEST12345698765432", true},
		{"IBAN wrong check", "8007GB82WEST12345698765433", false},
		{"CSET 39 in CPID", "8010ABC#-/123", true},
		{"CSET 39 lower case", "8010abc", false},
		{"base64url signature", "8030AbC-_9==", true},
		{"base64url plus", "8030AbC+", false},
		{"unimplemented packagetype accepted", "7041ZZZZ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseData(tt.data)
			if (err == nil) != tt.ok {
				t.Errorf("ParseData(%q) error = %v, want ok %v", tt.data, err, tt.ok)
			}
		})
	}
}

func TestCheckPairing(t *testing.T) {
	tests := []struct {
		name, bracketed, want string // want: "" or part of the error
	}{
		{"lot alone needs a key", "(10)12345", "(10) needs (01), (02), (03), (8006) or (8026)"},
		{"lot with GTIN", "(01)12345678901231(10)12345", ""},
		{"two net weights exclude each other", "(01)12345678901231(3100)000001(3101)000001",
			"(3100) must not be used with (3101)"},
		{"same AI twice, same value", "(01)12345678901231(10)A(10)A", ""},
		{"same AI twice, other value", "(01)12345678901231(10)A(10)B", "appears twice"},
		{"GTIN excludes count", "(01)12345678901231(37)5", "(01) must not be used with (37)"},
		{"all of a combination", "(8030)AB", "(8030) needs (00), (01)+(21)"},
		{"combination met", "(01)12345678901231(21)X(8030)AB", ""},
		{"both req rules", "(01)12345678901231(250)X", "(250) needs (21)"},
		{"unknown AIs skipped", "(01)12345678901231(89)X", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := ParseBracketed(tt.bracketed)
			if len(m.Elements) == 0 {
				t.Fatalf("ParseBracketed(%q) read nothing", tt.bracketed)
			}
			err := m.CheckPairing()
			if tt.want == "" && err != nil {
				t.Errorf("CheckPairing() = %v, want nil", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("CheckPairing() = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDigitalLink(t *testing.T) {
	tests := []struct {
		name, uri, want string // want "" means an error
	}{
		{"stem before the key", "https://id.example.com/shop/x/01/12312312312333", "(01)12312312312333"},
		{"qualifiers skipped in order", "https://a/01/12312312312333/21/XYZ", "(01)12312312312333(21)XYZ"},
		{"qualifiers out of order", "https://a/01/12312312312333/10/ABC/22/TEST", ""},
		{"qualifier alternatives mixed", "https://a/01/12312312312333/22/T/235/X", ""},
		{"key with no qualifiers", "https://a/00/006141411234567890/10/ABC", ""},
		{"percent-decoded value", "https://a/01/12312312312333/10/A%2FB%25", "(01)12312312312333(10)A/B%"},
		{"bad percent escape", "https://a/01/12312312312333/10/A%zz", ""},
		{"other query parameters ignored", "https://a/01/12312312312333?linkType=all&17=261231#top",
			"(01)12312312312333(17)261231"},
		{"query AI repeats path AI", "https://a/01/12312312312333?01=12312312312333", ""},
		{"query AI not an attribute", "https://a/01/12312312312333?21=X", ""},
		{"empty query value", "https://a/01/12312312312333?17=", ""},
		{"bad query value", "https://a/01/12312312312333?17=261331", ""},
		{"space not allowed", "https://a/01/12312312312333/10/A B", ""},
		{"no path", "https://a?01=12312312312333", ""},
		{"zero-suppressed GTIN-12", "https://a/01/416000336108", ""},
		{"alpha key lot", "https://a/01/12312312312333/lot/ABC", ""},
		{"ftp scheme", "ftp://a/01/12312312312333", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseDigitalLink(tt.uri)
			if tt.want == "" {
				if err == nil {
					t.Errorf("ParseDigitalLink(%q) = %s, want an error", tt.uri, m.Bracketed())
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDigitalLink(%q): %v", tt.uri, err)
			}
			if got := m.Bracketed(); got != tt.want {
				t.Errorf("ParseDigitalLink(%q) = %q, want %q", tt.uri, got, tt.want)
			}
		})
	}
}

func TestBracketedEscapes(t *testing.T) {
	m, err := ParseBracketed(`(01)12345678901231(99)A\(B)C(10)X`)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := m.Get("99"); e.Raw != "A(B)C" {
		t.Errorf("(99) = %q, want %q", e.Raw, "A(B)C")
	}
	if got, want := m.Bracketed(), `(01)12345678901231(99)A\(B)C(10)X`; got != want {
		t.Errorf("Bracketed() = %q, want %q", got, want)
	}
	if got, want := m.ElementString(), "0112345678901231"+"99A(B)C\x1d10X"; got != want {
		t.Errorf("ElementString() = %q, want %q", got, want)
	}
}

func TestAccessors(t *testing.T) {
	m, err := ParseBracketed("(02)12345678901231(37)10(10)LOT")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.GTIN(); got != "12345678901231" {
		t.Errorf("GTIN() = %q, want the (02) value", got)
	}
	if e, ok := m.Get("10"); !ok || e.Raw != "LOT" || e.Title != "BATCH/LOT" || !e.Known {
		t.Errorf("Get(10) = %+v, %v", e, ok)
	}
	if _, ok := m.Get("21"); ok {
		t.Error("Get(21) found an element that is not there")
	}
	if got := (Message{}).GTIN(); got != "" {
		t.Errorf("empty GTIN() = %q", got)
	}
	if !FixedLength("01") || !FixedLength("3103") || FixedLength("10") || FixedLength("8001") ||
		FixedLength("89") {
		t.Error("FixedLength disagrees with the dictionary's * flag")
	}
	info, ok := Lookup("8003")
	if !ok || info.Title != "GRAI" || info.Format != "N1,zero N13,csum,gcppos1 [X..16]" ||
		info.FixedLength || !info.PrimaryKey || !info.DigitalLinkAttribute {
		t.Errorf("Lookup(8003) = %+v, %v", info, ok)
	}
	if _, ok := Lookup("89"); ok {
		t.Error("Lookup(89) found an AI that is not in the dictionary")
	}
}

func TestCheckDigitBadInput(t *testing.T) {
	for _, s := range []string{"", "12a4", " 1"} {
		if _, ok := CheckDigit(s); ok {
			t.Errorf("CheckDigit(%q) ok, want not ok", s)
		}
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{AI: "01", Value: "123", Reason: "too short"}, `gs1: (01) "123": too short`},
		{&Error{Reason: "no data"}, "gs1: no data"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if errors.Is(&Error{Reason: "x"}, ErrUnknownAI) {
		t.Error("a plain Error matches ErrUnknownAI")
	}
}

// TestCheckConflicts: the rules that hold within one symbol, unlike the req= rules.
func TestCheckConflicts(t *testing.T) {
	tests := []struct {
		name, bracketed, want string // want: "" or part of the error
	}{
		{"lot alone is fine in one symbol", "(10)12345", ""},
		{"same AI twice, same value", "(01)12345678901231(10)A(10)A", ""},
		{"two lots", "(01)12345678901231(10)A(10)B", `(10) "B": appears twice with different values (first "A")`},
		{"two expiry dates", "(01)12345678901231(17)250101(17)300101", "(17) \"300101\": appears twice"},
		{"GTIN excludes count", "(01)12345678901231(37)5", "(01) must not be used with (37)"},
		{"content with count", "(02)12345678901231(37)5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseBracketed(tt.bracketed)
			if err != nil {
				t.Fatalf("ParseBracketed(%q): %v", tt.bracketed, err)
			}
			err = m.CheckConflicts()
			if tt.want == "" && err != nil {
				t.Errorf("CheckConflicts() = %v, want nil", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("CheckConflicts() = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestErrorNamesTheCharacter checks that a character outside the AI's
// character set is named whole, and a byte that is not UTF-8 as a byte.
func TestErrorNamesTheCharacter(t *testing.T) {
	tests := []struct{ data, want string }{
		{"10AB€C", `character '€' at position 3 is outside CSET 82`},
		{"10AB\xffC", `byte 0xFF at position 3 is outside CSET 82`},
	}
	for _, tt := range tests {
		_, err := ParseData(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseData(%q) = %v, want an error with %q", tt.data, err, tt.want)
		}
	}
	_, err := ParseDigitalLink("https://a/01/09506000134352/10/A€")
	if err == nil || !strings.Contains(err.Error(), `character '€' at position`) {
		t.Errorf("Digital Link with €: %v", err)
	}
}
