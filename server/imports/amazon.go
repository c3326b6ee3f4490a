package imports

import (
	"fmt"
	"io"
	"math/bits"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Columns of Amazon's seller order reports (the flat-file order report and
// the unshipped orders report).
const (
	amzOrderID      = "order-id"
	amzItemID       = "order-item-id"
	amzPurchaseDate = "purchase-date"
	amzBuyerEmail   = "buyer-email"
	amzBuyerPhone   = "buyer-phone-number"
	amzSKU          = "sku"
	amzProductName  = "product-name"
	amzQtyPurchased = "quantity-purchased"
	amzQtyToShip    = "quantity-to-ship"
	amzItemPrice    = "item-price"
	amzServiceLevel = "ship-service-level"
	amzRecipient    = "recipient-name"
	amzAddress1     = "ship-address-1"
	amzAddress2     = "ship-address-2"
	amzAddress3     = "ship-address-3"
	amzCity         = "ship-city"
	amzState        = "ship-state"
	amzPostalCode   = "ship-postal-code"
	amzCountry      = "ship-country"
	amzShipPhone    = "ship-phone-number"
)

// amazonChannel is the Channel of every order read from an Amazon report.
const amazonChannel = "amazon"

var (
	amzRequired = []string{
		amzOrderID, amzItemID, amzPurchaseDate, amzSKU, amzQtyPurchased,
		amzRecipient, amzAddress1, amzCity, amzCountry,
	}
	amzOptional = []string{
		amzBuyerEmail, amzBuyerPhone, amzProductName, amzQtyToShip, amzItemPrice,
		amzServiceLevel, amzAddress2, amzAddress3, amzState, amzPostalCode, amzShipPhone,
	}
	// amzTexts are the text columns an order's fields come from, with the
	// limits OrderInput.Validate sets on those fields: checking them per
	// row lets the error name the column. The phone columns are checked
	// where one of them is chosen.
	amzTexts = []struct {
		col   string
		limit int
	}{
		{amzOrderID, oms.MaxIDLen},
		{amzItemID, oms.MaxIDLen},
		{amzSKU, oms.MaxSKULen},
		{amzProductName, oms.MaxTitleLen},
		{amzBuyerEmail, oms.MaxEmailLen},
		{amzServiceLevel, oms.MaxIDLen},
		{amzRecipient, oms.MaxAddressLineLen},
		{amzAddress1, oms.MaxAddressLineLen},
		{amzAddress2, oms.MaxAddressLineLen},
		{amzAddress3, oms.MaxAddressLineLen},
		{amzCity, oms.MaxCityLen},
		{amzState, oms.MaxCityLen},
		{amzPostalCode, oms.MaxPostalCodeLen},
	}
	// amzOrderColumns hold the same value on every row of one order.
	amzOrderColumns = []string{
		amzPurchaseDate, amzBuyerEmail, amzBuyerPhone, amzServiceLevel, amzRecipient,
		amzAddress1, amzAddress2, amzAddress3, amzCity, amzState, amzPostalCode,
		amzCountry, amzShipPhone,
	}
)

// AmazonOrders reads an Amazon seller order report: the tab-separated
// flat-file order report or the unshipped orders report, one row per order
// item. The header needs order-id, order-item-id, purchase-date, sku,
// quantity-purchased, recipient-name, ship-address-1, ship-city and
// ship-country; other columns are read when present and unknown ones are
// ignored.
//
// Rows are grouped into orders by order-id, in the order each id first
// appears; the rows of one order need not be adjacent but must agree on the
// order's date, buyer, service level, recipient, address and phone. Each
// order has Channel "amazon", ChannelOrderID from order-id, PlacedAt from
// purchase-date (RFC 3339), ServiceLevel from ship-service-level and
// BuyerEmail from buyer-email. ShipTo comes from recipient-name, the
// ship-address lines (empty ones are closed up, as Amazon sometimes leaves
// ship-address-1 empty), ship-city, ship-state, ship-postal-code,
// ship-country (upper-cased) and ship-phone-number, or buyer-phone-number
// when that is empty.
//
// Each line has ChannelLineID from order-item-id, SKU, Title from
// product-name and Qty from quantity-to-ship when the report has it, else
// quantity-purchased. A line with nothing to ship is left out, and so is an
// order left with no lines. PriceCents is item-price, the line total; when
// fewer items are to be shipped than were bought it is scaled down to them,
// rounded to the nearest cent. Reports without item-price give 0.
//
// Quantities are at most 100000 and item-price at most 100000000.00. Every
// text column is held to the limit OrderInput.Validate sets on the field it
// fills (recipient-name at most 100 characters, for one), and every order
// passes OrderInput.Validate. It returns an error wrapping an *oms.Error
// with code EInvalid that names the row, column and value of the first bad
// row, or names the missing column; for a rule only Validate checks, such
// as at most oms.MaxOrderLines lines, it names the order's first row.
func AmazonOrders(r io.Reader) ([]oms.OrderInput, error) {
	const op = "import amazon orders"
	data, err := readInput(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	orders, err := amazonOrdersFrom(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return orders, nil
}

// amazonOrdersFrom parses the bytes of an Amazon order report.
func amazonOrdersFrom(data []byte) ([]oms.OrderInput, error) {
	t, err := parseTSV(data)
	if err != nil {
		return nil, err
	}
	if err := t.check(amzRequired, amzOptional); err != nil {
		return nil, err
	}

	g := amzGrouper{byID: map[string]*amzOrder{}, items: firstSeen{}}
	for _, rec := range t.rows {
		if err := g.add(rec); err != nil {
			return nil, err
		}
	}
	return g.orders()
}

// amzGrouper collects the rows of a report into orders.
type amzGrouper struct {
	byID  map[string]*amzOrder
	seq   []*amzOrder // in order of first appearance
	items firstSeen   // order-item-id -> row
}

// amzOrder is an order being assembled and the row it started on.
type amzOrder struct {
	first record
	order oms.OrderInput
}

// add puts one row into its order, starting the order if it is new.
func (g *amzGrouper) add(rec record) error {
	for _, c := range amzTexts {
		if err := rec.checkText(c.col, rec.get(c.col), c.limit); err != nil {
			return err
		}
	}
	id := rec.get(amzOrderID)
	if id == "" {
		return rec.errorf(amzOrderID, "required")
	}

	o, seen := g.byID[id]
	if !seen {
		order, err := amzOrderHeader(rec)
		if err != nil {
			return err
		}
		o = &amzOrder{first: rec, order: order}
		g.byID[id] = o
		g.seq = append(g.seq, o)
	} else if err := o.sameOrder(rec); err != nil {
		return err
	}

	line, keep, err := amzLine(rec)
	if err != nil {
		return err
	}
	if err := g.items.claimOnce(rec, amzItemID, line.ChannelLineID); err != nil {
		return err
	}
	if keep {
		o.order.Lines = append(o.order.Lines, line)
	}
	return nil
}

// orders returns the orders that have lines left, each validated.
func (g *amzGrouper) orders() ([]oms.OrderInput, error) {
	out := make([]oms.OrderInput, 0, len(g.seq))
	for _, o := range g.seq {
		if len(o.order.Lines) == 0 {
			continue
		}
		// The row checks already enforce Validate's rules; calling it keeps
		// this importer from drifting away from what the API accepts.
		if err := o.order.Validate(); err != nil {
			return nil, fmt.Errorf("row %d, order %q: %w", o.first.line, o.order.ChannelOrderID, err)
		}
		out = append(out, o.order)
	}
	return out, nil
}

// sameOrder checks that a later row of an order repeats its order-level
// fields.
func (o *amzOrder) sameOrder(rec record) error {
	for _, col := range amzOrderColumns {
		if got, want := rec.get(col), o.first.get(col); got != want {
			return rec.bad(col, "differs from %q on row %d of the same order", want, o.first.line)
		}
	}
	return nil
}

// amzOrderHeader reads the order-level fields from an order's first row.
func amzOrderHeader(rec record) (oms.OrderInput, error) {
	placed, err := time.Parse(time.RFC3339, rec.get(amzPurchaseDate))
	if err != nil {
		return oms.OrderInput{}, rec.bad(amzPurchaseDate,
			"is not an RFC 3339 time such as 2026-11-02T09:14:05+00:00")
	}
	shipTo, err := amzAddress(rec)
	if err != nil {
		return oms.OrderInput{}, err
	}

	return oms.OrderInput{
		Channel:        amazonChannel,
		ChannelOrderID: rec.get(amzOrderID),
		PlacedAt:       placed,
		ServiceLevel:   rec.get(amzServiceLevel),
		BuyerEmail:     rec.get(amzBuyerEmail),
		ShipTo:         shipTo,
	}, nil
}

// amzAddress reads the ship-to address of a row.
func amzAddress(rec record) (oms.Address, error) {
	var lines []string
	for _, col := range []string{amzAddress1, amzAddress2, amzAddress3} {
		if v := rec.get(col); v != "" {
			lines = append(lines, v)
		}
	}
	lines = append(lines, "", "", "")

	a := oms.Address{
		Name:       rec.get(amzRecipient),
		Line1:      lines[0],
		Line2:      lines[1],
		Line3:      lines[2],
		City:       rec.get(amzCity),
		State:      rec.get(amzState),
		PostalCode: rec.get(amzPostalCode),
		Country:    strings.ToUpper(rec.get(amzCountry)),
		Phone:      rec.get(amzShipPhone),
	}
	phoneCol := amzShipPhone
	if a.Phone == "" {
		a.Phone, phoneCol = rec.get(amzBuyerPhone), amzBuyerPhone
	}
	if err := rec.checkText(phoneCol, a.Phone, oms.MaxPhoneLen); err != nil {
		return a, err
	}

	switch {
	case a.Name == "":
		return a, rec.errorf(amzRecipient, "required")
	case a.Line1 == "":
		return a, rec.errorf(amzAddress1, "required (or ship-address-2)")
	case a.City == "":
		return a, rec.errorf(amzCity, "required")
	case !isLetters(a.Country, 2):
		return a, rec.bad(amzCountry, "is not a 2-letter ISO country code")
	}
	return a, nil
}

// amzLine reads the item of a row; keep is false when nothing of it is left
// to ship.
func amzLine(rec record) (line oms.OrderLineInput, keep bool, err error) {
	line = oms.OrderLineInput{
		ChannelLineID: rec.get(amzItemID),
		SKU:           rec.get(amzSKU),
		Title:         rec.get(amzProductName),
	}
	switch {
	case line.ChannelLineID == "":
		return line, false, rec.errorf(amzItemID, "required")
	case line.SKU == "":
		return line, false, rec.errorf(amzSKU, "required")
	}

	v := rec.get(amzQtyPurchased)
	purchased, err := parseCount(v, maxOrderQty)
	if err != nil {
		return line, false, rec.reject(amzQtyPurchased, v, err)
	}
	if line.Qty, err = amzQtyToFulfil(rec, purchased); err != nil || line.Qty == 0 {
		return line, false, err
	}

	total, err := optionalCents(rec, amzItemPrice)
	if err != nil {
		return line, false, err
	}
	line.PriceCents = scaleCents(total, line.Qty, purchased)
	return line, true, nil
}

// amzQtyToFulfil returns quantity-to-ship when the report has a value for
// it, else the quantity purchased.
func amzQtyToFulfil(rec record, purchased int64) (int64, error) {
	v := rec.get(amzQtyToShip)
	if v == "" {
		return purchased, nil
	}
	n, err := parseCount(v, maxOrderQty)
	if err != nil {
		return 0, rec.reject(amzQtyToShip, v, err)
	}
	if n > purchased {
		return 0, rec.bad(amzQtyToShip, "is more than the %d purchased", purchased)
	}
	return n, nil
}

// scaleCents returns total*qty/of rounded half up, without overflow; of must
// be at least qty and qty at least 1.
func scaleCents(total, qty, of int64) int64 {
	if qty == of {
		return total
	}
	hi, lo := bits.Mul64(uint64(total), uint64(qty))
	lo, carry := bits.Add64(lo, uint64(of)/2, 0)
	q, _ := bits.Div64(hi+carry, lo, uint64(of))
	return int64(q)
}

// Orders reads an order file in any format it knows, chosen by the header.
// For now that is Amazon's tab-separated order reports, recognised by the
// order-id and sku columns (see AmazonOrders). Any other header is an
// EInvalid error saying what was expected; other errors are those of the
// chosen parser.
func Orders(r io.Reader) ([]oms.OrderInput, error) {
	const op = "import orders"
	data, err := readInput(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}

	header := strings.Split(strings.TrimRight(firstLine(data), "\r"), "\t")
	if !containsAll(header, amzOrderID, amzSKU) {
		return nil, fmt.Errorf("%s: %w", op, invalid("unknown order file format: "+
			`expected an Amazon order report (tab-separated, with columns "order-id" and "sku")`))
	}
	orders, err := amazonOrdersFrom(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return orders, nil
}

// firstLine returns the first non-empty line of data.
func firstLine(data []byte) string {
	for l := range strings.Lines(string(data)) {
		if l = strings.TrimRight(l, "\r\n"); l != "" {
			return l
		}
	}
	return ""
}

// containsAll reports whether every name is among the trimmed cells.
func containsAll(cells []string, names ...string) bool {
	have := make(map[string]bool, len(cells))
	for _, c := range cells {
		have[strings.TrimSpace(c)] = true
	}
	for _, n := range names {
		if !have[n] {
			return false
		}
	}
	return true
}
