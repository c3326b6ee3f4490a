package labels

import (
	"fmt"
	"strings"
)

// retailSymbol is an EAN/UPC symbology as ZPL draws it.
type retailSymbol struct {
	name    string // for messages
	command string // ^BE, ^BU or ^B8 with its parameters after the height
	modules int    // bars and guards
	quiet   int    // left quiet zone in modules, where the printer puts a leading digit
}

var (
	ean13 = retailSymbol{"EAN-13", "^BEN,%d,Y,N", 95, 11}
	upcA  = retailSymbol{"UPC-A", "^BUN,%d,Y,N,Y", 95, 9}
	ean8  = retailSymbol{"EAN-8", "^B8N,%d,Y,N", 67, 7}
)

// retailTextModules is the room, in modules, kept under the bars for the
// digits the printer prints there (its interpretation line).
const retailTextModules = 12

// GTIN adds the retail barcode of gtin at (x, y), its human-readable digits
// under the bars as the printer draws them: an EAN-13 for a GTIN-13 (the
// in-house "20…" numbers of InternalBarcode included), a UPC-A for a GTIN-12,
// an EAN-8 for a GTIN-8, and for a GTIN-14 starting with 0 the EAN-13 of its
// last 13 digits. x is where the symbol's quiet zone starts: the bars begin
// 11 modules (EAN-13), 9 (UPC-A) or 7 (EAN-8) to the right, room for the
// leading digit. The printer computes the check digit again from the others,
// so the GTIN must be right.
//
// It records an *InvalidError when gtin does not pass NormalizeGTIN, is a
// GTIN-14 with another indicator digit (no retail symbol carries it), or when
// the symbol does not fit.
func (l *Label) GTIN(x, y, module, height Length, gtin string) {
	bar, ok := l.module("GTIN", module)
	if !ok {
		return
	}
	sym, digits, err := retailSymbology(gtin)
	if err != nil {
		l.fail(err)
		return
	}
	width := l.mm((sym.quiet + sym.modules + sym.quiet) * bar)
	if !l.inside("GTIN", gtin, x, y, width, height+l.mm(retailTextModules*bar)) {
		return
	}

	l.origin(x+Length(sym.quiet)*module, y)
	fmt.Fprintf(&l.body, "^BY%d", bar)
	fmt.Fprintf(&l.body, sym.command, l.dots(height))
	l.field(digits[:len(digits)-1]) // ZPL takes the digits without the check digit
}

// retailSymbology picks the symbol for gtin and the digits it encodes.
func retailSymbology(gtin string) (retailSymbol, string, error) {
	if _, err := NormalizeGTIN(gtin); err != nil {
		return retailSymbol{}, "", err
	}
	digits := strings.TrimSpace(gtin)
	if len(digits) == 14 {
		if digits[0] != '0' {
			reason := "is a GTIN-14 of a trade unit: no EAN/UPC symbol carries it"
			return retailSymbol{}, "", invalid("GTIN", digits, reason)
		}
		digits = digits[1:]
	}
	switch len(digits) {
	case 8:
		return ean8, digits, nil
	case 12:
		return upcA, digits, nil
	}
	return ean13, digits, nil
}
