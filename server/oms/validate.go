package oms

import (
	"fmt"
	"strings"
)

// Validate trims every text field of the order in place, upper-cases the
// ship-to country, and checks that the order can be stored and shipped:
//
//   - channel and channel_order_id are required; channel is lower-case
//     letters, digits, "_" and "-";
//   - there is at least one line; every line has a sku, a qty of at least 1
//     and a price_cents of at least 0; no two lines share a non-empty
//     channel_line_id;
//   - ship_to has a name, line1, city and a 2-letter ISO 3166-1 country.
//
// It returns the first problem found as an *Error with code EInvalid whose
// message starts with the JSON path of the field (lines are counted from 0)
// and quotes the offending value, e.g. `lines[2].qty: 0 is not a positive
// quantity`.
func (o *OrderInput) Validate() error {
	o.trimFields()

	if err := o.validateChannel(); err != nil {
		return err
	}
	if err := o.ShipTo.Validate("ship_to"); err != nil {
		return err
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
	switch {
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

// Validate trims the address and checks the fields a courier label cannot do
// without. Errors are EInvalid and name the field under path, e.g.
// `ship_to.country: "USA" is not a 2-letter ISO country code`.
func (a *Address) Validate(path string) error {
	a.trimFields()
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
			"%q is not a 2-letter ISO country code", a.Country)
	}
	return nil
}

// validateLines checks each line and that channel line ids are unique.
func (o *OrderInput) validateLines() error {
	if len(o.Lines) == 0 {
		return orderFieldError("lines", "an order needs at least one line")
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
	switch {
	case l.SKU == "":
		return orderFieldError(path+".sku", "required")
	case l.Qty < 1:
		return orderFieldError(path+".qty", "%d is not a positive quantity", l.Qty)
	case l.PriceCents < 0:
		return orderFieldError(path+".price_cents", "%d is negative", l.PriceCents)
	}
	return nil
}

// orderFieldError returns an EInvalid error about the field at path.
func orderFieldError(path, format string, args ...any) *Error {
	return Errorf(EInvalid, "%s: %s", path, fmt.Sprintf(format, args...))
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
