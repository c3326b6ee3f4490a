package labels

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
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
	Reference        string    // the sales channel's order id; optional
	Parcel, Parcels  int       // parcel k of N, 1 <= k <= N
	Carrier, Service string    // e.g. "Local courier", "Standard"
	Tracking         string    // printed as text and as a Code 128 barcode
	ShipDate         time.Time // printed as YYYY-MM-DD in its own location; zero leaves it out
	DPI              int       // printer resolution: 0 (meaning 203), 203, 300 or 600
}

// Layout of the 4x6 inch label, in design dots (8 per mm).
const (
	shippingWidth  = 812  // 4 in
	shippingHeight = 1218 // 6 in
	margin         = 24
	rightColumn    = 500 // x of the order/parcel column beside the sender
	addressChars   = 35  // longest address line before it wraps
	refChars       = 24  // longest reference line in the right column
	barHeight      = 160
	rule           = 3 // thickness of the lines between sections
)

// Fonts of the label: the built-in scalable font in three sizes, with the line
// pitch that goes with each.
var (
	small  = lineFont{Font{'0', 22, 20}, 25}
	medium = lineFont{Font{'0', 30, 28}, 34}
	large  = lineFont{Font{'0', 40, 36}, 44}
)

type lineFont struct {
	Font
	pitch int
}

// ShippingLabel renders s as a 4x6 inch ZPL shipping label: sender small at the
// top left, order number, reference, parcel count and date beside it, the
// recipient in large type, then carrier and service, the tracking number and its
// Code 128 barcode at the bottom. Address lines longer than 35 characters wrap at
// a space.
//
// It returns an *InvalidError (wrapped) naming the field when Tracking, ShipTo.Name
// or ShipTo.Line1 is empty, Tracking is not printable ASCII or too long for the
// barcode, Parcel is not between 1 and Parcels, DPI is not 0, 203, 300 or 600, or
// the addresses have too many lines to fit.
func ShippingLabel(s Shipping) ([]byte, error) {
	if err := validateShipping(s); err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}
	l, err := NewLabel(shippingWidth, shippingHeight, s.DPI)
	if err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}

	y := drawHeader(l, s)
	y = drawShipTo(l, s.ShipTo, y)
	if err := drawFooter(l, s, y); err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}

	zpl, err := l.Bytes()
	if err != nil {
		return nil, fmt.Errorf("shipping label: %w", err)
	}
	return zpl, nil
}

func validateShipping(s Shipping) error {
	tracking := strings.TrimSpace(s.Tracking)
	switch {
	case tracking == "":
		return invalid("Tracking", "", "is required")
	case strings.IndexFunc(tracking, notPrintableASCII) >= 0:
		return invalid("Tracking", tracking, "must be printable ASCII for the Code 128 barcode")
	case strings.TrimSpace(s.ShipTo.Name) == "":
		return invalid("ShipTo.Name", "", "is required")
	case strings.TrimSpace(s.ShipTo.Line1) == "":
		return invalid("ShipTo.Line1", "", "is required")
	case s.Parcel < 1 || s.Parcel > s.Parcels:
		value := fmt.Sprintf("%d/%d", s.Parcel, s.Parcels)
		return invalid("Parcel", value, "must be between 1 and Parcels")
	}
	return nil
}

// drawHeader draws the sender on the left and the order details on the right,
// then a rule under whichever is longer. It returns the y below the rule.
func drawHeader(l *Label, s Shipping) int {
	from := column{l: l, x: margin, y: margin}
	from.line(small, "FROM")
	from.lines(small, addressLines(s.ShipFrom), addressChars)
	from.line(small, prefixed("Tel ", s.ShipFrom.Phone))

	order := column{l: l, x: rightColumn, y: margin}
	order.line(medium, prefixed("Order ", s.OrderNumber))
	order.lines(small, []string{prefixed("Ref ", s.Reference)}, refChars)
	order.line(medium, fmt.Sprintf("Parcel %d/%d", s.Parcel, s.Parcels))
	if !s.ShipDate.IsZero() {
		order.line(small, "Date "+s.ShipDate.Format(time.DateOnly))
	}

	y := max(from.y, order.y) + 8
	l.HLine(margin, y, shippingWidth-2*margin, rule)
	return y + rule + 12
}

// drawShipTo draws the recipient from y, in the largest type at which the
// whole address fits above the footer, and returns the y below it.
func drawShipTo(l *Label, to Address, y int) int {
	c := column{l: l, x: margin, y: y}
	c.line(small, "SHIP TO")
	c.y += 4
	c.lines(shipToFont(to, c.y), addressLines(to), addressChars)
	c.line(medium, prefixed("Tel ", to.Phone))
	return c.y
}

// shipToFont returns large type for the recipient when the address fits in
// it, else medium, else small: a long address still prints, only smaller.
func shipToFont(to Address, top int) lineFont {
	n := 0
	for _, text := range addressLines(to) {
		if strings.TrimSpace(text) != "" {
			n += len(wrap(text, addressChars))
		}
	}
	room := footerRule() - top - medium.pitch // the phone line goes below
	for _, f := range []lineFont{large, medium} {
		if n*f.pitch <= room {
			return f
		}
	}
	return small
}

// footerRule is the y of the rule above carrier, tracking and barcode.
func footerRule() int {
	barY := shippingHeight - margin - barHeight
	return barY - 2*medium.pitch - 8 - 4 - 14
}

// drawFooter draws carrier and service, the tracking number and its barcode at
// the bottom of the label. It fails when the addresses above reach down to it
// or the barcode is too wide for the label.
func drawFooter(l *Label, s Shipping, top int) error {
	tracking := strings.TrimSpace(s.Tracking)
	module := barModule(tracking)
	if module == 0 {
		return invalid("Tracking", tracking, "is too long for a Code 128 barcode on this label")
	}

	barY := shippingHeight - margin - barHeight
	trackingY := barY - medium.pitch - 8
	carrierY := trackingY - medium.pitch - 4
	ruleY := footerRule()
	if top > ruleY {
		name := strings.TrimSpace(s.ShipTo.Name)
		return invalid("ShipTo", name, "address has too many lines for the label")
	}

	l.HLine(margin, ruleY, shippingWidth-2*margin, rule)
	l.Text(margin, carrierY, medium.Font, joinNonEmpty(" - ", s.Carrier, s.Service))
	l.Text(margin, trackingY+4, small.Font, "TRACKING #")
	l.Text(margin+150, trackingY, medium.Font, tracking)
	x := (shippingWidth - Code128Width(tracking, module)) / 2
	l.Code128(x, barY, module, barHeight, tracking)
	return nil
}

// barModule picks the widest bars, up to 3 dots, that keep the barcode and its
// quiet zones inside the margins; 0 when even 1 dot is too wide.
func barModule(data string) int {
	for module := 3; module >= 1; module-- {
		if Code128Width(data, module)+20*module <= shippingWidth-2*margin {
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
	x, y int
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

// lines writes each text wrapped to width characters.
func (c *column) lines(f lineFont, texts []string, width int) {
	for _, text := range texts {
		for _, line := range wrap(text, width) {
			c.line(f, line)
		}
	}
}

// wrap splits text, trimmed, into lines of at most width characters, breaking
// at spaces so a word or house number is never cut. Only a single word longer
// than width is cut, at width characters, as it cannot fit any other way. Text
// that fits is returned unchanged.
func wrap(text string, width int) []string {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= width {
		return []string{text}
	}

	var lines []string
	current := ""
	for _, word := range strings.Fields(text) {
		switch {
		case current == "":
		case utf8.RuneCountInString(current)+1+utf8.RuneCountInString(word) <= width:
			current += " " + word
			continue
		default:
			lines = append(lines, current)
		}
		for utf8.RuneCountInString(word) > width {
			cut := string([]rune(word)[:width])
			lines = append(lines, cut)
			word = word[len(cut):]
		}
		current = word
	}
	return append(lines, current)
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
