package imports

import (
	"io"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Columns of WooCommerce's product CSV (Products > Export in the admin).
const (
	wooID       = "ID"
	wooType     = "Type"
	wooSKU      = "SKU"
	wooName     = "Name"
	wooDesc     = "Description"
	wooPrice    = "Regular price"
	wooImages   = "Images"
	wooParent   = "Parent"
	wooGTIN     = "GTIN, UPC, EAN, or ISBN" // WooCommerce 9.2 and later
	wooGlobalID = "Meta: _global_unique_id" // the same field, exported as meta
)

var (
	wooRequired = []string{wooType, wooSKU, wooName}
	wooOptional = []string{wooID, wooDesc, wooPrice, wooImages, wooParent, wooGTIN, wooGlobalID}
)

// WooCommerceCatalog reads a WooCommerce product CSV, as WooCommerce's
// exporter writes it and its importer reads it. The header needs "Type",
// "SKU" and "Name"; "ID", "Description", "Regular price", "Images",
// "Parent", "GTIN, UPC, EAN, or ISBN" and "Meta: _global_unique_id" are read
// when present and every other column is ignored.
//
// Type is a comma list: one of simple, variable, variation, grouped or
// external, plus optionally virtual and downloadable. Only simple products
// and variations that are neither virtual nor downloadable are Stocked, and
// those must have a SKU. A variation's ParentSKU comes from Parent, which
// holds the parent's SKU or "id:NN" naming a row by its ID (ParentSKU is
// empty when that row has no SKU). A row that is not stocked and has no SKU
// is skipped: no order or bin can refer to it.
//
// The SKU, once unescaped, must be at most 64 characters with no control
// character and must not start with TOTE-, which marks tote labels; Parent
// has the same length limit. Name must be at most 200 characters on one
// line and Description at most 20,000 characters.
//
// PriceCents is the regular price. Images is the comma list of image URLs.
// Barcodes holds the GTIN-14 key of the GTIN column (or its meta twin) when
// it is filled in; the GTIN must be 8, 12, 13 or 14 digits with a valid
// check digit. Texts are unescaped as WooCommerce's importer does: a leading
// "'" before =, +, - or @ is dropped and "\n" in a description is a newline.
//
// It returns an error wrapping an *oms.Error with code EInvalid, naming the
// row, column and value, for a missing column, an unknown type, a bad price
// or GTIN, a stocked product without a SKU, a variation without a parent, a
// text that breaks the rules above, or a SKU or barcode used on two rows.
func WooCommerceCatalog(r io.Reader) ([]oms.Product, error) {
	return importCSV(r, "import woocommerce catalogue", wooProducts)
}

// wooProducts converts the rows of a WooCommerce product CSV.
func wooProducts(t *table) ([]oms.Product, error) {
	if err := t.check(wooRequired, wooOptional); err != nil {
		return nil, err
	}

	ids := wooIDs(t)
	skus, codes := firstSeen{}, firstSeen{}
	var out []oms.Product
	for _, rec := range t.rows {
		p, err := wooProduct(rec, ids, codes)
		if err != nil {
			return nil, err
		}
		if p.SKU == "" {
			continue
		}
		if err := skus.claimOnce(rec, wooSKU, p.SKU); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// wooIDs maps each row's ID to its SKU, to resolve "id:NN" parents.
func wooIDs(t *table) map[string]string {
	ids := make(map[string]string, len(t.rows))
	for _, rec := range t.rows {
		if id := rec.get(wooID); id != "" {
			ids[id] = wooText(rec, wooSKU)
		}
	}
	return ids
}

// wooProduct converts one row. A row it returns without a SKU is to be
// skipped.
func wooProduct(rec record, ids map[string]string, codes firstSeen) (oms.Product, error) {
	base, intangible, err := wooKind(rec)
	if err != nil {
		return oms.Product{}, err
	}

	p := oms.Product{
		SKU:         wooText(rec, wooSKU),
		Title:       wooText(rec, wooName),
		Description: wooDescription(wooText(rec, wooDesc)),
		Stocked:     (base == "simple" || base == "variation") && !intangible,
		Images:      wooList(rec.get(wooImages)),
		Row:         rec.line,
	}
	switch {
	case p.SKU == "" && p.Stocked:
		return p, rec.errorf(wooSKU, "required for a stocked product (type %q)", rec.get(wooType))
	case p.SKU == "":
		return p, nil
	}
	if err := wooTexts(rec, p); err != nil {
		return p, err
	}

	// TODO: "Sale price" and its date columns are not imported, so a product
	// on sale carries its regular price until the domain has sale prices.
	if p.PriceCents, err = optionalCents(rec, wooPrice); err != nil {
		return p, err
	}
	if base == "variation" {
		if p.ParentSKU, err = wooParentSKU(rec, ids); err != nil {
			return p, err
		}
	}
	p.Barcodes, err = wooBarcodes(rec, codes)
	return p, err
}

// wooTexts checks the SKU, name and description of a product.
func wooTexts(rec record, p oms.Product) error {
	if err := rec.checkSKU(wooSKU, p.SKU); err != nil {
		return err
	}
	if err := rec.checkText(wooName, p.Title, oms.MaxTitleLen); err != nil {
		return err
	}
	return rec.checkLen(wooDesc, p.Description, oms.MaxDescriptionLen)
}

// wooKind reads the Type list: the base type and whether the product is
// virtual or downloadable, so nothing is shipped.
func wooKind(rec record) (base string, intangible bool, err error) {
	for _, typ := range splitList(strings.ToLower(rec.get(wooType)), ",") {
		switch typ {
		case "virtual", "downloadable":
			intangible = true
		case "simple", "variable", "variation", "grouped", "external":
			if base != "" {
				return "", false, rec.bad(wooType, "names two product types")
			}
			base = typ
		default:
			return "", false, rec.badValue(wooType, typ, "is not a WooCommerce product type")
		}
	}
	if base == "" {
		return "", false, rec.bad(wooType,
			"needs one of simple, variable, variation, grouped or external")
	}
	return base, intangible, nil
}

// wooParentSKU resolves a variation's Parent cell to the parent's SKU.
func wooParentSKU(rec record, ids map[string]string) (string, error) {
	parent := wooText(rec, wooParent)
	if parent == "" {
		return "", rec.errorf(wooParent, "required for a variation")
	}
	if err := rec.checkText(wooParent, parent, oms.MaxSKULen); err != nil {
		return "", err
	}

	id, isID := strings.CutPrefix(parent, "id:")
	if !isID {
		return parent, nil
	}
	sku, ok := ids[strings.TrimSpace(id)]
	if !ok {
		return "", rec.bad(wooParent, "names no row of this file by its ID")
	}
	return sku, nil
}

// wooBarcodes reads the GTIN column and its meta twin.
func wooBarcodes(rec record, codes firstSeen) ([]string, error) {
	var out []string
	for _, col := range []string{wooGTIN, wooGlobalID} {
		v := wooText(rec, col)
		if v == "" {
			continue
		}
		key, err := normGTIN(v)
		if err != nil {
			return nil, rec.bad(col, "%v", err)
		}
		if out, err = codes.claimFor(rec, col, v, key, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// wooText returns a trimmed cell without the "'" WooCommerce's exporter puts
// before a value starting with =, +, - or @ to stop spreadsheets running it.
func wooText(rec record, col string) string {
	v := rec.get(col)
	if len(v) >= 2 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		return v[1:]
	}
	return v
}

// wooDescription undoes the exporter's newline escaping: it writes a
// newline as `\n` and a literal `\n` as `\\n`, which is kept as it is, as
// WooCommerce's importer does.
func wooDescription(s string) string {
	parts := strings.Split(s, `\\n`)
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(p, `\n`, "\n")
	}
	return strings.Join(parts, `\\n`)
}

// wooList splits a WooCommerce comma list, in which a comma that belongs to
// an item is written `\,`.
func wooList(s string) []string {
	const placeholder = "\x00"
	s = strings.ReplaceAll(s, `\,`, placeholder)
	items := splitList(s, ",")
	for i, item := range items {
		items[i] = strings.ReplaceAll(item, placeholder, ",")
	}
	return items
}
