package oms

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shipshape-oms/shipshape/labels"
)

// Longest values, in characters (runes, not bytes), of the text fields that
// are stored and printed, so that no field can grow without bound and an
// error never has to repeat a huge value.
//
// The limits alone do not make every address fit a 4x6 inch label (lines
// wrap at 35 characters), so Validate also asks the label layout.
const (
	MaxAddressLineLen = 100 // ship-to name, company and line1 to line3
	MaxCityLen        = 60  // city and state
	MaxPostalCodeLen  = 20
	MaxPhoneLen       = 30
	MaxIDLen          = 64 // channel, channel_order_id, channel_line_id, ship_service_level
	MaxEmailLen       = 254
	MaxSKULen         = 64
	MaxTitleLen       = 200
	MaxDescriptionLen = 20000
	MaxBinLen         = 32
)

// Other limits on what an order or a product may hold.
const (
	MaxOrderLines = 1000 // lines of one order
	MaxBarcodes   = 20   // barcodes of one product
)

// TotePrefix starts the code of every tote label. A scanned code that starts
// with it, in any case, is taken for a tote, so no SKU or bin code may.
const TotePrefix = "TOTE-"

// IsToteCode reports whether code starts with TotePrefix, ignoring case.
func IsToteCode(code string) bool {
	return len(code) >= len(TotePrefix) && strings.EqualFold(code[:len(TotePrefix)], TotePrefix)
}

// CheckText returns an error when s cannot be a one-line text field of at
// most limit characters: it is not valid UTF-8, it holds a control character
// (U+0000 to U+001F, U+007F to U+009F, which includes tabs and line breaks),
// or it is longer. The error message is a phrase to put after the field's
// name, such as "901 characters, at most 100"; it never repeats s. It
// returns nil for a text that fits.
func CheckText(s string, limit int) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("contains control character %U", r)
		}
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return fmt.Errorf("%d characters, at most %d", n, limit)
	}
	return nil
}

// Validate trims every text field of the order in place, upper-cases the
// ship-to country, and checks that the order can be stored and shipped:
//
//   - channel and channel_order_id are required; channel is lower-case
//     letters, digits, "_" and "-";
//   - every text field passes CheckText with its limit: channel,
//     channel_order_id, ship_service_level and each channel_line_id at most
//     MaxIDLen characters, buyer_email MaxEmailLen, sku MaxSKULen, title
//     MaxTitleLen, and the ship_to fields as Address.Validate says;
//   - there are 1 to MaxOrderLines lines; every line has a sku, a qty of at
//     least 1 and a price_cents of at least 0; no two lines share a
//     non-empty channel_line_id;
//   - ship_to has a name, line1, city and a 2-letter ISO 3166-1 country.
//
// It returns the first problem found as an *Error with code EInvalid whose
// message starts with the JSON path of the field (lines are counted from 0)
// and quotes the offending value when it is short, e.g. `lines[2].qty: 0 is
// not a positive quantity` or `ship_to.name: 901 characters, at most 100`.
func (o *OrderInput) Validate() error {
	o.trimFields()

	if err := o.validateChannel(); err != nil {
		return err
	}
	err := checkTexts(
		textField{"ship_service_level", o.ServiceLevel, MaxIDLen},
		textField{"buyer_email", o.BuyerEmail, MaxEmailLen},
	)
	if err != nil {
		return err
	}
	if err := o.ShipTo.Validate("ship_to"); err != nil {
		return err
	}
	// Refused now, at intake, rather than at the packing bench after the
	// order was picked: the label must be printable.
	if err := labels.CheckShipTo(o.ShipTo.Label()); err != nil {
		var inv *labels.InvalidError
		if errors.As(err, &inv) {
			return orderFieldError("ship_to", "%s", inv.Reason)
		}
		return orderFieldError("ship_to", "%v", err)
	}
	return o.validateLines()
}

// trimFields removes surrounding white space from every text field.
func (o *OrderInput) trimFields() {
	for _, s := range []*string{&o.Channel, &o.ChannelOrderID, &o.ServiceLevel, &o.BuyerEmail} {
		*s = strings.TrimSpace(*s)
	}

	o.ShipTo.trimFields()

	for i := range o.Lines {
		l := &o.Lines[i]
		l.ChannelLineID = strings.TrimSpace(l.ChannelLineID)
		l.SKU = strings.TrimSpace(l.SKU)
		l.Title = strings.TrimSpace(l.Title)
	}
}

// validateChannel checks the fields that make the order idempotent.
func (o *OrderInput) validateChannel() error {
	err := checkTexts(
		textField{"channel", o.Channel, MaxIDLen},
		textField{"channel_order_id", o.ChannelOrderID, MaxIDLen},
	)
	switch {
	case err != nil:
		return err
	case o.Channel == "":
		return orderFieldError("channel", "required")
	case !isChannelName(o.Channel):
		return orderFieldError("channel",
			"%q must be lower-case letters, digits, \"_\" or \"-\"", o.Channel)
	case o.ChannelOrderID == "":
		return orderFieldError("channel_order_id", "required")
	}
	return nil
}

// trimFields removes surrounding white space and upper-cases the country.
func (a *Address) trimFields() {
	for _, s := range []*string{
		&a.Name, &a.Company, &a.Line1, &a.Line2, &a.Line3,
		&a.City, &a.State, &a.PostalCode, &a.Country, &a.Phone,
	} {
		*s = strings.TrimSpace(*s)
	}
	a.Country = strings.ToUpper(a.Country)
}

// Validate trims the address and checks that it fits on a courier label:
// name, line1, city and country are required; name, company and line1 to
// line3 are at most MaxAddressLineLen characters, city and state
// MaxCityLen, postal_code MaxPostalCodeLen and phone MaxPhoneLen, and none
// holds a control character (see CheckText); country is a 2-letter ISO
// 3166-1 code. Errors are EInvalid and name the field under path, e.g.
// `ship_to.country: "USA" is not a 2-letter ISO country code`.
func (a *Address) Validate(path string) error {
	a.trimFields()
	err := checkTexts(
		textField{path + ".name", a.Name, MaxAddressLineLen},
		textField{path + ".company", a.Company, MaxAddressLineLen},
		textField{path + ".line1", a.Line1, MaxAddressLineLen},
		textField{path + ".line2", a.Line2, MaxAddressLineLen},
		textField{path + ".line3", a.Line3, MaxAddressLineLen},
		textField{path + ".city", a.City, MaxCityLen},
		textField{path + ".state", a.State, MaxCityLen},
		textField{path + ".postal_code", a.PostalCode, MaxPostalCodeLen},
		textField{path + ".phone", a.Phone, MaxPhoneLen},
	)
	if err != nil {
		return err
	}

	required := []struct{ field, value string }{
		{"name", a.Name},
		{"line1", a.Line1},
		{"city", a.City},
		{"country", a.Country},
	}
	for _, f := range required {
		if f.value == "" {
			return orderFieldError(path+"."+f.field, "required")
		}
	}

	if !isCountryCode(a.Country) {
		return orderFieldError(path+".country",
			"%s is not a 2-letter ISO country code", QuoteShort(a.Country))
	}
	return nil
}

// validateLines checks each line and that channel line ids are unique.
func (o *OrderInput) validateLines() error {
	switch n := len(o.Lines); {
	case n == 0:
		return orderFieldError("lines", "an order needs at least one line")
	case n > MaxOrderLines:
		return orderFieldError("lines", "%d lines, at most %d", n, MaxOrderLines)
	}

	seen := make(map[string]int, len(o.Lines))
	for i, l := range o.Lines {
		if err := validateLine(i, l); err != nil {
			return err
		}
		if l.ChannelLineID == "" {
			continue
		}
		if j, dup := seen[l.ChannelLineID]; dup {
			return orderFieldError(fmt.Sprintf("lines[%d].channel_line_id", i),
				"%q repeats lines[%d]", l.ChannelLineID, j)
		}
		seen[l.ChannelLineID] = i
	}
	return nil
}

// validateLine checks one line; i is its index, used in the field path.
func validateLine(i int, l OrderLineInput) error {
	path := fmt.Sprintf("lines[%d]", i)
	err := checkTexts(
		textField{path + ".channel_line_id", l.ChannelLineID, MaxIDLen},
		textField{path + ".sku", l.SKU, MaxSKULen},
		textField{path + ".title", l.Title, MaxTitleLen},
	)
	switch {
	case err != nil:
		return err
	case l.SKU == "":
		return orderFieldError(path+".sku", "required")
	case l.Qty < 1:
		return orderFieldError(path+".qty", "%d is not a positive quantity", l.Qty)
	case l.PriceCents < 0:
		return orderFieldError(path+".price_cents", "%d is negative", l.PriceCents)
	}
	return nil
}

// textField is a text field of an order, its JSON path and its limit.
type textField struct {
	path  string
	value string
	limit int
}

// checkTexts returns an error naming the first field that fails CheckText.
func checkTexts(fields ...textField) error {
	for _, f := range fields {
		if err := CheckText(f.value, f.limit); err != nil {
			return orderFieldError(f.path, "%v", err)
		}
	}
	return nil
}

// orderFieldError returns an EInvalid error about the field at path.
func orderFieldError(path, format string, args ...any) *Error {
	return Errorf(EInvalid, "%s: %s", path, fmt.Sprintf(format, args...))
}

// maxQuoted is the longest value, in characters, that an error message
// quotes whole.
const maxQuoted = 64

// QuoteShort quotes s like %q, or only its first 64 characters and its
// length when it is longer, so that an error never repeats a huge value.
func QuoteShort(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= maxQuoted {
		return strconv.Quote(s)
	}
	end := 0
	for range maxQuoted {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	return fmt.Sprintf("%q... (%d characters)", s[:end], n)
}

// isChannelName reports whether s is made of a-z, 0-9, "_" and "-" only.
func isChannelName(s string) bool {
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return s != ""
}

// isCountryCode reports whether s is two upper-case ASCII letters.
func isCountryCode(s string) bool {
	return len(s) == 2 &&
		s[0] >= 'A' && s[0] <= 'Z' &&
		s[1] >= 'A' && s[1] <= 'Z'
}
