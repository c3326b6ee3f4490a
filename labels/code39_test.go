package labels_test

import (
	"fmt"
	"testing"

	"github.com/shipshape-oms/shipshape/labels"
)

func TestCode39Check(t *testing.T) {
	tests := []struct {
		name, in, want, errText string
	}{
		{"letters", "ABC", "ABCX", ""},
		{"space and digits", "CODE 39", "CODE 39R", ""},
		{"sum under 43", "0", "00", ""},
		{"symbols", "-. $/+%", "-. $/+%F", ""},
		{"lower case", "abc", "", `Code 39 "abc": has 'a' at position 1, which is not in the Code 39 set`},
		{"empty", "", "", "Code 39: is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := labels.AddCode39Check(tc.in)
			assertKey(t, got, err, tc.want, tc.errText)
			if err != nil {
				return
			}
			back, err := labels.StripCode39Check(got)
			assertKey(t, back, err, tc.in, "")
		})
	}
}

func TestStripCode39Check(t *testing.T) {
	tests := []struct {
		name, in, want, errText string
	}{
		{"right", "CODE 39R", "CODE 39", ""},
		{"wrong", "CODE 39S", "", `Code 39 "CODE 39S": check character 'S' is wrong, expected 'R'`},
		{"no check character", "ABC", "", `Code 39 "ABC": check character 'C' is wrong, expected 'L'`},
		{"one character", "A", "", `Code 39 "A": is too short to carry a mod-43 check character`},
		{"outside the set", "ab1", "",
			`Code 39 "ab1": has 'a' at position 1, which is not in the Code 39 set`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := labels.StripCode39Check(tc.in)
			assertKey(t, got, err, tc.want, tc.errText)
		})
	}
}

func ExampleStripCode39Check() {
	data, err := labels.StripCode39Check("CODE 39R")
	fmt.Printf("%q %v\n", data, err)
	_, err = labels.StripCode39Check("CODE 39S")
	fmt.Println(err)
	// Output:
	// "CODE 39" <nil>
	// Code 39 "CODE 39S": check character 'S' is wrong, expected 'R'
}
