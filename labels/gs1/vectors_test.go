package gs1

import (
	"encoding/csv"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The shared GS1 test vectors, taken from the gs1-syntax-engine unit tests.
const vectors = "../../../shared/data/gs1/"

// readCSV returns the rows of a vector file as maps from column name to value.
func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(vectors + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := make(map[string]string)
		for i, col := range records[0] {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no rows", name)
	}
	return rows
}

// fromCaret turns the CSV's FNC1 notation into data: a leading "^" is the symbology
// flag and must be there; a later "^" is GS.
func fromCaret(s string) (string, bool) {
	if !strings.HasPrefix(s, "^") {
		return "", false
	}
	return strings.ReplaceAll(s[1:], "^", string(GS)), true
}

// canonicalFNC1 lists the rows whose expected fnc1 form echoes a superfluous FNC1 of
// the input; ElementString writes the minimal form instead.
var canonicalFNC1 = map[string]string{
	"31": "^0112345678901231",
	"33": "^0112345678901231991234",
}

func TestElementStrings(t *testing.T) {
	for _, row := range readCSV(t, "element_strings.csv") {
		t.Run(row["id"]+"_"+row["input_kind"], func(t *testing.T) {
			m, err := parseVector(row["input_kind"], row["input"])
			valid := row["valid"] == "true"
			if !valid {
				if err == nil {
					t.Fatalf("%q parsed as %s, want an error (%s)", row["input"], m.Bracketed(), row["note"])
				}
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", row["input"], err)
			}
			if got := m.Bracketed(); got != row["expected_bracketed"] {
				t.Errorf("Bracketed() = %q, want %q", got, row["expected_bracketed"])
			}
			want := row["expected_fnc1"]
			if c, ok := canonicalFNC1[row["id"]]; ok {
				want = c
			}
			if got := "^" + strings.ReplaceAll(m.ElementString(), string(GS), "^"); got != want {
				t.Errorf("ElementString() = %q, want %q", got, want)
			}
		})
	}
}

func parseVector(kind, input string) (Message, error) {
	if kind == "bracketed" {
		return ParseBracketed(input)
	}
	data, ok := fromCaret(input)
	if !ok {
		return Message{}, errors.New("no leading FNC1 (symbology flag)")
	}
	return ParseData(data)
}

func TestDigitalLinkVectors(t *testing.T) {
	for i, row := range readCSV(t, "digital_link.csv") {
		t.Run(strconv.Itoa(i+2), func(t *testing.T) {
			m, err := ParseDigitalLink(row["uri"])
			if row["valid"] != "true" {
				if err == nil {
					t.Fatalf("%q parsed as %s, want an error (%s)", row["uri"], m.Bracketed(), row["note"])
				}
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", row["uri"], err)
			}
			if got := m.Bracketed(); got != row["expected_bracketed"] {
				t.Errorf("Bracketed() = %q, want %q", got, row["expected_bracketed"])
			}
		})
	}
}

func TestCheckDigitVectors(t *testing.T) {
	for _, row := range readCSV(t, "check_digits.csv") {
		t.Run(row["kind"]+"_"+row["number"], func(t *testing.T) {
			n := row["number"]
			if strconv.Itoa(len(n)) != row["length"] {
				t.Fatalf("row length %s does not match %q", row["length"], n)
			}
			d, ok := CheckDigit(n[:len(n)-1])
			if !ok {
				t.Fatalf("CheckDigit(%q) not ok", n[:len(n)-1])
			}
			if strconv.Itoa(d) != row["correct_check_digit"] {
				t.Errorf("CheckDigit(%q) = %d, want %s", n[:len(n)-1], d, row["correct_check_digit"])
			}
			valid := strconv.Itoa(d) == n[len(n)-1:]
			if valid != (row["valid"] == "true") {
				t.Errorf("%s: check digit valid = %v, want %s", n, valid, row["valid"])
			}
		})
	}
}

// TestScanDataPayloads checks the GS1 payloads of scan_data.csv, which the scan
// decoder (another package) hands to ParseData and ParseDigitalLink: after the
// three-character symbology identifier, "{GS}" is GS.
func TestScanDataPayloads(t *testing.T) {
	gs1IDs := map[string]bool{"]C1": true, "]e0": true, "]d2": true, "]Q3": true, "]J1": true}
	checked := 0
	for _, row := range readCSV(t, "scan_data.csv") {
		for _, part := range strings.Split(row["scan_data"], "|") {
			want := expectedPart(row, part)
			if len(part) < 3 || row["valid"] != "true" || !strings.HasPrefix(want, "(") {
				continue
			}
			payload := strings.ReplaceAll(part[3:], "{GS}", string(GS))
			var m Message
			var err error
			if gs1IDs[part[:3]] {
				m, err = ParseData(payload)
			} else {
				m, err = ParseDigitalLink(payload)
			}
			if err != nil {
				t.Errorf("row %s %q: %v", row["id"], payload, err)
				continue
			}
			if got := m.Bracketed(); got != want {
				t.Errorf("row %s: Bracketed() = %q, want %q", row["id"], got, want)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("checked only %d GS1 payloads", checked)
	}
}

// expectedPart returns the part of the expected column that belongs to part of a
// composite scan ("linear|2D").
func expectedPart(row map[string]string, part string) string {
	parts := strings.Split(row["scan_data"], "|")
	wants := strings.Split(row["expected"], "|")
	for i, p := range parts {
		if p == part && i < len(wants) {
			return wants[i]
		}
	}
	return ""
}
