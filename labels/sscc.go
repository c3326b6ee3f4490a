package labels

import (
	"fmt"
	"strings"
)

// ssccLength is the digit count of an SSCC: extension digit, GS1 Company
// Prefix and serial reference (17 together), then the check digit.
const ssccLength = 18

// NormalizeSSCC validates an SSCC-18 (Serial Shipping Container Code, the
// number behind AI (00) on pallet and parcel labels) and returns its 18
// digits. Surrounding spaces are ignored; the AI itself must not be included.
//
// It returns an *InvalidError naming the value when it is empty, holds a
// non-digit, is not 18 digits long, or ends in the wrong check digit.
func NormalizeSSCC(s string) (string, error) {
	s = strings.TrimSpace(s)
	if err := checkDigits("SSCC", s); err != nil {
		return "", err
	}
	if len(s) != ssccLength {
		reason := fmt.Sprintf("length %d is not an SSCC length (18 digits)", len(s))
		return "", invalid("SSCC", s, reason)
	}

	want, _ := CheckDigit(s[:ssccLength-1]) // s is all digits: checked above
	if got := int(s[ssccLength-1] - '0'); got != want {
		reason := fmt.Sprintf("check digit %d is wrong, expected %d", got, want)
		return "", invalid("SSCC", s, reason)
	}
	return s, nil
}

// NewSSCC builds an SSCC-18 from its parts: the extension digit (0-9, the
// company's free choice, often used to widen the serial range), the GS1
// Company Prefix the company was given (6 to 12 digits) and a serial
// reference, which is zero-padded to fill the 16 digits left by the prefix.
//
// It returns an *InvalidError when extension is not 0-9, companyPrefix is not
// 6 to 12 digits, or serial is negative or too long for what the prefix leaves.
func NewSSCC(extension int, companyPrefix string, serial int64) (string, error) {
	if extension < 0 || extension > 9 {
		return "", invalid("SSCC extension digit", fmt.Sprint(extension), "must be 0-9")
	}
	if err := checkDigits("GS1 Company Prefix", companyPrefix); err != nil {
		return "", err
	}
	if n := len(companyPrefix); n < 6 || n > 12 {
		reason := fmt.Sprintf("length %d is not 6 to 12 digits", n)
		return "", invalid("GS1 Company Prefix", companyPrefix, reason)
	}

	width := ssccLength - 2 - len(companyPrefix)
	ref := fmt.Sprintf("%0*d", width, serial)
	if serial < 0 || len(ref) > width {
		reason := fmt.Sprintf("must be between 0 and %s with a %d-digit company prefix",
			strings.Repeat("9", width), len(companyPrefix))
		return "", invalid("SSCC serial reference", fmt.Sprint(serial), reason)
	}

	body := fmt.Sprintf("%d%s%s", extension, companyPrefix, ref)
	check, _ := CheckDigit(body) // body is all digits by construction
	return fmt.Sprintf("%s%d", body, check), nil
}
