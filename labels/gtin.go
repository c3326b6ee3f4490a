package labels

import (
	"fmt"
	"strings"
)

// maxInternalSerial is the largest serial that fits the ten digits InternalBarcode
// has between its "20" prefix and its check digit.
const maxInternalSerial = 9_999_999_999

// CheckDigit returns the GS1 mod-10 check digit for digits, a GS1 key (GTIN, SSCC,
// GLN...) written without its check digit. Weights 3 and 1 alternate from the
// rightmost digit, which has weight 3 (GS1 General Specifications, 7.9.1).
//
// It returns an *InvalidError when digits is empty or holds anything but 0-9.
func CheckDigit(digits string) (int, error) {
	if err := checkDigits("digits", digits); err != nil {
		return 0, err
	}

	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10 - sum%10) % 10, nil
}

// NormalizeGTIN validates a GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14
// and returns it as the 14-digit key used to store and compare GTINs: left-padded
// with zeros, so "036000291452" and "00036000291452" give the same key.
// Surrounding spaces are ignored.
//
// It returns an *InvalidError naming the value when it is empty, holds a
// non-digit, has another length, or ends in the wrong check digit.
func NormalizeGTIN(s string) (string, error) {
	s = strings.TrimSpace(s)
	if err := checkDigits("GTIN", s); err != nil {
		return "", err
	}
	if !gtinLength(len(s)) {
		reason := fmt.Sprintf("length %d is not a GTIN length (8, 12, 13 or 14 digits)", len(s))
		return "", invalid("GTIN", s, reason)
	}

	want, _ := CheckDigit(s[:len(s)-1]) // s is all digits: checked above
	if got := int(s[len(s)-1] - '0'); got != want {
		reason := fmt.Sprintf("check digit %d is wrong, expected %d", got, want)
		return "", invalid("GTIN", s, reason)
	}
	return strings.Repeat("0", 14-len(s)) + s, nil
}

// IsGTINShaped reports whether s, once surrounding spaces are trimmed, is only
// digits and 8, 12, 13 or 14 of them long: what a GTIN looks like before its
// check digit is verified. Importers use it to decide whether a barcode column
// holds a GTIN (and must then pass NormalizeGTIN) or an in-house code.
func IsGTINShaped(s string) bool {
	s = strings.TrimSpace(s)
	return gtinLength(len(s)) && allDigits(s)
}

// InternalBarcode returns the EAN-13 for an in-house item number: the GS1
// restricted-circulation prefix 20, serial zero-padded to ten digits, and the
// check digit. GS1 prefixes 20-29 are kept for restricted circulation (numbers a
// company assigns for use inside itself), so these never collide with a GTIN a
// manufacturer prints on its goods.
//
// It returns an *InvalidError when serial is below 1 or above 9999999999.
func InternalBarcode(serial int64) (string, error) {
	if serial < 1 || serial > maxInternalSerial {
		reason := fmt.Sprintf("must be between 1 and %d", int64(maxInternalSerial))
		return "", invalid("serial", fmt.Sprint(serial), reason)
	}

	body := fmt.Sprintf("20%010d", serial)
	check, _ := CheckDigit(body) // body is all digits by construction
	return fmt.Sprintf("%s%d", body, check), nil
}

func checkDigits(field, s string) error {
	if s == "" {
		return invalid(field, "", "is empty")
	}
	for i, r := range []rune(s) {
		if notDigit(r) {
			return invalid(field, s, fmt.Sprintf("has a non-digit %q at position %d", r, i+1))
		}
	}
	return nil
}

func gtinLength(n int) bool {
	return n == 8 || n == 12 || n == 13 || n == 14
}

func allDigits(s string) bool {
	return strings.IndexFunc(s, notDigit) < 0
}

func notDigit(r rune) bool {
	return r < '0' || r > '9'
}
