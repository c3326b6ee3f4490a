package imports

import (
	"io"

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
)

var (
	shipRequired  = []string{shipSKU, shipTitle, shipPrice, shipBarcodes, shipBin}
	shipOptional  = []string{shipDesc, shipImages, shipCurrency}
	stockRequired = []string{shipSKU, shipBin, shipQty}
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
//     belong to two products, and a product has at most 20.
//   - bin: the default bin to put the product in, or empty. Letters are
//     upper-cased; only A-Z, 0-9, "-", "_" and "." are allowed, at most 32
//     of them, and the code may not start with TOTE-.
//
// These columns are optional:
//
//   - description: free text of at most 20,000 characters.
//   - images: image URLs separated by "|".
//   - currency: the ISO 4217 code of price, such as EUR; upper-cased.
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
	p.Barcodes, err = shipBarcodeList(rec, codes)
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

// shipBarcodeList reads the "|"-separated barcodes cell.
func shipBarcodeList(rec record, codes firstSeen) ([]string, error) {
	list := splitList(rec.get(shipBarcodes), "|")
	if len(list) > oms.MaxBarcodes {
		return nil, rec.errorf(shipBarcodes, "%d barcodes, at most %d", len(list), oms.MaxBarcodes)
	}

	var out []string
	for _, code := range list {
		key, err := normBarcode(code)
		if err != nil {
			return nil, rec.badValue(shipBarcodes, code, "%v", err)
		}
		if out, err = codes.claimFor(rec, shipBarcodes, code, key, out); err != nil {
			return nil, err
		}
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
// a bin. It follows the CSV rules of ShipshapeCatalog and has three columns:
//
//	sku,bin,qty
//	TEE-RED-M,A-01-03,12
//	TEE-RED-M,B-07-01,0
//
// The columns are:
//
//   - sku: the product's SKU, as in the catalogue. Required; the rules of
//     the catalogue's sku apply.
//   - bin: the bin code. Required; the rules of the catalogue's bin apply.
//   - qty: the quantity on hand in that bin, a whole number from 0 to
//     1000000000 written with digits only.
//
// A SKU may be in several bins, but each SKU and bin pair only once. It
// returns an error wrapping an *oms.Error with code EInvalid that names the
// row, column and value for the first row that breaks a rule, or names the
// missing column. It does not check that SKUs or bins exist.
func Stock(r io.Reader) ([]oms.StockRow, error) {
	return importCSV(r, "import stock", stockRows)
}

// stockRows converts the rows of a stock CSV.
func stockRows(t *table) ([]oms.StockRow, error) {
	if err := t.check(stockRequired, nil); err != nil {
		return nil, err
	}

	seen := firstSeen{}
	out := make([]oms.StockRow, 0, len(t.rows))
	for _, rec := range t.rows {
		s, err := stockRow(rec)
		if err != nil {
			return nil, err
		}
		key := s.SKU + "\x00" + s.Bin
		if prev, dup := seen[key]; dup {
			return nil, rec.bad(shipBin, "already has sku %q on row %d", s.SKU, prev)
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
	return s, nil
}
