package imports

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

const (
	amzFlatFile  = "../../../shared/data/orders/amazon/flat-file-orders-layout_synthetic.tsv"
	amzUnshipped = "../../../shared/data/orders/amazon/unshipped-orders-layout_synthetic.tsv"
)

// amzOrder2 is order 111-0000002-0000002 of the flat file, without PlacedAt.
var amzOrder2 = oms.OrderInput{
	Channel:        "amazon",
	ChannelOrderID: "111-0000002-0000002",
	ServiceLevel:   "Expedited",
	BuyerEmail:     "buyer2@example.com",
	ShipTo: oms.Address{
		Name:       "Test Recipient Two",
		Line1:      "200 Sample Ave",
		Line2:      "Apt 4",
		City:       "Portland",
		State:      "OR",
		PostalCode: "97201",
		Country:    "US",
	},
	Lines: []oms.OrderLineInput{
		{ChannelLineID: "10000000000002", SKU: "woo-beanie", Title: "Beanie", Qty: 2, PriceCents: 3600},
		{ChannelLineID: "10000000000003", SKU: "woo-cap", Title: "Cap", Qty: 1, PriceCents: 1600},
	},
}

// readOrders parses a file with AmazonOrders.
func readOrders(t *testing.T, path string) []oms.OrderInput {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	orders, err := AmazonOrders(f)
	if err != nil {
		t.Fatalf("AmazonOrders: %v", err)
	}
	return orders
}

// orderIDs lists the channel order ids in order.
func orderIDs(orders []oms.OrderInput) []string {
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = o.ChannelOrderID
	}
	return ids
}

// withoutTime returns o with a zero PlacedAt, for comparing the rest.
func withoutTime(o oms.OrderInput) oms.OrderInput {
	o.PlacedAt = time.Time{}
	return o
}

func TestAmazonOrdersFlatFile(t *testing.T) {
	orders := readOrders(t, amzFlatFile)

	want := []string{"111-0000001-0000001", "111-0000002-0000002", "111-0000003-0000003"}
	if got := orderIDs(orders); !reflect.DeepEqual(got, want) {
		t.Fatalf("orders = %q, want %q", got, want)
	}
	lines := 0
	for _, o := range orders {
		lines += len(o.Lines)
	}
	if lines != 4 {
		t.Errorf("%d lines, want 4", lines)
	}

	if got := withoutTime(orders[1]); !reflect.DeepEqual(got, amzOrder2) {
		t.Errorf("order 2 = %+v\nwant %+v", got, amzOrder2)
	}
	placed := time.Date(2026, 11, 2, 10, 2, 41, 0, time.UTC)
	if !orders[1].PlacedAt.Equal(placed) {
		t.Errorf("order 2 placed at %v, want %v", orders[1].PlacedAt, placed)
	}

	first, third := orders[0], orders[2]
	if first.ShipTo.Phone != "+1 555-010-0001" || first.Lines[0].PriceCents != 4500 {
		t.Errorf("order 1 phone, cents = %q, %d", first.ShipTo.Phone, first.Lines[0].PriceCents)
	}
	wantTo := oms.Address{
		Name: "Test Recipient Three", Line1: "300 Demo Road", City: "Austin",
		State: "TX", PostalCode: "73301", Country: "US",
	}
	if third.ShipTo != wantTo {
		t.Errorf("order 3 ship to %+v, want %+v (delivery instructions are no address line)",
			third.ShipTo, wantTo)
	}
}

func TestAmazonOrdersUnshipped(t *testing.T) {
	orders := readOrders(t, amzUnshipped)

	want := []oms.OrderInput{
		{
			Channel: "amazon", ChannelOrderID: "111-0000002-0000002", ServiceLevel: "Expedited",
			BuyerEmail: "buyer2@example.com", ShipTo: amzOrder2.ShipTo,
			Lines: []oms.OrderLineInput{
				{ChannelLineID: "10000000000002", SKU: "woo-beanie", Title: "Beanie", Qty: 2},
			},
		},
		{
			Channel: "amazon", ChannelOrderID: "111-0000004-0000004", ServiceLevel: "Standard",
			BuyerEmail: "buyer4@example.com",
			ShipTo: oms.Address{
				Name: "Receiving Dock", Line1: "400 Industrial Way", City: "Columbus",
				State: "OH", PostalCode: "43004", Country: "US",
			},
			Lines: []oms.OrderLineInput{
				{ChannelLineID: "10000000000005", SKU: "woo-belt", Title: "Belt", Qty: 10},
			},
		},
	}
	if len(orders) != len(want) {
		t.Fatalf("orders = %q, want 2", orderIDs(orders))
	}
	for i := range want {
		if got := withoutTime(orders[i]); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("order %d = %+v\nwant %+v", i, got, want[i])
		}
	}
	if placed := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC); !orders[1].PlacedAt.Equal(placed) {
		t.Errorf("order 4 placed at %v, want %v", orders[1].PlacedAt, placed)
	}
}

func TestAmazonOrdersEdited(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		edit  func(t *testing.T, s sheet) sheet
		check func(t *testing.T, orders []oms.OrderInput) // nil when an error is wanted
		err   string
	}{
		{
			name: "rows of an order need not be adjacent",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				return sheet{s[0], s[2], s[1], s[4], s[3]}
			},
			check: func(t *testing.T, orders []oms.OrderInput) {
				want := []string{"111-0000002-0000002", "111-0000001-0000001", "111-0000003-0000003"}
				if got := orderIDs(orders); !reflect.DeepEqual(got, want) {
					t.Fatalf("orders = %q, want %q", got, want)
				}
				if got := withoutTime(orders[0]); !reflect.DeepEqual(got, amzOrder2) {
					t.Errorf("order 2 = %+v", got)
				}
			},
		},
		{
			name: "windows line ends and byte order mark",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet { return s },
			check: func(t *testing.T, orders []oms.OrderInput) {
				if len(orders) != 3 || !reflect.DeepEqual(withoutTime(orders[1]), amzOrder2) {
					t.Errorf("got %+v", orders)
				}
			},
		},
		{
			name: "cancelled item dropped with its order",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 5, amzQtyPurchased, "0")
				return s
			},
			check: func(t *testing.T, orders []oms.OrderInput) {
				want := []string{"111-0000001-0000001", "111-0000002-0000002"}
				if got := orderIDs(orders); !reflect.DeepEqual(got, want) {
					t.Errorf("orders = %q, want %q", got, want)
				}
			},
		},
		{
			name: "order with nothing left to ship is dropped",
			file: amzUnshipped,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzQtyToShip, "0")
				return s
			},
			check: func(t *testing.T, orders []oms.OrderInput) {
				if got := orderIDs(orders); !reflect.DeepEqual(got, []string{"111-0000004-0000004"}) {
					t.Errorf("orders = %q", got)
				}
			},
		},
		{
			name: "price scaled to the quantity to ship",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s = s.addColumn(amzQtyToShip)
				s.set(t, 3, amzQtyPurchased, "3")
				s.set(t, 3, amzQtyToShip, "2")
				s.set(t, 3, amzItemPrice, "10.00")
				return s
			},
			check: func(t *testing.T, orders []oms.OrderInput) {
				l := orders[1].Lines[0]
				if l.Qty != 2 || l.PriceCents != 667 {
					t.Errorf("qty, cents = %d, %d; want 2, 667", l.Qty, l.PriceCents)
				}
			},
		},
		{
			name: "address lines closed up and buyer phone used",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 5, amzAddress1, "")
				s.set(t, 5, amzAddress2, "Suite 9")
				s.set(t, 5, amzAddress3, "300 Demo Road")
				s.set(t, 5, amzBuyerPhone, "+1 555-010-0003")
				s.set(t, 5, amzCountry, "us")
				return s
			},
			check: func(t *testing.T, orders []oms.OrderInput) {
				a := orders[2].ShipTo
				got := []string{a.Line1, a.Line2, a.Line3, a.Phone, a.Country}
				want := []string{"Suite 9", "300 Demo Road", "", "+1 555-010-0003", "US"}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got %q, want %q", got, want)
				}
			},
		},
		{
			name: "empty item price",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzItemPrice, "")
				return s
			},
			check: func(t *testing.T, orders []oms.OrderInput) {
				if got := orders[0].Lines[0].PriceCents; got != 0 {
					t.Errorf("cents = %d, want 0", got)
				}
			},
		},
		{
			name: "rows of one order disagree",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 4, amzCity, "Salem")
				return s
			},
			err: `row 4, column "ship-city": "Salem" differs from "Portland" on row 3 of the same order`,
		},
		{
			name: "bad purchase date",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzPurchaseDate, "02/11/2026 09:14")
				return s
			},
			err: `row 2, column "purchase-date": "02/11/2026 09:14" ` +
				`is not an RFC 3339 time such as 2026-11-02T09:14:05+00:00`,
		},
		{
			name: "bad quantity",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 5, amzQtyPurchased, "two")
				return s
			},
			err: `row 5, column "quantity-purchased": "two" is not a whole number of 0 or more`,
		},
		{
			name: "bad price",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 3, amzItemPrice, "36,00")
				return s
			},
			err: `row 3, column "item-price": "36,00" is not a price`,
		},
		{
			name: "more to ship than purchased",
			file: amzUnshipped,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 4, amzQtyToShip, "11")
				return s
			},
			err: `row 4, column "quantity-to-ship": "11" is more than the 10 purchased`,
		},
		{
			name: "three-letter country",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzCountry, "USA")
				return s
			},
			err: `row 2, column "ship-country": "USA" is not a 2-letter ISO country code`,
		},
		{
			name: "no address line",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzAddress1, " ")
				return s
			},
			err: `row 2, column "ship-address-1": required (or ship-address-2)`,
		},
		{
			name: "no sku",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 3, amzSKU, "")
				return s
			},
			err: `row 3, column "sku": required`,
		},
		{
			name: "no order id",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzOrderID, "")
				return s
			},
			err: `row 2, column "order-id": required`,
		},
		{
			name: "order item id twice",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 4, amzItemID, "10000000000002")
				return s
			},
			err: `row 4, column "order-item-id": "10000000000002" is also on row 3`,
		},
		{
			name: "order id too long",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzOrderID, strings.Repeat("1", 65))
				return s
			},
			err: `row 2, column "order-id": 65 characters, at most 64`,
		},
		{
			name: "recipient name too long",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 5, amzRecipient, strings.Repeat("N", 101))
				return s
			},
			err: `row 5, column "recipient-name": 101 characters, at most 100`,
		},
		{
			name: "control character in an address line",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 3, amzAddress2, "Apt\v4")
				return s
			},
			err: `row 3, column "ship-address-2": contains control character U+000B`,
		},
		{
			name: "buyer phone too long where it is used",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzBuyerPhone, strings.Repeat("5", 40)) // ship phone is set
				s.set(t, 5, amzBuyerPhone, strings.Repeat("5", 31))
				return s
			},
			err: `row 5, column "buyer-phone-number": 31 characters, at most 30`,
		},
		{
			name: "quantity purchased too large",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 4, amzQtyPurchased, "100001")
				return s
			},
			err: `row 4, column "quantity-purchased": 100001 is too large (at most 100000)`,
		},
		{
			name: "quantity to ship too large to parse",
			file: amzUnshipped,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 4, amzQtyToShip, "9223372036854775808")
				return s
			},
			err: `row 4, column "quantity-to-ship": 9223372036854775808 is too large (at most 100000)`,
		},
		{
			name: "item price too large",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 2, amzItemPrice, "100000000.01")
				return s
			},
			err: `row 2, column "item-price": 100000000.01 is too large (at most 100000000.00)`,
		},
		{
			name: "missing column",
			file: amzUnshipped,
			edit: func(t *testing.T, s sheet) sheet {
				s.set(t, 1, amzCity, "city")
				return s
			},
			err: `missing column "ship-city"; the header needs "order-id", "order-item-id", ` +
				`"purchase-date", "sku", "quantity-purchased", "recipient-name", ` +
				`"ship-address-1", "ship-city" and "ship-country"`,
		},
		{
			name: "short row",
			file: amzFlatFile,
			edit: func(t *testing.T, s sheet) sheet {
				s[2] = s[2][:28]
				return s
			},
			err: "row 3 has 28 columns but the header has 29",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.edit(t, readSheet(t, tt.file, '\t'))
			input := s.tsv()
			if strings.HasPrefix(tt.name, "windows") {
				input = windows(input)
			}
			orders, err := AmazonOrders(strings.NewReader(input))
			if tt.check == nil {
				if orders != nil {
					t.Errorf("got %d orders with the error", len(orders))
				}
				wantInvalid(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatalf("AmazonOrders: %v", err)
			}
			tt.check(t, orders)
		})
	}
}

// TestAmazonOrdersValidated checks that an order breaking a rule no row
// check covers is reported by OrderInput.Validate, with the order's row.
func TestAmazonOrdersValidated(t *testing.T) {
	s := readSheet(t, amzFlatFile, '\t')
	for i := range oms.MaxOrderLines {
		row := slices.Clone(s[1])
		row[s.col(t, amzItemID)] = fmt.Sprintf("2%013d", i)
		s = append(s, row)
	}

	orders, err := AmazonOrders(strings.NewReader(s.tsv()))
	if orders != nil {
		t.Errorf("got %d orders with the error", len(orders))
	}
	wantInvalid(t, err, "lines: 1001 lines, at most 1000")
	want := `import amazon orders: row 2, order "111-0000001-0000001": lines: 1001 lines, at most 1000`
	if got := oms.ErrorMessage(err); got != want {
		t.Errorf("message = %q\nwant      %q", got, want)
	}
}

func TestScaleCents(t *testing.T) {
	tests := []struct {
		name           string
		total, qty, of int64
		want           int64
	}{
		{"all", 3600, 2, 2, 3600},
		{"half", 3600, 1, 2, 1800},
		{"rounds down", 1000, 1, 3, 333},
		{"rounds up", 1000, 2, 3, 667},
		{"half cent rounds up", 1, 1, 2, 1},
		{"no overflow", 1 << 62, 3, 4, 3 << 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scaleCents(tt.total, tt.qty, tt.of); got != tt.want {
				t.Errorf("scaleCents(%d, %d, %d) = %d, want %d", tt.total, tt.qty, tt.of, got, tt.want)
			}
		})
	}
}
