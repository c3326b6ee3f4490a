package scan

import (
	"strconv"
	"strings"

	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// Config is what Decode needs to know about the scanner the data came from.
// The zero value suits a keyboard-wedge scanner with factory settings.
type Config struct {
	// RequireAIM refuses data that does not start with an AIM symbology
	// identifier. Leave it off for wedge scanners, which often send none.
	RequireAIM bool

	// AssumeAIM is the identifier (e.g. "]A0") to read data without one as,
	// for a scanner that sends no identifiers and reads a single symbology.
	// Empty means such data is read by its shape (see Decode).
	AssumeAIM string

	// Code39Check says this device's Code 39 labels end in a mod-43 check
	// character that the scanner passes on unchecked (AIM modifier 0 or 4):
	// Decode then verifies and strips it. When false the data is left as sent.
	Code39Check bool

	// Expect lists the identifiers this device may send, in full ("]C1") or
	// as a symbology with any modifier ("]C"). A scan with another identifier
	// is refused. Empty accepts every identifier Decode knows.
	Expect []string
}

// Scan is one decoded code, or one trigger pull when it read several.
type Scan struct {
	// Symbology is "GS1-128", "EAN-13", "QR", ...; Decode says what it is
	// for data without an AIM identifier.
	Symbology string `json:"symbology,omitempty"`
	AIM       string `json:"aim,omitempty"`     // e.g. "]C1"; "" when the scanner sent none
	Payload   string `json:"payload,omitempty"` // the data after the identifier, framing removed
	// Text is the scan as a person reads it: the payload, or "(01)...(10)..."
	// for GS1 data, with a composite's parts joined by "|".
	Text     string        `json:"text,omitempty"`
	GS1      bool          `json:"gs1,omitempty"` // the data was read as GS1 AIs
	Elements []gs1.Element `json:"elements,omitempty"`

	// The facts a warehouse acts on, taken from the elements or the number.
	GTIN14 string `json:"gtin14,omitempty"` // (01), else (02), or the EAN/UPC/ITF-14 number as 14 digits
	SSCC   string `json:"sscc,omitempty"`   // (00)
	Lot    string `json:"lot,omitempty"`    // (10)
	Expiry string `json:"expiry,omitempty"` // (17) as an ISO date, "2026-12-31"
	Serial string `json:"serial,omitempty"` // (21)
	Count  int    `json:"count,omitempty"`  // (30) or (37)
	AddOn  string `json:"add_on,omitempty"` // the 2- or 5-digit EAN/UPC add-on (]E3)

	Composite *Scan  `json:"composite,omitempty"` // the 2D part of a GS1 composite sent after "|"
	Extra     []Scan `json:"extra,omitempty"`     // the other codes read by the same trigger
	Error     *Error `json:"error,omitempty"`     // why this code did not decode
}

// Error says why scanned data could not be decoded: the data, the AI when the
// problem is inside one, the offending value and the reason. Rescan is set
// when the data cannot be read without guessing (a GS1 separator is
// missing), so the user must scan the code again, or another code.
type Error struct {
	Data   string `json:"data"`            // the code as received, framing removed
	AIM    string `json:"aim,omitempty"`   // its AIM identifier, if any
	AI     string `json:"ai,omitempty"`    // the GS1 AI the problem is in
	Field  string `json:"field,omitempty"` // what else the problem is in, e.g. "GTIN"
	Value  string `json:"value,omitempty"` // the offending value
	Reason string `json:"reason"`
	Rescan bool   `json:"rescan"`
	Err    error  `json:"-"` // the cause: a *gs1.Error or a *labels.InvalidError, or nil
}

// Error returns e.g. `scan "]E02112345678901": GTIN "2112345678901": check
// digit 1 is wrong, expected 0`.
func (e *Error) Error() string {
	where := ""
	switch {
	case e.AI != "":
		where = "AI (" + e.AI + ") "
	case e.Field != "":
		where = e.Field + " "
	}
	if e.Value != "" && e.Value != e.Data {
		where += strconv.Quote(e.Value) + " "
	}

	msg := "scan " + strconv.Quote(e.Data) + ": "
	if where != "" {
		msg += strings.TrimSuffix(where, " ") + ": "
	}
	msg += e.Reason
	if e.Rescan && !strings.Contains(e.Reason, "scan") { // labels/gs1 may have said so already
		msg += "; scan it again"
	}
	return msg
}

// Unwrap returns the cause, so errors.As finds a *gs1.Error or a
// *labels.InvalidError.
func (e *Error) Unwrap() error { return e.Err }

// Decode reads what a scanner sent for one trigger pull.
//
// Framing control characters (STX, ETX, CR, LF, ...) are removed from both
// ends; GS, RS and EOT are data and kept. Several codes sent at once, one per
// line, are one Scan: the first, with the others in Extra. An AIM identifier
// ("]C1", "]E0", ...) says how the data is read: GS1 symbologies as GS1
// element strings, EAN/UPC with their check digits verified, plain QR and
// DataMatrix as text unless they hold a GS1 Digital Link URI.
//
// Data without an identifier (a keyboard wedge) is read by its shape, and
// Symbology names that shape: "GTIN-8/12/13/14" for a number with a right
// check digit, "GS1 element string" when it starts with GS (FNC1) or is
// written "(01)...", "GS1 Digital Link" for an http(s) URI with an AI path,
// else "text".
//
// It returns an *Error (also set in Scan.Error) when the first code cannot be
// decoded; a code in Extra that cannot be decoded has its own Error set and
// does not fail the scan.
func Decode(raw string, cfg Config) (Scan, error) {
	codes := splitCodes(raw)
	s := decodeCode(codes[0], cfg)
	for _, c := range codes[1:] {
		s.Extra = append(s.Extra, decodeCode(c, cfg))
	}
	if s.Error != nil {
		return s, s.Error
	}
	return s, nil
}

// decodeCode decodes one code, recording a failure in Scan.Error.
func decodeCode(code string, cfg Config) Scan {
	s, err := decodeOne(code, cfg)
	if err != nil {
		err.Data = code
		if err.AIM == "" && hasAIMPrefix(code) {
			err.AIM = code[:3]
		}
		// Keep only what is known for sure; half-read facts would mislead.
		return Scan{Symbology: s.Symbology, AIM: s.AIM, Error: err}
	}
	return s
}
