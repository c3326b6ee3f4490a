package labels

import (
	"encoding/csv"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// checkDigitsCSV holds GS1 check digit vectors from public test suites.
const checkDigitsCSV = "../../shared/data/gs1/check_digits.csv"

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		name    string
		digits  string
		want    int
		wantErr string
	}{
		{name: "UPC-A body", digits: "03600029145", want: 2},
		{name: "EAN-13 body", digits: "400638133393", want: 1},
		{name: "GTIN-8 body", digits: "1234567", want: 0},
		{name: "one digit weighted 3", digits: "1", want: 7},
		{name: "nine weighted 3", digits: "9", want: 3},
		{name: "all zeros", digits: "00000000000000000", want: 0},
		{name: "empty", digits: "", wantErr: "digits: is empty"},
		{name: "letter", digits: "03600O29145", wantErr: `has a non-digit 'O' at position 6`},
		{name: "space", digits: "0360 029145", wantErr: `has a non-digit ' ' at position 5`},
		{name: "arabic-indic digit", digits: "12٣", wantErr: `has a non-digit '٣' at position 3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckDigit(tt.digits)
			if tt.wantErr != "" {
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("CheckDigit(%q) = %d, %v; want %d", tt.digits, got, err, tt.want)
			}
		})
	}
}

// TestCheckDigitVectors checks every row of the shared vectors: the check digit
// of each key (GTINs, SSCCs, GSRNs...) and, for GTIN rows, NormalizeGTIN.
func TestCheckDigitVectors(t *testing.T) {
	rows := readVectors(t)
	gtins := 0
	for _, r := range rows {
		t.Run(r.kind+"/"+r.number, func(t *testing.T) {
			got, err := CheckDigit(r.number[:len(r.number)-1])
			if err != nil || got != r.check {
				t.Fatalf("CheckDigit = %d, %v; want %d", got, err, r.check)
			}
			if !strings.HasPrefix(r.kind, "GTIN-") {
				return
			}

			gtins++
			key, err := NormalizeGTIN(r.number)
			if !r.valid {
				assertInvalid(t, err, "expected "+strconv.Itoa(r.check))
				return
			}
			want := strings.Repeat("0", 14-len(r.number)) + r.number
			if err != nil || key != want {
				t.Fatalf("NormalizeGTIN = %q, %v; want %q", key, err, want)
			}
		})
	}
	if gtins < 10 {
		t.Fatalf("only %d GTIN rows in %s; the file looks wrong", gtins, checkDigitsCSV)
	}
}

func TestNormalizeGTIN(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string
	}{
		{name: "UPC-A", in: "036000291452", want: "00036000291452"},
		{name: "UPC-A as EAN-13", in: "0036000291452", want: "00036000291452"},
		{name: "UPC-A as GTIN-14", in: "00036000291452", want: "00036000291452"},
		{name: "EAN-13", in: "4006381333931", want: "04006381333931"},
		{name: "GTIN-8", in: "12345670", want: "00000012345670"},
		{name: "GTIN-14 case", in: "10036000291459", want: "10036000291459"},
		{name: "surrounding spaces", in: "  036000291452\t", want: "00036000291452"},
		{
			name:    "wrong check digit",
			in:      "036000291453",
			wantErr: `GTIN "036000291453": check digit 3 is wrong, expected 2`,
		},
		{
			name:    "too short",
			in:      "0360002914",
			wantErr: `GTIN "0360002914": length 10 is not a GTIN length (8, 12, 13 or 14 digits)`,
		},
		{
			name:    "too long",
			in:      "000036000291452",
			wantErr: `GTIN "000036000291452": length 15 is not a GTIN length`,
		},
		{
			name:    "hyphenated",
			in:      "036000-291452",
			wantErr: `GTIN "036000-291452": has a non-digit '-' at position 7`,
		},
		{name: "blank", in: "   ", wantErr: "GTIN: is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeGTIN(tt.in)
			if tt.wantErr != "" {
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeGTIN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestIsGTINShaped(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "GTIN-8", in: "12345670", want: true},
		{name: "UPC-A", in: "036000291452", want: true},
		{name: "EAN-13", in: "4006381333931", want: true},
		{name: "GTIN-14", in: "00036000291452", want: true},
		{name: "bad check digit still shaped", in: "036000291453", want: true},
		{name: "padded with spaces", in: " 036000291452 ", want: true},
		{name: "nine digits", in: "123456789", want: false},
		{name: "SSCC-18", in: "006141411234567890", want: false},
		{name: "SKU", in: "WOO-HOODIE-BLUE", want: false},
		{name: "digits with letter", in: "03600029145X", want: false},
		{name: "empty", in: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsGTINShaped(tt.in); got != tt.want {
				t.Fatalf("IsGTINShaped(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestInternalBarcode(t *testing.T) {
	tests := []struct {
		name    string
		serial  int64
		want    string
		wantErr string
	}{
		{name: "first", serial: 1, want: "2000000000015"},
		{name: "middle", serial: 1234567, want: "2000012345678"},
		{name: "last", serial: 9999999999, want: "2099999999998"},
		{name: "zero", serial: 0, wantErr: `serial "0": must be between 1 and 9999999999`},
		{name: "negative", serial: -5, wantErr: `serial "-5": must be between`},
		{name: "eleven digits", serial: 10000000000, wantErr: `serial "10000000000": must be`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := InternalBarcode(tt.serial)
			if tt.wantErr != "" {
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("InternalBarcode(%d) = %q, %v; want %q", tt.serial, got, err, tt.want)
			}
			if key, err := NormalizeGTIN(got); err != nil || key != "0"+tt.want {
				t.Fatalf("NormalizeGTIN(%q) = %q, %v; want a valid EAN-13", got, key, err)
			}
		})
	}
}

type vector struct {
	kind, number string
	valid        bool
	check        int
}

// readVectors reads check_digits.csv: kind, number, length, valid,
// correct_check_digit, source, note.
func readVectors(t *testing.T) []vector {
	t.Helper()
	f, err := os.Open(checkDigitsCSV)
	if err != nil {
		t.Fatalf("open vectors: %v", err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}

	header := strings.Join(records[0][:5], ",")
	if header != "kind,number,length,valid,correct_check_digit" {
		t.Fatalf("unexpected header %q", header)
	}
	var rows []vector
	for _, rec := range records[1:] {
		check, err := strconv.Atoi(rec[4])
		if err != nil {
			t.Fatalf("row %v: check digit: %v", rec, err)
		}
		rows = append(rows, vector{kind: rec[0], number: rec[1], valid: rec[3] == "true", check: check})
	}
	return rows
}

// assertInvalid fails unless err is an *InvalidError whose message contains want.
func assertInvalid(t *testing.T, err error, want string) {
	t.Helper()
	var invalid *InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("error = %v (%T), want an *InvalidError", err, err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %q, want it to contain %q", err, want)
	}
}
