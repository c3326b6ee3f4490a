package oms

import (
	"errors"
	"testing"
)

// validOrder returns an order that passes Validate.
func validOrder() OrderInput {
	return OrderInput{
		Channel:        "amazon",
		ChannelOrderID: "111-0000002-0000002",
		ShipTo: Address{
			Name:    "Test Recipient Two",
			Line1:   "200 Sample Ave",
			City:    "Portland",
			Country: "US",
		},
		Lines: []OrderLineInput{
			{ChannelLineID: "1", SKU: "woo-beanie", Qty: 2, PriceCents: 3600},
			{ChannelLineID: "2", SKU: "woo-cap", Qty: 1, PriceCents: 0},
		},
	}
}

func TestOrderInputValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(o *OrderInput)
		want   string // the *Error message; "" for a valid order
	}{
		{"valid", func(o *OrderInput) {}, ""},
		{"lines without channel line ids", func(o *OrderInput) {
			o.Lines[0].ChannelLineID, o.Lines[1].ChannelLineID = "", " "
		}, ""},
		{"channel and country are normalised", func(o *OrderInput) {
			o.Channel, o.ShipTo.Country = " web-shop_2 ", " gb"
		}, ""},
		{"no channel", func(o *OrderInput) { o.Channel = "  " }, "channel: required"},
		{"upper-case channel", func(o *OrderInput) { o.Channel = "Amazon" },
			`channel: "Amazon" must be lower-case letters, digits, "_" or "-"`},
		{"channel with a space", func(o *OrderInput) { o.Channel = "my shop" },
			`channel: "my shop" must be lower-case letters, digits, "_" or "-"`},
		{"no channel order id", func(o *OrderInput) { o.ChannelOrderID = "" },
			"channel_order_id: required"},
		{"no lines", func(o *OrderInput) { o.Lines = nil },
			"lines: an order needs at least one line"},
		{"line without sku", func(o *OrderInput) { o.Lines[1].SKU = "\t" },
			"lines[1].sku: required"},
		{"zero qty", func(o *OrderInput) { o.Lines[1].Qty = 0 },
			"lines[1].qty: 0 is not a positive quantity"},
		{"negative qty", func(o *OrderInput) { o.Lines[0].Qty = -3 },
			"lines[0].qty: -3 is not a positive quantity"},
		{"negative price", func(o *OrderInput) { o.Lines[0].PriceCents = -1 },
			"lines[0].price_cents: -1 is negative"},
		{"duplicate channel line id", func(o *OrderInput) { o.Lines[1].ChannelLineID = " 1" },
			`lines[1].channel_line_id: "1" repeats lines[0]`},
		{"no name", func(o *OrderInput) { o.ShipTo.Name = "" }, "ship_to.name: required"},
		{"no line1", func(o *OrderInput) { o.ShipTo.Line1 = " " }, "ship_to.line1: required"},
		{"no city", func(o *OrderInput) { o.ShipTo.City = "" }, "ship_to.city: required"},
		{"no country", func(o *OrderInput) { o.ShipTo.Country = "" }, "ship_to.country: required"},
		{"3-letter country", func(o *OrderInput) { o.ShipTo.Country = "usa" },
			`ship_to.country: "USA" is not a 2-letter ISO country code`},
		{"digit in country", func(o *OrderInput) { o.ShipTo.Country = "U1" },
			`ship_to.country: "U1" is not a 2-letter ISO country code`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOrder()
			tt.modify(&o)
			err := o.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}

			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate() = %v, want an *Error", err)
			}
			if e.Code != EInvalid || e.Message != tt.want {
				t.Errorf("Validate() = %s %q, want %s %q", e.Code, e.Message, EInvalid, tt.want)
			}
		})
	}
}

func TestOrderInputValidateTrims(t *testing.T) {
	o := validOrder()
	o.Channel = " shop "
	o.ChannelOrderID = "\t42\n"
	o.BuyerEmail = " a@example.com "
	o.ShipTo.Line2 = " Apt 4 "
	o.ShipTo.Country = "de "
	o.Lines[0].SKU = " woo-beanie "
	o.Lines[0].Title = " Beanie "

	if err := o.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}

	got := []string{
		o.Channel, o.ChannelOrderID, o.BuyerEmail, o.ShipTo.Line2, o.ShipTo.Country,
		o.Lines[0].SKU, o.Lines[0].Title,
	}
	want := []string{"shop", "42", "a@example.com", "Apt 4", "DE", "woo-beanie", "Beanie"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %q, want %q", i, got[i], want[i])
		}
	}
}
