package labels_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/shipshape-oms/shipshape/labels"
)

func TestNormalizeSSCC(t *testing.T) {
	tests := []struct {
		name, in, want, errText string
	}{
		{"GS1 example", "106141412345678908", "106141412345678908", ""},
		{"spaces trimmed", " 006141411234567890\n", "006141411234567890", ""},
		{"wrong check digit", "106141412345678907", "",
			`SSCC "106141412345678907": check digit 7 is wrong, expected 8`},
		{"with its AI", "00106141412345678908", "",
			`SSCC "00106141412345678908": length 20 is not an SSCC length (18 digits)`},
		{"GTIN-13 length", "4006381333931", "",
			`SSCC "4006381333931": length 13 is not an SSCC length (18 digits)`},
		{"letter", "10614141234567890X", "",
			`SSCC "10614141234567890X": has a non-digit 'X' at position 18`},
		{"empty", "", "", "SSCC: is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := labels.NormalizeSSCC(tc.in)
			assertKey(t, got, err, tc.want, tc.errText)
		})
	}
}

func TestNewSSCC(t *testing.T) {
	tests := []struct {
		name    string
		ext     int
		prefix  string
		serial  int64
		want    string
		errText string
	}{
		{"7-digit prefix", 1, "0614141", 234567890, "106141412345678908", ""},
		{"serial padded", 0, "0614141", 123456789, "006141411234567890", ""},
		{"short serial padded", 3, "4012345", 1, "340123450000000017", ""},
		{"12-digit prefix, largest serial", 0, "401234567890", 9999, "", ""},
		{"serial too long", 0, "401234567890", 10000, "",
			`SSCC serial reference "10000": must be between 0 and 9999 with a 12-digit company prefix`},
		{"negative serial", 0, "0614141", -1, "",
			`SSCC serial reference "-1": must be between 0 and 999999999 with a 7-digit company prefix`},
		{"extension 10", 10, "0614141", 1, "", `SSCC extension digit "10": must be 0-9`},
		{"prefix too short", 0, "12345", 1, "", `GS1 Company Prefix "12345": length 5 is not 6 to 12 digits`},
		{"prefix not digits", 0, "06141A1", 1, "",
			`GS1 Company Prefix "06141A1": has a non-digit 'A' at position 6`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := labels.NewSSCC(tc.ext, tc.prefix, tc.serial)
			if tc.want == "" && tc.errText == "" {
				// Only the shape is asserted here; NormalizeSSCC must accept it.
				if _, nerr := labels.NormalizeSSCC(got); err != nil || nerr != nil || got[:13] != "0401234567890" {
					t.Fatalf("NewSSCC = %q, %v (normalize: %v)", got, err, nerr)
				}
				return
			}
			assertKey(t, got, err, tc.want, tc.errText)
		})
	}
}

// assertKey asserts a (value, error) pair: want when errText is empty, else
// an *InvalidError whose message is errText.
func assertKey(t *testing.T, got string, err error, want, errText string) {
	t.Helper()
	if errText == "" {
		if err != nil || got != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
		return
	}
	var inv *labels.InvalidError
	if !errors.As(err, &inv) || err.Error() != errText {
		t.Fatalf("got %q, %v; want *InvalidError %q", got, err, errText)
	}
}

func ExampleNewSSCC() {
	sscc, _ := labels.NewSSCC(1, "0614141", 234567890)
	fmt.Println(sscc)
	_, err := labels.NormalizeSSCC("106141412345678907")
	fmt.Println(err)
	// Output:
	// 106141412345678908
	// SSCC "106141412345678907": check digit 7 is wrong, expected 8
}
