package imports

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Columns of Shipshape's own catalogue and stock CSVs.
const (
	shipSKU      = "sku"
	shipTitle    = "title"
	shipPrice    = "price"
	shipBarcodes = "barcodes"
	shipBin      = "bin"
	shipDesc     = "description"
	shipImages   = "images"
	shipCurrency = "currency"
	shipQty      = "qty"
	shipComps    = "components"
	shipLot      = "lot"
	shipExpiry   = "expiry"
)

var errZeroUnits = errors.New("must be at least 1")

// Limits of pack sizes and bundles in a catalogue file.
const (
	maxCaseUnits    = 100000
	maxComponents   = 50
	maxComponentQty = 10000
)

var (
	shipRequired  = []string{shipSKU, shipTitle, shipPrice, shipBarcodes, shipBin}
	shipOptional  = []string{shipDesc, shipImages, shipCurrency, shipComps}
	stockRequired = []string{shipSKU, shipBin, shipQty}
	stockOptional = []string{shipLot, shipExpiry}
)

// ShipshapeCatalog reads a Shipshape catalogue CSV and returns its products,
// all of them Stocked.
//
// The file is UTF-8 CSV: comma-separated, with a header line, and a field
// that holds a comma, a double quote or a line break is enclosed in double
// quotes, with any double quote inside written twice. A byte order mark and
// CRLF line ends are accepted. Header names are lower-case and exact; columns
// may come in any order, and columns not listed here are ignored. Spaces
// around a value are removed.
//
//	sku,title,price,barcodes,bin,description,images,currency
//	TEE-RED-M,"T-shirt, red, M",12.50,5012345678900|TEE-RED-M,a-01-03,,,EUR
//	MUG-1,Mug,7,,,,https://example.com/mug.jpg,EUR
//
// Every file needs the first five columns; a value may be empty where said:
//
//   - sku: the stock-keeping unit. Required; no two rows may share one. At
//     most 64 characters, none of them a control character, and not
//     starting with TOTE- (in any case), which marks tote labels.
//   - title: the name pickers and packers see. Required; at most 200
//     characters on one line.
//   - price: the unit price, digits with at most two decimals and no
//     currency sign or thousands separator ("12", "12.5", "12.50", ".5"),
//     at most 100000000.00. Empty means unknown.
//   - barcodes: zero or more codes separated by "|". A code of 8, 12, 13 or
//     14 digits is a GTIN (EAN-8, UPC-A, EAN-13, GTIN-14): its check digit
//     must be right, and it is stored as its 14-digit form, so UPC-A
//     036000291452 and EAN-13 0036000291452 are the same code. Any other code,
//     such as an internal Code 128 label "ABC-123", is kept as written and must
//     be printable ASCII without spaces, not starting with TOTE-. No code may
//     belong to two products, and a product has at most 20. A code followed
//     by "*" and a whole number from 1 to 100000 is a case of that many
//     units: 05012345678917*12 is a case of 12, and scanning it at pick or
//     pack counts 12 units. A code without it is one unit.
//   - bin: the default bin to put the product in, or empty. Letters are
//     upper-cased; only A-Z, 0-9, "-", "_" and "." are allowed, at most 32
//     of them, and the code may not start with TOTE-.
//
// These columns are optional:
//
//   - description: free text of at most 20,000 characters.
//   - images: image URLs separated by "|".
//   - currency: the ISO 4217 code of price, such as EUR; upper-cased.
//   - components: makes the row's product a bundle: a set of other
//     products sold together, which has no stock of its own. Components
//     are separated by "|", each a SKU, "*" and how many of it one bundle
//     holds (1 to 10000; "*1" may be left out): GIFT-SET with
//     "MUG-1*2|TEA-1" is two mugs and one tea. At most 50 components, each
//     SKU once and not the row's own. A component must be a product of this
//     file or of the catalogue, stocked and not a bundle itself; that is
//     checked when the file is stored. An empty cell leaves a bundle as it
//     was.
//
// It returns an error wrapping an *oms.Error with code EInvalid that names the
// row, column and value for the first row that breaks a rule above, or names
// the missing column.
func ShipshapeCatalog(r io.Reader) ([]oms.Product, error) {
	return importCSV(r, "import shipshape catalogue", shipProducts)
}

// shipProducts converts the rows of a Shipshape catalogue CSV.
func shipProducts(t *table) ([]oms.Product, error) {
	if err := t.check(shipRequired, shipOptional); err != nil {
		return nil, err
	}

	skus, codes := firstSeen{}, firstSeen{}
	out := make([]oms.Product, 0, len(t.rows))
	for _, rec := range t.rows {
		p, err := shipProduct(rec, codes)
		if err != nil {
			return nil, err
		}
		if err := skus.claimOnce(rec, shipSKU, p.SKU); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// shipProduct converts one row of a Shipshape catalogue CSV.
func shipProduct(rec record, codes firstSeen) (oms.Product, error) {
	p := oms.Product{
		SKU:         rec.get(shipSKU),
		Title:       rec.get(shipTitle),
		Description: rec.get(shipDesc),
		Images:      splitList(rec.get(shipImages), "|"),
		Stocked:     true,
		Row:         rec.line,
	}
	if err := shipTexts(rec, p); err != nil {
		return p, err
	}

	var err error
	if p.PriceCents, err = optionalCents(rec, shipPrice); err != nil {
		return p, err
	}
	if p.Bin, err = optionalBin(rec, shipBin); err != nil {
		return p, err
	}
	if p.Currency, err = optional(rec, shipCurrency, normCurrency); err != nil {
		return p, err
	}
	if p.Barcodes, p.Packs, err = shipBarcodeList(rec, codes); err != nil {
		return p, err
	}
	p.Components, err = shipComponents(rec, p.SKU)
	return p, err
}

// shipTexts checks the SKU, title and description of a product.
func shipTexts(rec record, p oms.Product) error {
	switch {
	case p.SKU == "":
		return rec.errorf(shipSKU, "required")
	case p.Title == "":
		return rec.errorf(shipTitle, "required")
	}
	if err := rec.checkSKU(shipSKU, p.SKU); err != nil {
		return err
	}
	if err := rec.checkText(shipTitle, p.Title, oms.MaxTitleLen); err != nil {
		return err
	}
	return rec.checkLen(shipDesc, p.Description, oms.MaxDescriptionLen)
}

// shipBarcodeList reads the "|"-separated barcodes cell: the codes, and the
// packs of those that are cases (CODE*12).
func shipBarcodeList(rec record, codes firstSeen) ([]string, []oms.Pack, error) {
	list := splitList(rec.get(shipBarcodes), "|")
	if len(list) > oms.MaxBarcodes {
		return nil, nil, rec.errorf(shipBarcodes, "%d barcodes, at most %d", len(list), oms.MaxBarcodes)
	}

	var out []string
	var packs []oms.Pack
	for _, item := range list {
		code, units, err := splitTimes(item, maxCaseUnits)
		if err != nil {
			return nil, nil, rec.badValue(shipBarcodes, item, "case size: %v", err)
		}
		key, err := normBarcode(code)
		if err != nil {
			return nil, nil, rec.badValue(shipBarcodes, code, "%v", err)
		}
		if out, err = codes.claimFor(rec, shipBarcodes, code, key, out); err != nil {
			return nil, nil, err
		}
		if units > 1 {
			packs = append(packs, oms.Pack{Code: key, Units: units})
		}
	}
	return out, packs, nil
}

// splitTimes splits "CODE*N" into CODE and N, from 1 to limit; an item
// without "*" is one.
func splitTimes(item string, limit int64) (string, int64, error) {
	code, n, found := strings.Cut(item, "*")
	if !found {
		return item, 1, nil
	}
	code, n = strings.TrimSpace(code), strings.TrimSpace(n)
	units, err := parseCount(n, limit)
	if err != nil {
		return code, 0, err
	}
	if units == 0 {
		return code, 0, errZeroUnits
	}
	return code, units, nil
}

// shipComponents reads the components cell: SKU*QTY items separated by "|".
func shipComponents(rec record, sku string) ([]oms.Component, error) {
	list := splitList(rec.get(shipComps), "|")
	if len(list) > maxComponents {
		return nil, rec.errorf(shipComps, "%d components, at most %d", len(list), maxComponents)
	}
	var out []oms.Component
	seen := map[string]bool{}
	for _, item := range list {
		c, qty, err := splitTimes(item, maxComponentQty)
		if err != nil {
			return nil, rec.badValue(shipComps, item, "quantity: %v", err)
		}
		if err := rec.checkSKU(shipComps, c); err != nil {
			return nil, err
		}
		switch {
		case c == "":
			return nil, rec.badValue(shipComps, item, "names no sku")
		case c == sku:
			return nil, rec.badValue(shipComps, item, "is the row's own sku")
		case seen[c]:
			return nil, rec.badValue(shipComps, item, "lists sku %q twice", c)
		}
		seen[c] = true
		out = append(out, oms.Component{SKU: c, Qty: qty})
	}
	return out, nil
}

// optional normalises the value in col with norm; an empty cell stays empty.
func optional(rec record, col string, norm func(string) (string, error)) (string, error) {
	v := rec.get(col)
	if v == "" {
		return "", nil
	}
	n, err := norm(v)
	if err != nil {
		return "", rec.bad(col, "%v", err)
	}
	return n, nil
}

// optionalBin reads the bin code in col, checking its length before its
// characters (see normBin); an empty cell stays empty.
func optionalBin(rec record, col string) (string, error) {
	if err := rec.checkLen(col, rec.get(col), oms.MaxBinLen); err != nil {
		return "", err
	}
	return optional(rec, col, normBin)
}

// Stock reads a stock count CSV, which sets the quantity on hand of a SKU in
// a bin. It follows the CSV rules of ShipshapeCatalog and has three columns,
// and two optional ones for stock kept by lot:
//
//	sku,bin,qty,lot,expiry
//	TEE-RED-M,A-01-03,12,,
//	YOGURT-1L,B-07-01,40,L2611,2026-12-01
//
// The columns are:
//
//   - sku: the product's SKU, as in the catalogue. Required; the rules of
//     the catalogue's sku apply.
//   - bin: the bin code. Required; the rules of the catalogue's bin apply.
//   - qty: the quantity on hand in that bin, a whole number from 0 to
//     1000000000 written with digits only.
//   - lot: the lot the row counts, at most 64 characters. Optional; empty
//     for stock without a lot.
//   - expiry: the lot's expiry date, YYYY-MM-DD. Optional, and only with a
//     lot; the store refuses a date that differs from the lot's recorded one.
//
// A SKU may be in several bins, but each SKU, bin and lot only once. It
// returns an error wrapping an *oms.Error with code EInvalid that names the
// row, column and value for the first row that breaks a rule, or names the
// missing column. It does not check that SKUs or bins exist.
func Stock(r io.Reader) ([]oms.StockRow, error) {
	return importCSV(r, "import stock", stockRows)
}

// stockRows converts the rows of a stock CSV.
func stockRows(t *table) ([]oms.StockRow, error) {
	if err := t.check(stockRequired, stockOptional); err != nil {
		return nil, err
	}

	seen := firstSeen{}
	out := make([]oms.StockRow, 0, len(t.rows))
	for _, rec := range t.rows {
		s, err := stockRow(rec)
		if err != nil {
			return nil, err
		}
		key := s.SKU + "\x00" + s.Bin + "\x00" + s.Lot
		if prev, dup := seen[key]; dup {
			return nil, rec.bad(shipBin, "already has sku %q%s on row %d", s.SKU, lotPhrase(s.Lot), prev)
		}
		seen[key] = rec.line
		out = append(out, s)
	}
	return out, nil
}

// stockRow converts one row of a stock CSV.
func stockRow(rec record) (oms.StockRow, error) {
	s := oms.StockRow{SKU: rec.get(shipSKU), Row: rec.line}
	switch {
	case s.SKU == "":
		return s, rec.errorf(shipSKU, "required")
	case rec.get(shipBin) == "":
		return s, rec.errorf(shipBin, "required")
	}
	if err := rec.checkSKU(shipSKU, s.SKU); err != nil {
		return s, err
	}

	var err error
	if s.Bin, err = optionalBin(rec, shipBin); err != nil {
		return s, err
	}
	v := rec.get(shipQty)
	if s.Qty, err = parseCount(v, maxStockQty); err != nil {
		return s, rec.reject(shipQty, v, err)
	}
	return s, stockLot(rec, &s)
}

// stockLot reads a stock row's optional lot and expiry date.
func stockLot(rec record, s *oms.StockRow) error {
	s.Lot, s.Expiry = rec.get(shipLot), rec.get(shipExpiry)
	if err := rec.checkLen(shipLot, s.Lot, maxLotLen); err != nil {
		return err
	}
	if s.Expiry == "" {
		return nil
	}
	if s.Lot == "" {
		return rec.bad(shipExpiry, "needs a lot: stock without a lot does not expire")
	}
	if _, err := time.Parse(time.DateOnly, s.Expiry); err != nil {
		return rec.bad(shipExpiry, "is not a date written YYYY-MM-DD")
	}
	return nil
}

// maxLotLen is the longest lot code the store takes.
const maxLotLen = 64

// lotPhrase is " lot L" for a lot, or nothing for stock without one.
func lotPhrase(lot string) string {
	if lot == "" {
		return ""
	}
	return " lot " + lot
}
