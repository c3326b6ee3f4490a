package imports

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// Reasons a cell is rejected; each completes a sentence that starts with
// the quoted value.
var (
	errNotPrice      = errors.New("is not a price")
	errPriceDecimals = errors.New("is not a price: it has more than 2 decimals")
	errPriceNegative = errors.New("is not a price: it is negative")
	errNotCount      = errors.New("is not a whole number of 0 or more")
	errNotBin        = errors.New("is not a bin code: use only A-Z, 0-9, \"-\", \"_\" and \".\"")
	errNotCurrency   = errors.New("is not a 3-letter ISO 4217 currency code")
	errNotGTINShaped = errors.New("is not a GTIN: it must be 8, 12, 13 or 14 digits")
	errNotCode       = errors.New("is not a barcode: use printable ASCII without spaces or \"|\"")
	errToteCode      = errors.New("starts with " + oms.TotePrefix + ", which is reserved for tote labels")
)

// Largest numbers accepted. They are far above any real price or count and
// far below where sums of them could overflow an int64.
const (
	maxPriceCents = 10_000_000_000 // a price of 100,000,000.00
	maxStockQty   = 1_000_000_000  // units of a SKU in one bin
	maxOrderQty   = 100_000        // units of one order line
)

// tooLargeError is a well-formed number above the largest a column accepts.
// Its message names the number without quotes, as a number and not as text.
type tooLargeError struct {
	value string // as written in the file
	limit string
}

// Error says which number is too large and what the largest allowed is.
func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%s is too large (at most %s)", shortNumber(e.value), e.limit)
}

// parseCents parses a non-negative decimal amount with at most two decimals
// into cents, using integer arithmetic only: "45" is 4500, "45.5" is 4550,
// ".5" is 50. An amount above maxPriceCents is a *tooLargeError.
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
	}

	frac = (frac + "00")[:2]
	n, ok := parseBounded(whole+frac, maxPriceCents)
	if !ok {
		return 0, &tooLargeError{value: s, limit: "100000000.00"}
	}
	return n, nil
}

// parseCount parses a whole number from 0 to limit, digits only. A number
// above limit is a *tooLargeError.
func parseCount(s string, limit int64) (int64, error) {
	if s == "" || !isDigits(s) {
		return 0, errNotCount
	}
	n, ok := parseBounded(s, limit)
	if !ok {
		return 0, &tooLargeError{value: s, limit: strconv.FormatInt(limit, 10)}
	}
	return n, nil
}

// parseBounded parses a non-empty string of ASCII digits; ok is false when
// the number is above limit, however many digits it has.
func parseBounded(digits string, limit int64) (n int64, ok bool) {
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > limit { // digits only, so err can only be overflow
		return 0, false
	}
	return n, true
}

// shortNumber returns the digits of a number, or only the first of them and
// their count when there are too many to repeat in an error message.
func shortNumber(s string) string {
	const keep = 24
	if len(s) <= keep {
		return s
	}
	return fmt.Sprintf("%s... (%d digits)", s[:keep], len(s))
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

// normBin upper-cases a trimmed bin code and checks its characters and that
// it is not a tote's code.
func normBin(s string) (string, error) {
	s = strings.ToUpper(s)
	for _, c := range []byte(s) {
		ok := c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return "", errNotBin
		}
	}
	if oms.IsToteCode(s) {
		return "", errToteCode
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
// without spaces or "|" and not a tote's code, which a scanner would take
// for a tote.
func normBarcode(s string) (string, error) {
	if labels.IsGTINShaped(s) {
		return normGTIN(s)
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c > '~' || c == '|' {
			return "", errNotCode
		}
	}
	if oms.IsToteCode(s) {
		return "", errToteCode
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
