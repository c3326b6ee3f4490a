package oms

import (
	"time"

	"github.com/shipshape-oms/shipshape/labels"
)

// Product is a catalogue item. Stock is kept only for products that are
// Stocked; a variable parent, a virtual or downloadable product and an
// external (affiliate) product are catalogue entries nobody picks.
type Product struct {
	SKU         string   `json:"sku"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	PriceCents  int64    `json:"price_cents"` // price in the smallest currency unit; 0 when unknown
	Currency    string   `json:"currency"`
	Stocked     bool     `json:"stocked"`
	ParentSKU   string   `json:"parent_sku,omitempty"` // for variations: the variable parent's SKU
	Barcodes    []string `json:"barcodes"`             // GTIN-14 keys (see labels.NormalizeGTIN) or internal codes
	Images      []string `json:"images"`               // URLs
	Bin         string   `json:"bin,omitempty"`        // optional default bin from a catalogue import

	// Packs lists barcodes with the units each stands for. On input only
	// cases need listing: a code of Barcodes missing here is one unit.
	Packs []Pack `json:"packs"`
	// Components makes the product a bundle of other products; a bundle
	// is not stocked itself.
	Components []Component `json:"components,omitempty"`

	// Row is the line of the source file the product starts on, counting
	// from 1 (a header on the first line is line 1), so that errors found
	// later can name it; 0 when the product does not come from a file.
	Row int `json:"-"`
}

// Pack is a barcode and the number of units of its product it stands for:
// 1 for a single item, 12 for a case of twelve.
type Pack struct {
	Code  string `json:"code"`
	Units int64  `json:"units"`
}

// Component is a product in a bundle and how many of it one bundle holds.
type Component struct {
	SKU string `json:"sku"`
	Qty int64  `json:"qty"`
}

// StockRow is one line of a stock import: set the on-hand quantity of a SKU in
// a bin.
type StockRow struct {
	SKU string
	Bin string
	Qty int64

	// Lot is the lot the row sets the stock of, '' for stock without one;
	// Expiry is its expiry date, YYYY-MM-DD, or '' (none, or as recorded).
	Lot, Expiry string

	// Row is the line of the source file the row starts on, counting from 1
	// (a header on the first line is line 1); 0 when it is not from a file.
	Row int `json:"-"`
}

// Address is a postal address as a courier label needs it.
type Address struct {
	Name       string `json:"name"`
	Company    string `json:"company"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	Line3      string `json:"line3"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2
	Phone      string `json:"phone"`
}

// Label returns the address as the label package prints it.
func (a Address) Label() labels.Address {
	return labels.Address{Name: a.Name, Company: a.Company, Line1: a.Line1, Line2: a.Line2, Line3: a.Line3,
		City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country, Phone: a.Phone}
}

// OrderInput is an order as a channel or the API sends it, before it is
// stored. Orders are idempotent on (Channel, ChannelOrderID).
type OrderInput struct {
	Channel        string           `json:"channel"`
	ChannelOrderID string           `json:"channel_order_id"`
	PlacedAt       time.Time        `json:"placed_at"`
	ServiceLevel   string           `json:"ship_service_level"`
	BuyerEmail     string           `json:"buyer_email"`
	ShipTo         Address          `json:"ship_to"`
	Lines          []OrderLineInput `json:"lines"`
}

// OrderLineInput is one line of an OrderInput.
type OrderLineInput struct {
	ChannelLineID string `json:"channel_line_id"`
	SKU           string `json:"sku"`
	Title         string `json:"title"`
	Qty           int64  `json:"qty"`
	PriceCents    int64  `json:"price_cents"` // line total in the smallest currency unit
}
