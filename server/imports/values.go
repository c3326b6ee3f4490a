package imports

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
)

// Reasons a cell is rejected; each completes a sentence that starts with
// the quoted value.
var (
	errNotPrice      = errors.New("is not a price")
	errPriceDecimals = errors.New("is not a price: it has more than 2 decimals")
	errPriceNegative = errors.New("is not a price: it is negative")
	errPriceTooLarge = errors.New("is not a price: it is too large")
	errNotCount      = errors.New("is not a whole number of 0 or more")
	errNotBin        = errors.New("is not a bin code: use only A-Z, 0-9, \"-\", \"_\" and \".\"")
	errNotCurrency   = errors.New("is not a 3-letter ISO 4217 currency code")
	errNotGTINShaped = errors.New("is not a GTIN: it must be 8, 12, 13 or 14 digits")
	errNotCode       = errors.New("is not a barcode: use printable ASCII without spaces or \"|\"")
)

// maxWholeDigits bounds the digits before the decimal point so that a price
// in cents always fits in an int64.
const maxWholeDigits = 15

// parseCents parses a non-negative decimal amount with at most two decimals
// into cents, using integer arithmetic only: "45" is 4500, "45.5" is 4550,
// ".5" is 50.
func parseCents(s string) (int64, error) {
	if strings.HasPrefix(s, "-") {
		return 0, errPriceNegative
	}

	whole, frac, _ := strings.Cut(s, ".")
	switch {
	case whole == "" && frac == "":
		return 0, errNotPrice
	case !isDigits(whole) || !isDigits(frac):
		return 0, errNotPrice
	case len(frac) > 2:
		return 0, errPriceDecimals
	case len(whole) > maxWholeDigits:
		return 0, errPriceTooLarge
	}

	frac = (frac + "00")[:2]
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse cents %q: %w", s, err)
	}
	return n, nil
}

// parseCount parses a whole number of 0 or more, digits only.
func parseCount(s string) (int64, error) {
	if s == "" || !isDigits(s) {
		return 0, errNotCount
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errNotCount
	}
	return n, nil
}

// isDigits reports whether s holds only ASCII digits; "" counts as digits.
func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// normBin upper-cases a trimmed bin code and checks its characters.
func normBin(s string) (string, error) {
	s = strings.ToUpper(s)
	for _, c := range []byte(s) {
		ok := c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return "", errNotBin
		}
	}
	return s, nil
}

// normCurrency upper-cases a trimmed currency code and checks its shape.
func normCurrency(s string) (string, error) {
	s = strings.ToUpper(s)
	if !isLetters(s, 3) {
		return "", errNotCurrency
	}
	return s, nil
}

// isLetters reports whether s is n upper-case ASCII letters.
func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// normGTIN checks a GTIN-8, -12, -13 or -14 and returns its GTIN-14 key.
func normGTIN(s string) (string, error) {
	if !labels.IsGTINShaped(s) {
		return "", errNotGTINShaped
	}
	key, err := labels.NormalizeGTIN(s)
	var bad *labels.InvalidError
	switch {
	case errors.As(err, &bad):
		return "", fmt.Errorf("is not a valid GTIN: %s", bad.Reason)
	case err != nil:
		return "", fmt.Errorf("normalise gtin: %w", err)
	}
	return key, nil
}

// normBarcode returns the key for a GTIN-shaped code (checked and padded to
// 14 digits) and any other code unchanged, provided it is printable ASCII
// without spaces or "|".
func normBarcode(s string) (string, error) {
	if labels.IsGTINShaped(s) {
		return normGTIN(s)
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c > '~' || c == '|' {
			return "", errNotCode
		}
	}
	return s, nil
}

// splitList splits s on sep, trims each item and drops empty ones.
func splitList(s, sep string) []string {
	var out []string
	for _, item := range strings.Split(s, sep) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
