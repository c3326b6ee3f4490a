package oms

import (
	"errors"
	"strings"
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
		{"long country is not repeated whole", func(o *OrderInput) {
			o.ShipTo.Country = strings.Repeat("x", 500)
		}, `ship_to.country: "` + strings.Repeat("X", 64) +
			`"... (500 characters) is not a 2-letter ISO country code`},

		{"every field at its limit", func(o *OrderInput) {
			o.Channel, o.ChannelOrderID = strings.Repeat("c", 64), strings.Repeat("9", 64)
			o.ServiceLevel, o.BuyerEmail = strings.Repeat("s", 64), strings.Repeat("e", 254)
			a := &o.ShipTo
			a.Name, a.Company = strings.Repeat("é", 100), strings.Repeat("C", 100)
			a.Line1, a.Line2 = strings.Repeat("1", 100), strings.Repeat("2", 100)
			a.Line3 = strings.Repeat("3", 100)
			a.City, a.State = strings.Repeat("ü", 60), strings.Repeat("S", 60)
			a.PostalCode, a.Phone = strings.Repeat("P", 20), strings.Repeat("5", 30)
			l := &o.Lines[0]
			l.ChannelLineID, l.SKU = strings.Repeat("L", 64), strings.Repeat("K", 64)
			l.Title = strings.Repeat("T", 200)
			o.Lines = append(o.Lines, make([]OrderLineInput, 998)...)
			for i := 2; i < len(o.Lines); i++ {
				o.Lines[i] = OrderLineInput{SKU: "woo-cap", Qty: 1}
			}
		}, ""},
		{"long name", func(o *OrderInput) { o.ShipTo.Name = strings.Repeat("n", 901) },
			"ship_to.name: 901 characters, at most 100"},
		{"long company", func(o *OrderInput) { o.ShipTo.Company = strings.Repeat("ß", 101) },
			"ship_to.company: 101 characters, at most 100"},
		{"long line1", func(o *OrderInput) { o.ShipTo.Line1 = strings.Repeat("1", 101) },
			"ship_to.line1: 101 characters, at most 100"},
		{"long line2", func(o *OrderInput) { o.ShipTo.Line2 = strings.Repeat("2", 101) },
			"ship_to.line2: 101 characters, at most 100"},
		{"long line3", func(o *OrderInput) { o.ShipTo.Line3 = strings.Repeat("3", 101) },
			"ship_to.line3: 101 characters, at most 100"},
		{"long city", func(o *OrderInput) { o.ShipTo.City = strings.Repeat("c", 61) },
			"ship_to.city: 61 characters, at most 60"},
		{"long state", func(o *OrderInput) { o.ShipTo.State = strings.Repeat("s", 61) },
			"ship_to.state: 61 characters, at most 60"},
		{"long postal code", func(o *OrderInput) { o.ShipTo.PostalCode = strings.Repeat("9", 21) },
			"ship_to.postal_code: 21 characters, at most 20"},
		{"long phone", func(o *OrderInput) { o.ShipTo.Phone = strings.Repeat("5", 31) },
			"ship_to.phone: 31 characters, at most 30"},
		{"long channel", func(o *OrderInput) { o.Channel = strings.Repeat("c", 65) },
			"channel: 65 characters, at most 64"},
		{"long channel order id", func(o *OrderInput) { o.ChannelOrderID = strings.Repeat("1", 65) },
			"channel_order_id: 65 characters, at most 64"},
		{"long service level", func(o *OrderInput) { o.ServiceLevel = strings.Repeat("s", 65) },
			"ship_service_level: 65 characters, at most 64"},
		{"long buyer email", func(o *OrderInput) { o.BuyerEmail = strings.Repeat("e", 255) },
			"buyer_email: 255 characters, at most 254"},
		{"long channel line id", func(o *OrderInput) { o.Lines[1].ChannelLineID = strings.Repeat("7", 65) },
			"lines[1].channel_line_id: 65 characters, at most 64"},
		{"long sku", func(o *OrderInput) { o.Lines[0].SKU = strings.Repeat("k", 65) },
			"lines[0].sku: 65 characters, at most 64"},
		{"long title", func(o *OrderInput) { o.Lines[1].Title = strings.Repeat("t", 201) },
			"lines[1].title: 201 characters, at most 200"},
		{"too many lines", func(o *OrderInput) {
			o.Lines = make([]OrderLineInput, 1001)
		}, "lines: 1001 lines, at most 1000"},

		{"control characters at the ends are trimmed", func(o *OrderInput) {
			o.ShipTo.Name, o.Lines[0].Title = "\tTest Recipient Two\r\n", "\vBeanie\f"
		}, ""},
		{"NUL in name", func(o *OrderInput) { o.ShipTo.Name = "Test\x00Two" },
			"ship_to.name: contains control character U+0000"},
		{"line break in line2", func(o *OrderInput) { o.ShipTo.Line2 = "Apt 4\nBack door" },
			"ship_to.line2: contains control character U+000A"},
		{"escape in buyer email", func(o *OrderInput) { o.BuyerEmail = "a\x1b@example.com" },
			"buyer_email: contains control character U+001B"},
		{"tab in sku", func(o *OrderInput) { o.Lines[1].SKU = "woo\tcap" },
			"lines[1].sku: contains control character U+0009"},
		{"DEL in title", func(o *OrderInput) { o.Lines[0].Title = "Bea\x7fnie" },
			"lines[0].title: contains control character U+007F"},
		{"C1 control in city", func(o *OrderInput) { o.ShipTo.City = "Port\u0085land" },
			"ship_to.city: contains control character U+0085"},
		{"group separator in channel order id", func(o *OrderInput) { o.ChannelOrderID = "111\x1d2" },
			"channel_order_id: contains control character U+001D"},
		{"Latin-1 city", func(o *OrderInput) { o.ShipTo.City = "K\xf6ln" },
			"ship_to.city: not valid UTF-8"},
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

func TestAddressValidate(t *testing.T) {
	tests := []struct {
		name string
		addr Address
		want string // the *Error message; "" for a valid address
	}{
		{"complete", Address{Name: "Shipshape Ltd", Line1: "1 Dock Rd", City: "Leeds", Country: "gb"}, ""},
		{"name under the path", Address{Name: strings.Repeat("W", 120), Line1: "1 Dock Rd", City: "Leeds",
			Country: "GB"}, "warehouse.name: 120 characters, at most 100"},
		{"phone under the path", Address{Name: "W", Line1: "1 Dock Rd", City: "Leeds", Country: "GB",
			Phone: "+44\n113"}, "warehouse.phone: contains control character U+000A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.addr.Validate("warehouse")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if ErrorCode(err) != EInvalid || err.Error() != tt.want {
				t.Errorf("Validate() = %s %q, want %s %q", ErrorCode(err), err, EInvalid, tt.want)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  string // the error's message; "" for nil
	}{
		{"empty", "", 5, ""},
		{"at the limit in runes", "ÄÖÜßé", 5, ""},
		{"over the limit", "ÄÖÜßéè", 5, "6 characters, at most 5"},
		{"space and symbols", "A & B, \"Ltd\" №5", 20, ""},
		{"tab", "a\tb", 5, "contains control character U+0009"},
		{"carriage return", "a\r", 5, "contains control character U+000D"},
		{"DEL", "\x7f", 5, "contains control character U+007F"},
		{"C1 control", "a\u009bb", 5, "contains control character U+009B"},
		{"not UTF-8", "caf\xe9", 5, "not valid UTF-8"},
		{"control before length", strings.Repeat("a", 9) + "\n", 5, "contains control character U+000A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if err := CheckText(tt.in, tt.limit); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("CheckText(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
		})
	}
}

func TestIsToteCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"TOTE-01", true},
		{"tote-01", true},
		{"Tote-", true},
		{"TOTE01", false},
		{"TOT", false},
		{"A-TOTE-01", false},
		{"", false},
		{"TÖTE-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := IsToteCode(tt.code); got != tt.want {
				t.Errorf("IsToteCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}
