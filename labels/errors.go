package labels

import (
	"strconv"
	"unicode/utf8"
)

// InvalidError reports input that cannot be turned into a label or barcode: it
// names the field, the offending value (when there is one) and why it was refused.
// Every validation error in this package is, or wraps, an *InvalidError, so callers
// can tell bad input from a bug with errors.As.
type InvalidError struct {
	Field  string // e.g. "GTIN", "ShipTo.Line1", "DPI"
	Value  string // the value as given; empty when the field was missing
	Reason string // e.g. "is required", "check digit 3 is wrong, expected 2"
}

// Error returns `Field "Value": Reason`, or `Field: Reason` when Value is empty.
func (e *InvalidError) Error() string {
	if e.Value == "" {
		return e.Field + ": " + e.Reason
	}
	return e.Field + " " + strconv.Quote(e.Value) + ": " + e.Reason
}

func invalid(field, value, reason string) *InvalidError {
	return &InvalidError{Field: field, Value: clip(value), Reason: reason}
}

// maxQuoted is how many bytes of an offending value an error quotes: enough
// to recognise it, not a 5,000-byte QR payload in a log line.
const maxQuoted = 80

// clip shortens value to at most maxQuoted bytes, cut at a character
// boundary and marked with "…".
func clip(value string) string {
	if len(value) <= maxQuoted {
		return value
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(value[cut]) {
		cut--
	}
	return value[:cut] + "…"
}
