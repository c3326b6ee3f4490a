package labels

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// Address is a postal address as printed on a label. The labels package has its
// own type so that it depends on nothing of the server's domain model.
type Address struct {
	Name, Company       string
	Line1, Line2, Line3 string
	City, State         string
	PostalCode, Country string
	Phone               string
}

// Shipping is what goes on a parcel's shipping label.
type Shipping struct {
	ShipFrom, ShipTo Address
	OrderNumber      string    // our order number, e.g. SO-000001
	Reference        string    // the sales channel's order id; optional, cut to fit
	Parcel, Parcels  int       // parcel k of N, 1 <= k <= N; both 0 means 1/1
	Carrier, Service string    // e.g. "Local courier", "Standard"
	Tracking         string    // printed as text and as a Code 128 barcode
	ShipDate         time.Time // printed as YYYY-MM-DD in its own location; zero leaves it out
	// SSCC is the parcel's 18-digit Serial Shipping Container Code, printed as
	// a GS1-128 barcode "(00)…" above the carrier details; "" leaves it out.
	SSCC string
	// AddressChars is where ship-to lines wrap: 0 means DefaultLineChars
	// (35); at most 38, the most that fit across the label in small type.
	AddressChars int
}

// Layout of the 4x6 inch label, in millimetres. Every size is a multiple of
// 1/8 mm, a whole dot at 203 dpi. The header has a fixed height, whatever the
// sender, so the room left for the recipient depends on the recipient alone
// and CheckShipTo can answer for ShippingLabel.
const (
	shippingWidth   Length = 101.5  // 4 in at 8 dots/mm
	shippingHeight  Length = 152.25 // 6 in
	margin          Length = 3
	textWidth              = shippingWidth - 2*margin // room for a line across the label
	rightColumn     Length = 60                       // x of the order/parcel column beside the sender
	columnGap       Length = 2                        // kept clear between the sender and that column
	fromLines              = 6                        // sender lines under "FROM", the phone included
	addressChars           = DefaultLineChars         // longest ship-to line before it wraps
	maxAddressChars        = 38                       // longest that fits across in small type
	barHeight       Length = 20
	barUnit         Length = 0.125 // barcode modules are whole dots at 203 dpi
	rule            Length = 0.375 // thickness of the lines between sections
	trackingTitle          = "TRACKING #"
)

// The SSCC block: a GS1-128 barcode with its bracketed number above it, put
// between the recipient and the footer when the parcel has an SSCC.
const (
	ssccModule Length = 0.375
	ssccBar    Length = 12
	ssccBlock         = 1.5 + 3.125 + 0.5 + ssccBar + 1 // gap, text line, gap, bars, gap
)

// Fonts of the label: the built-in scalable font in three sizes, with the line
// pitch that goes with each, and a tiny one that only a long recipient takes
// on a label with an SSCC: 25 lines of it fit the room the SSCC leaves, as
// many as of small type without one, so the SSCC never refuses an address.
var (
	tiny   = lineFont{Font{Name: '0', Height: 2.125, Width: 2}, 2.375}
	small  = lineFont{Font{Name: '0', Height: 2.75, Width: 2.5}, 3.125}
	medium = lineFont{Font{Name: '0', Height: 3.75, Width: 3.5}, 4.25}
	large  = lineFont{Font{Name: '0', Height: 5, Width: 4.5}, 5.5}
)

// fromChars is how many characters of small type fit the sender's column.
var fromChars = int((rightColumn - columnGap - margin) / small.Width)

type lineFont struct {
	Font
	pitch Length
}

// fits reports whether text in f fits width dots. No glyph of font 0 is wider
// than the font's width parameter, so n characters take at most n*w dots: a
// conservative bound that only a line of "W"s or "M"s comes near.
func (f lineFont) fits(text string, width Length) bool {
	return Length(utf8.RuneCountInString(text))*f.Width <= width
}

// ShippingLabel renders s as a 4x6 inch ZPL shipping label for printer p:
// sender small at the top left, order number, reference, parcel "k/N" and date
// beside it, the recipient in the largest type it fits, the SSCC as a GS1-128
// barcode when there is one, then carrier and service, the tracking number and
// its Code 128 barcode at the bottom.
//
// Ship-to lines wrap with WrapLine at AddressChars (35 by default). Sender lines
// wrap to the width of their column, which holds 6 lines: a longer sender is
// cut there, its last line ending in "…". A one-line text (order number,
// reference, carrier and service, the tracking number as text, a phone number
// under the recipient) takes smaller type when it does not fit, and is cut
// with "…" when even small type does not. So no text runs off the label, and a
// long sender, service or reference never makes it fail.
//
// It returns an *InvalidError (wrapped) naming the field when Tracking is empty,
// not printable ASCII or too long for the barcode, Parcel is not between 1 and
// Parcels, SSCC is not 18 digits ending in the right check digit,
// AddressChars is out of range, p is refused by NewLabel, or CheckShipTo
// refuses ShipTo; for nothing else.
func ShippingLabel(s Shipping, p Printer) ([]byte, error) {
	if s.Parcel == 0 && s.Parcels == 0 {
		s.Parcel, s.Parcels = 1, 1
	}
	if err := validateShipping(s); err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}
	to, err := layoutShipTo(s.ShipTo, lineChars(s.AddressChars), s.SSCC != "")
	if err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}
	l, err := NewLabel(shippingWidth, shippingHeight, p)
	if err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}

	drawHeader(l, s)
	drawShipTo(l, to)
	drawSSCC(l, s.SSCC)
	drawFooter(l, s)

	zpl, err := l.Bytes()
	if err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}
	return zpl, nil
}

// CheckShipTo is for order intake: it tells whether a can be printed as the
// recipient of a shipping label, so that an order whose address cannot print is
// refused when it arrives, not at the packing bench.
//
// The recipient has a fixed place on the label and ShippingLabel lays it out
// with this same check, so the answer depends on a alone: when CheckShipTo(a)
// returns nil, ShippingLabel does not fail because of ShipTo, whatever the
// sender, service, reference, order number or SSCC (those are cut to fit, or
// the recipient takes smaller type), as long as AddressChars is 0 or at least
// 35. It can still fail for Tracking, Parcel, SSCC or the printer.
//
// It returns an *InvalidError naming ShipTo.Name or ShipTo.Line1 when it is
// blank, or naming ShipTo, with the lines the address needs once wrapped at 35
// characters and how many fit, when it is too long even in small type.
func CheckShipTo(a Address) error {
	_, err := layoutShipTo(a, addressChars, false)
	return err
}

func validateShipping(s Shipping) error {
	tracking := strings.TrimSpace(s.Tracking)
	switch {
	case tracking == "":
		return invalid("Tracking", "", "is required")
	case strings.IndexFunc(tracking, notPrintableASCII) >= 0:
		return invalid("Tracking", tracking, "must be printable ASCII for the Code 128 barcode")
	case barModule(tracking) == 0:
		return invalid("Tracking", tracking, "is too long for a Code 128 barcode on this label")
	case s.Parcel < 1 || s.Parcel > s.Parcels:
		value := fmt.Sprintf("%d/%d", s.Parcel, s.Parcels)
		return invalid("Parcel", value, "must be between 1 and Parcels")
	case s.AddressChars != 0 && (s.AddressChars < 10 || s.AddressChars > maxAddressChars):
		reason := fmt.Sprintf("must be 0 (meaning %d) or 10 to %d", addressChars, maxAddressChars)
		return invalid("AddressChars", fmt.Sprint(s.AddressChars), reason)
	}
	return checkSSCC(s.SSCC)
}

// checkSSCC validates an SSCC: empty, or 18 digits with the right check digit.
func checkSSCC(sscc string) error {
	if sscc == "" {
		return nil
	}
	if len(sscc) != 18 || !allDigits(sscc) {
		return invalid("SSCC", sscc, "must be 18 digits")
	}
	return checkKeyDigit("SSCC", sscc)
}

func lineChars(n int) int {
	if n == 0 {
		return addressChars
	}
	return n
}

// drawHeader draws the sender on the left and the order details on the right,
// then a rule under them at a fixed height.
func drawHeader(l *Label, s Shipping) {
	from := column{l: l, x: margin, y: margin}
	from.line(small, "FROM")
	for _, text := range senderLines(s.ShipFrom) {
		from.line(small, text)
	}

	width := shippingWidth - margin - rightColumn
	order := column{l: l, x: rightColumn, y: margin}
	order.fit(width, prefixed("Order ", s.OrderNumber), medium, small)
	order.fit(width, fmt.Sprintf("Parcel %d/%d", s.Parcel, s.Parcels), medium, small)
	if !s.ShipDate.IsZero() {
		order.fit(width, "Date "+s.ShipDate.Format(time.DateOnly), small)
	}

	l.HLine(margin, headerRule(), textWidth, rule)
}

// senderLines returns the sender's lines as printed: wrapped to the column, at
// most fromLines of them, the last ending in "…" when some are left out.
func senderLines(a Address) []string {
	lines := wrapAll(append(addressLines(a), prefixed("Tel ", a.Phone)), fromChars)
	if len(lines) <= fromLines {
		return lines
	}
	lines = lines[:fromLines]
	lines[fromLines-1] = withEllipsis(lines[fromLines-1], fromChars)
	return lines
}

// headerRule is the y of the rule under the sender and order details: the
// order column's four lines take less height than the sender's.
func headerRule() Length {
	return margin + (1+fromLines)*small.pitch + 1
}

// shipTo is the recipient's block as it will be printed.
type shipTo struct {
	lines []string // address lines, wrapped
	font  lineFont
	phone string
}

// layoutShipTo wraps the recipient's address at chars and picks the largest
// type in which every line fits across the label and all of them fit between
// the header and the footer (and the SSCC block when sscc is set), room for the
// phone line kept. Small type fits any wrapped line across, so only the number
// of lines can refuse an address.
func layoutShipTo(a Address, chars int, sscc bool) (shipTo, error) {
	switch {
	case strings.TrimSpace(a.Name) == "":
		return shipTo{}, invalid("ShipTo.Name", "", "is required")
	case strings.TrimSpace(a.Line1) == "":
		return shipTo{}, invalid("ShipTo.Line1", "", "is required")
	}

	lines := wrapAll(addressLines(a), chars)
	longest := 0
	for _, line := range lines {
		longest = max(longest, utf8.RuneCountInString(line))
	}
	room := footerRule() - shipToTop() - medium.pitch
	fonts := []lineFont{large, medium, small}
	if sscc {
		room -= ssccBlock
		fonts = append(fonts, tiny)
	}
	for _, f := range fonts {
		if Length(longest)*f.Width <= textWidth && Length(len(lines))*f.pitch <= room {
			return shipTo{lines: lines, font: f, phone: a.Phone}, nil
		}
	}
	reason := fmt.Sprintf("needs %d lines once wrapped at %d characters, %d fit on the label",
		len(lines), chars, int(room/fonts[len(fonts)-1].pitch))
	return shipTo{}, invalid("ShipTo", strings.TrimSpace(a.Name), reason)
}

// shipToTop is the y of the recipient's first address line, below the header
// rule and the "SHIP TO" caption.
func shipToTop() Length {
	return headerRule() + rule + 1.5 + small.pitch + 0.5
}

// drawShipTo draws the recipient between the header and the footer.
func drawShipTo(l *Label, to shipTo) {
	c := column{l: l, x: margin, y: headerRule() + rule + 1.5}
	c.line(small, "SHIP TO")
	c.y = shipToTop()
	for _, line := range to.lines {
		c.line(to.font, line)
	}
	c.fit(textWidth, prefixed("Tel ", to.phone), medium, small)
}

// drawSSCC draws the SSCC block above the footer rule: its GS1-128 barcode,
// centred, with "(00)…" in small type over its left end. An empty sscc draws
// nothing.
func drawSSCC(l *Label, sscc string) {
	if sscc == "" {
		return
	}
	elements := []gs1.Element{{AI: "00", Raw: sscc}}
	_, symbols := gs1Code128(elements)
	x := (shippingWidth - Length(symbolModules(symbols))*ssccModule) / 2
	top := footerRule() - ssccBlock + 1.5
	l.Text(x, top, small.Font, GS1Bracketed(elements))
	l.GS1128(x, top+small.pitch+0.5, ssccModule, ssccBar, elements)
}

// footerRule is the y of the rule above carrier, tracking and barcode.
func footerRule() Length {
	barY := shippingHeight - margin - barHeight
	return barY - 2*medium.pitch - 1 - 0.5 - 1.75 - small.pitch
}

// drawFooter draws carrier and service, the tracking number and its barcode at
// the bottom of the label. validateShipping has checked that the barcode fits.
func drawFooter(l *Label, s Shipping) {
	tracking := strings.TrimSpace(s.Tracking)
	barY := shippingHeight - margin - barHeight
	trackingY := barY - medium.pitch - 1
	carrierY := trackingY - medium.pitch - 0.5

	l.HLine(margin, footerRule(), textWidth, rule)
	// The channel's order id gets a whole line: marketplace ids are long
	// (Amazon's have 19 characters) and a cut one is no use at the door.
	ref := column{l: l, x: margin, y: footerRule() + rule + 1}
	ref.fit(textWidth, prefixed("Ref ", s.Reference), small)
	carrier := column{l: l, x: margin, y: carrierY}
	carrier.fit(textWidth, joinNonEmpty(" - ", s.Carrier, s.Service), medium, small)

	l.Text(margin, trackingY+0.5, small.Font, trackingTitle)
	x := margin + Length(utf8.RuneCountInString(trackingTitle))*small.Width + columnGap
	number := column{l: l, x: x, y: trackingY}
	number.fit(shippingWidth-margin-x, tracking, medium, small)

	module := barModule(tracking)
	x = (shippingWidth - Code128Width(tracking, module)) / 2
	l.Code128(x, barY, module, barHeight, tracking)
}

// barModule picks the widest bars, up to 3 dots at 203 dpi (0.375 mm), that
// keep the barcode and its quiet zones inside the margins; 0 when even 1 dot
// is too wide.
func barModule(data string) Length {
	for n := 3; n >= 1; n-- {
		module := Length(n) * barUnit
		if Code128Width(data, module)+20*module <= textWidth {
			return module
		}
	}
	return 0
}

// addressLines returns the postal lines of an address in print order: name,
// company, street lines, "City, State PostalCode", country. Empty ones are
// skipped when printed; the phone number is printed apart.
func addressLines(a Address) []string {
	region := joinNonEmpty(" ", a.State, a.PostalCode)
	return []string{
		a.Name, a.Company, a.Line1, a.Line2, a.Line3,
		joinNonEmpty(", ", a.City, region), a.Country,
	}
}

// column writes lines of text down the label from (x, y).
type column struct {
	l    *Label
	x, y Length
}

// line writes text, trimmed, and moves down one line; empty text is skipped.
func (c *column) line(f lineFont, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	c.l.Text(c.x, c.y, f.Font, text)
	c.y += f.pitch
}

// fit writes text, trimmed, on one line in the first of fonts in which it fits
// width, or cut with "…" to fit in the last, and moves down that font's pitch;
// empty text is skipped.
func (c *column) fit(width Length, text string, fonts ...lineFont) {
	text = strings.TrimSpace(text)
	for _, f := range fonts {
		if f.fits(text, width) {
			c.line(f, text)
			return
		}
	}
	f := fonts[len(fonts)-1]
	c.line(f, withEllipsis(text, int(width/f.Width)))
}

// wrapAll wraps each text to width characters and returns the lines that are
// not blank, the lines a column prints.
func wrapAll(texts []string, width int) []string {
	var lines []string
	for _, text := range texts {
		for _, line := range WrapLine(text, width) {
			if line != "" {
				lines = append(lines, line)
			}
		}
	}
	return lines
}

// withEllipsis returns text cut to n-1 characters, or left whole when shorter,
// with "…" after it: at most n characters that show something was left out.
func withEllipsis(text string, n int) string {
	runes := []rune(text)
	if len(runes) > n-1 {
		runes = runes[:max(n-1, 0)]
	}
	return strings.TrimRight(string(runes), " ") + "…"
}

// prefixed returns prefix+value, or "" when value is blank.
func prefixed(prefix, value string) string {
	value = strings.TrimSpace(value)
	if value == "" {
		return ""
	}
	return prefix + value
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
