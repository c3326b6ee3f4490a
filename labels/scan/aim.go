package scan

import "strings"

// kind says how the data of a symbology is checked and read.
type kind int

const (
	plain      kind = iota // any data; a Digital Link URI is read for its AIs
	gs1Data                // a GS1 element string (the symbology's FNC1 in first position)
	ean13                  // 13 digits with a GS1 check digit
	ean8                   // 8 digits with a GS1 check digit
	eanAddOn               // a 2- or 5-digit EAN/UPC add-on on its own
	ean13AddOn             // 13 digits then a 2- or 5-digit add-on
	code39                 // Code 39, with the modifier saying what the reader did about mod 43
	itf                    // Interleaved 2 of 5: digits; 14 of them may be a GTIN (ITF-14)
)

// symbology is what an AIM identifier says about the data after it.
type symbology struct {
	name string
	kind kind
}

// symbologies maps the AIM identifiers of ISO/IEC 15424 that warehouse
// scanners send to what they mean. Code 39 is handled by code39Symbology
// because its modifier is a set of flags.
var symbologies = map[string]symbology{
	"]C0": {"Code 128", plain},
	"]C1": {"GS1-128", gs1Data},
	"]C2": {"Code 128", plain}, // FNC1 in second position: an AIM application, not GS1
	"]E0": {"EAN-13", ean13},   // also UPC-A and UPC-E, sent as 13 digits
	"]E1": {"EAN add-on", eanAddOn},
	"]E2": {"EAN add-on", eanAddOn},
	"]E3": {"EAN-13 + add-on", ean13AddOn},
	"]E4": {"EAN-8", ean8},
	"]I0": {"ITF", itf},
	"]I1": {"ITF", itf}, // check digit verified and sent
	"]I3": {"ITF", itf}, // check digit verified and stripped
	"]d1": {"DataMatrix", plain},
	"]d2": {"DataMatrix", gs1Data},
	"]Q0": {"QR", plain}, // QR model 1
	"]Q1": {"QR", plain},
	"]Q3": {"QR", gs1Data},
	"]e0": {"GS1 DataBar", gs1Data},
	"]J0": {"DotCode", plain},
	"]J1": {"DotCode", gs1Data},
	"]L0": {"PDF417", plain},
	"]U0": {"MaxiCode", plain}, // modes 4 to 6
	"]U1": {"MaxiCode", plain}, // modes 2 and 3, as on UPS labels
	"]U2": {"MaxiCode", plain}, // mode 2 or 3 with an ECI
	"]U3": {"MaxiCode", plain},
}

// Code 39 modifier flags (ISO/IEC 16388, Annex on symbology identifiers): the
// reader checked the mod-43 character, stripped it, converted full ASCII.
const (
	code39Checked   = 1
	code39Stripped  = 2
	code39FullASCII = 4
)

// lookupAIM returns what the three-character AIM identifier id means; ok is
// false when Shipshape does not know it.
func lookupAIM(id string) (s symbology, ok bool) {
	if strings.HasPrefix(id, "]A") {
		return code39Symbology(id[2])
	}
	s, ok = symbologies[id]
	return s, ok
}

// code39Symbology reads a Code 39 modifier. "Stripped" without "checked"
// (2 and 6) is not a state a reader can be in, so those are unknown.
func code39Symbology(mod byte) (symbology, bool) {
	m := int(mod - '0')
	if m < 0 || m > 7 || (m&code39Stripped != 0 && m&code39Checked == 0) {
		return symbology{}, false
	}
	return symbology{"Code 39", code39}, true
}

// hasAIMPrefix reports whether s starts with something shaped like an AIM
// identifier: "]", a letter, then a digit or letter modifier.
func hasAIMPrefix(s string) bool {
	return len(s) >= 3 && s[0] == ']' && isLetter(s[1]) && (isDigit(s[2]) || isLetter(s[2]))
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
