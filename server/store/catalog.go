package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// ImportResult counts what an import changed.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Allocated int `json:"allocated"`
}

// ImportCatalog creates or updates products by SKU in one transaction: either
// every product is stored or none is. A barcode already held by another
// product is an EConflict error naming both SKUs. A stocked product without a
// barcode gets an internal restricted-circulation EAN-13. A product's Bin, if
// any, gets a stock row with nothing on hand. A product with Components
// becomes a bundle of them (see SetBundle); one without keeps any components
// it had.
func (s *Store) ImportCatalog(ctx context.Context, actor string, ps []oms.Product) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i := range ps {
			if len(ps[i].Components) > 0 {
				ps[i].Stocked = false // a bundle's stock is its components'
			}
			created, err := s.upsertProduct(ctx, tx, &ps[i])
			if err != nil && ps[i].Row > 0 {
				return fmt.Errorf("row %d (sku %q): %w", ps[i].Row, ps[i].SKU, err)
			} else if err != nil {
				return fmt.Errorf("product %d (sku %q): %w", i+1, ps[i].SKU, err)
			}
			if created {
				res.Created++
			} else {
				res.Updated++
			}
		}
		// Components may come on later rows than their bundle.
		if err := s.importBundles(ctx, tx, ps); err != nil {
			return err
		}
		detail := fmt.Sprintf("%d products: %d created, %d updated", len(ps), res.Created, res.Updated)
		return s.audit(ctx, tx, actor, "import", "catalog", "", detail)
	})
	return res, err
}

func (s *Store) upsertProduct(ctx context.Context, tx *sql.Tx, p *oms.Product) (bool, error) {
	images, _ := json.Marshal(nonNil(p.Images))
	now := s.now()
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ?`, p.SKU).Scan(&id)
	created := errors.Is(err, sql.ErrNoRows)
	if err != nil && !created {
		return false, fmt.Errorf("find: %w", err)
	}
	if created {
		if err := codeIsFree(ctx, tx, p.SKU, 0, codeSKU); err != nil {
			return false, oms.Errorf(oms.EConflict, "sku %v", err)
		}
	} else if comps, err := bundleComponents(ctx, tx, p.SKU); err != nil {
		return false, err
	} else if len(comps) > 0 {
		p.Stocked = false
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO products
		(sku, title, description, price_cents, currency, stocked, parent_sku, images, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sku) DO UPDATE SET title = excluded.title, description = excluded.description,
			price_cents = excluded.price_cents, currency = excluded.currency, stocked = excluded.stocked,
			parent_sku = excluded.parent_sku, images = excluded.images, updated_at = excluded.updated_at
		RETURNING id`,
		p.SKU, p.Title, p.Description, p.PriceCents, p.Currency, p.Stocked, p.ParentSKU,
		string(images), now, now).Scan(&id)
	if err != nil {
		return false, fmt.Errorf("save: %w", err)
	}
	if err := s.saveBarcodes(ctx, tx, id, p); err != nil {
		return false, err
	}
	if p.Bin != "" && p.Stocked {
		if err := ensureStockRow(ctx, tx, id, p.Bin); err != nil {
			return false, err
		}
	}
	return created, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// saveBarcodes stores the product's barcodes, GTINs in their 14-digit form.
// A re-import that lists barcodes replaces the codes it listed before (so a
// typo can be corrected); internal codes we issued are kept.
func (s *Store) saveBarcodes(ctx context.Context, tx *sql.Tx, productID int64, p *oms.Product) error {
	if len(p.Barcodes) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM barcodes WHERE product_id = ? AND kind <> 'internal'`,
			productID); err != nil {
			return fmt.Errorf("replace barcodes: %w", err)
		}
	}
	for _, code := range p.Barcodes {
		kind := "other"
		if labels.IsGTINShaped(code) {
			key, err := labels.NormalizeGTIN(code)
			if err != nil {
				return oms.Errorf(oms.EInvalid, "barcode of sku %q: %v", p.SKU, err)
			}
			code, kind = key, "gtin"
		}
		if err := claimBarcode(ctx, tx, productID, p.SKU, code, kind); err != nil {
			return err
		}
		if err := setUnits(ctx, tx, p, code); err != nil {
			return err
		}
	}
	if len(p.Barcodes) > 0 || !p.Stocked {
		return nil
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM barcodes WHERE product_id = ?`, productID).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	serial, err := nextSeq(ctx, tx, "internal_barcode")
	if err != nil {
		return err
	}
	ean, err := labels.InternalBarcode(serial)
	if err != nil {
		return fmt.Errorf("internal barcode: %w", err)
	}
	key, err := labels.NormalizeGTIN(ean)
	if err != nil {
		return fmt.Errorf("internal barcode: %w", err)
	}
	return claimBarcode(ctx, tx, productID, p.SKU, key, "internal")
}

// setUnits stores how many units the barcode key stands for, as p.Packs
// lists it (in any GTIN form), or 1.
func setUnits(ctx context.Context, tx *sql.Tx, p *oms.Product, key string) error {
	units := int64(1)
	for _, pk := range p.Packs {
		k := pk.Code
		if labels.IsGTINShaped(k) {
			k, _ = labels.NormalizeGTIN(k)
		}
		if k == key {
			units = pk.Units
		}
	}
	if units < 1 {
		return oms.Errorf(oms.EInvalid, "barcode %s of sku %q: units %d, want at least 1", key, p.SKU, units)
	}
	_, err := tx.ExecContext(ctx, `UPDATE barcodes SET units = ? WHERE code = ?`, units, key)
	if err != nil {
		return fmt.Errorf("barcode %s units: %w", key, err)
	}
	return nil
}

func claimBarcode(ctx context.Context, tx *sql.Tx, productID int64, sku, code, kind string) error {
	if err := codeIsFree(ctx, tx, code, productID, codeBarcode); err != nil {
		return oms.Errorf(oms.EConflict, "barcode %s of sku %q: %v", code, sku, err)
	}
	var owner string
	err := tx.QueryRowContext(ctx, `SELECT p.sku FROM barcodes b JOIN products p ON p.id = b.product_id
		WHERE b.code = ?`, code).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO barcodes (code, product_id, kind) VALUES (?, ?, ?)`,
			code, productID, kind)
		if err != nil {
			return fmt.Errorf("barcode %s: %w", code, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("barcode %s: %w", code, err)
	case owner != sku:
		return oms.Errorf(oms.EConflict, "barcode %s of sku %q already belongs to sku %q", code, sku, owner)
	}
	return nil
}

// What a new code is, for codeIsFree.
const (
	codeSKU = iota
	codeBarcode
	codeBin
)

// codeIsFree refuses a new code that a scan could read as something already
// stored: resolve reads a scan as a bin (any case), else a barcode (a GTIN in
// any of its forms), else a SKU, so every string a scanner could send for
// the new code must mean nothing else. productID is the product the code is
// for (0 for a bin or a new product).
func codeIsFree(ctx context.Context, tx *sql.Tx, code string, productID int64, kind int) error {
	if reservedCode(code) {
		return fmt.Errorf("%q is a packing station's code (%s, %s or %s…)", code, ParcelCode, ShipCode, BoxPrefix)
	}
	scans := []string{code} // what a scanner could send that means code
	keys := []string{code}  // the barcode keys those scans look up
	if kind == codeBarcode && labels.IsGTINShaped(code) {
		scans = gtinForms(code)
	}
	if kind == codeSKU && labels.IsGTINShaped(code) {
		if key, err := labels.NormalizeGTIN(code); err == nil {
			keys = append(keys, key)
		}
	}
	const (
		skuIs     = `SELECT 'the sku of another product' FROM products WHERE id <> ? AND `
		barcodeIs = `SELECT 'a barcode of sku "' || p.sku || '"' FROM barcodes b
			JOIN products p ON p.id = b.product_id WHERE b.product_id <> ? AND `
	)
	queries := []string{
		skuIs + `sku IN (` + marks(scans) + `)`,
		barcodeIs + `b.code IN (` + marks(keys) + `)`,
		`SELECT 'a bin' FROM bins WHERE ? >= 0 AND code IN (` + marks(scans) + `)`,
	}
	args := [][]string{scans, keys, upperAll(scans)}
	if kind == codeBin {
		// A bin is read first, so it must not hide a SKU or barcode of any case.
		queries = []string{skuIs + `upper(sku) = ?`, barcodeIs + `upper(b.code) = ?`}
		args = [][]string{{code}, {code}}
	}
	for i, q := range queries {
		var what string
		err := tx.QueryRowContext(ctx, q, append([]any{productID}, anySlice(args[i])...)...).Scan(&what)
		switch {
		case err == nil:
			return fmt.Errorf("%q is already %s", code, what)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check code %s: %w", code, err)
		}
	}
	return nil
}

// gtinForms returns the ways a scanner may send the GTIN with 14-digit key:
// as GTIN-14, EAN-13, UPC-A and, for a GTIN-8, as 8 digits.
func gtinForms(key string) []string {
	forms := []string{key}
	for _, n := range []int{1, 2, 6} {
		if len(key) == 14 && strings.Count(key[:n], "0") == n {
			forms = append(forms, key[n:])
		}
	}
	return forms
}

func marks(xs []string) string {
	return strings.TrimSuffix(strings.Repeat("?, ", len(xs)), ", ")
}

func upperAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToUpper(x)
	}
	return out
}

func anySlice(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// binID returns the id of the bin with the given code, creating it. Bin
// codes are kept trimmed and upper-case, as scans are resolved.
func binID(ctx context.Context, tx *sql.Tx, code string) (int64, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return 0, oms.Errorf(oms.EInvalid, "bin code is empty")
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM bins WHERE code = ?`, code).Scan(&id)
	if err == nil {
		return id, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("bin %s: %w", code, err)
	}
	if err := codeIsFree(ctx, tx, code, 0, codeBin); err != nil {
		return 0, oms.Errorf(oms.EConflict, "bin %s: %v", code, err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO bins (code) VALUES (?) RETURNING id`, code).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("bin %s: %w", code, err)
	}
	return id, nil
}

func ensureStockRow(ctx context.Context, tx *sql.Tx, productID int64, bin string) error {
	bid, err := binID(ctx, tx, bin)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO stock (product_id, bin_id, on_hand) VALUES (?, ?, 0)
		ON CONFLICT DO NOTHING`, productID, bid)
	if err != nil {
		return fmt.Errorf("stock row %s: %w", bin, err)
	}
	return nil
}

// Product is a stored product with its barcodes and stock.
type Product struct {
	oms.Product
	ID    int64      `json:"id"`
	Stock []BinStock `json:"stock"`
}

// BinStock is a product's stock in one bin, of one lot (” for none).
type BinStock struct {
	Bin       string `json:"bin"`
	Lot       string `json:"lot,omitempty"`
	Expiry    string `json:"expiry,omitempty"`
	OnHand    int64  `json:"on_hand"`
	Allocated int64  `json:"allocated"`
}

// ProductBySKU returns the product with the given SKU, or an ENotFound error.
func (s *Store) ProductBySKU(ctx context.Context, sku string) (*Product, error) {
	p := &Product{}
	var images string
	err := s.read.QueryRowContext(ctx, `SELECT id, sku, title, description, price_cents, currency,
		stocked, parent_sku, images FROM products WHERE sku = ?`, sku).Scan(&p.ID, &p.SKU, &p.Title,
		&p.Description, &p.PriceCents, &p.Currency, &p.Stocked, &p.ParentSKU, &images)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "no product with sku %q", sku)
	} else if err != nil {
		return nil, fmt.Errorf("product %s: %w", sku, err)
	}
	if err := json.Unmarshal([]byte(images), &p.Images); err != nil {
		return nil, fmt.Errorf("product %s images: %w", sku, err)
	}
	if p.Packs, err = s.productPacks(ctx, p.ID); err != nil {
		return nil, err
	}
	p.Barcodes = make([]string, 0, len(p.Packs))
	for _, pk := range p.Packs {
		p.Barcodes = append(p.Barcodes, pk.Code)
	}
	if p.Components, err = bundleComponents(ctx, s.read, p.SKU); err != nil {
		return nil, err
	}
	p.Stock, err = s.productStock(ctx, p.ID)
	return p, err
}

// productPacks returns the product's barcodes with their units, by code.
func (s *Store) productPacks(ctx context.Context, id int64) ([]oms.Pack, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT code, units FROM barcodes WHERE product_id = ?
		ORDER BY code`, id)
	if err != nil {
		return nil, fmt.Errorf("barcodes: %w", err)
	}
	defer rows.Close()
	packs := []oms.Pack{}
	for rows.Next() {
		var pk oms.Pack
		if err := rows.Scan(&pk.Code, &pk.Units); err != nil {
			return nil, fmt.Errorf("barcodes: %w", err)
		}
		packs = append(packs, pk)
	}
	return packs, rows.Err()
}

func (s *Store) productStock(ctx context.Context, id int64) ([]BinStock, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT b.code, s.lot, COALESCE(l.expiry, ''), s.on_hand,
		s.allocated FROM stock s JOIN bins b ON b.id = s.bin_id
		LEFT JOIN lots l ON l.product_id = s.product_id AND l.lot = s.lot
		WHERE s.product_id = ? ORDER BY b.code, s.lot`, id)
	if err != nil {
		return nil, fmt.Errorf("stock: %w", err)
	}
	defer rows.Close()
	out := []BinStock{}
	for rows.Next() {
		var b BinStock
		if err := rows.Scan(&b.Bin, &b.Lot, &b.Expiry, &b.OnHand, &b.Allocated); err != nil {
			return nil, fmt.Errorf("stock: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
