package imports

import (
	"fmt"
	"io"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Catalog reads a product catalogue CSV in either format it knows, chosen by
// the header: a header with "Type", "SKU" and "Name" is WooCommerce's (see
// WooCommerceCatalog), one with "sku" and "title" is Shipshape's own (see
// ShipshapeCatalog). Any other header is an EInvalid error that lists the
// columns each format needs; other errors are those of the chosen parser.
func Catalog(r io.Reader) ([]oms.Product, error) {
	return importCSV(r, "import catalogue", func(t *table) ([]oms.Product, error) {
		switch {
		case t.has(wooType) && t.has(wooSKU) && t.has(wooName):
			return wooProducts(t)
		case t.has(shipSKU) && t.has(shipTitle):
			return shipProducts(t)
		}
		return nil, invalid("unknown catalogue format: expected a WooCommerce product CSV " +
			`(columns "Type", "SKU" and "Name") or a Shipshape catalogue CSV ` +
			`(columns "sku", "title", "price", "barcodes" and "bin")`)
	})
}

// importCSV reads r as CSV and converts its rows; any error is wrapped with
// op, the operation's name.
func importCSV[T any](r io.Reader, op string, convert func(*table) ([]T, error)) ([]T, error) {
	data, err := readInput(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	t, err := parseCSV(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out, err := convert(t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// optionalCents parses the price in col; an empty cell is 0, meaning unknown.
func optionalCents(rec record, col string) (int64, error) {
	v := rec.get(col)
	if v == "" {
		return 0, nil
	}
	cents, err := parseCents(v)
	if err != nil {
		return 0, rec.reject(col, v, err)
	}
	return cents, nil
}
