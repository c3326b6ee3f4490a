package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// ImportStock sets the on-hand quantity of each (SKU, bin, lot) in one transaction
// and then allocates waiting orders that the new stock covers. An unknown SKU,
// a product that is not stocked, or a quantity below what is already
// allocated in that bin is an EInvalid error naming the row (the row's file
// line when it came from a file, else its place in rows counting a header as
// row 1) and nothing is changed.
func (s *Store) ImportStock(ctx context.Context, actor string, rows []oms.StockRow) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i, r := range rows {
			change, err := s.setStock(ctx, tx, actor, r)
			if err != nil {
				return fmt.Errorf("row %d: %w", cmp.Or(r.Row, i+2), err)
			}
			switch change {
			case stockCreated:
				res.Created++
			case stockUpdated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		n, err := s.allocateWaiting(ctx, tx, actor)
		res.Allocated = n
		return err
	})
	return res, err
}

// What setStock did to a (SKU, bin) row.
const (
	stockUnchanged = iota
	stockCreated
	stockUpdated
)

func (s *Store) setStock(ctx context.Context, tx *sql.Tx, actor string, r oms.StockRow) (int, error) {
	var pid int64
	var stocked bool
	err := tx.QueryRowContext(ctx, `SELECT id, stocked FROM products WHERE sku = ?`, r.SKU).Scan(&pid, &stocked)
	if errors.Is(err, sql.ErrNoRows) {
		return stockUnchanged, oms.Errorf(oms.EInvalid, "sku %q is not in the catalogue", r.SKU)
	} else if err != nil {
		return stockUnchanged, err
	}
	if !stocked {
		return stockUnchanged, oms.Errorf(oms.EInvalid, "sku %q is not a stock item (virtual, external or a parent)", r.SKU)
	}
	if r.Qty < 0 {
		return stockUnchanged, oms.Errorf(oms.EInvalid, "qty %d for sku %q is negative", r.Qty, r.SKU)
	}
	bid, err := binID(ctx, tx, r.Bin)
	if err != nil {
		return stockUnchanged, err
	}
	if err := checkLot(r.Lot, r.Expiry); err != nil {
		return stockUnchanged, err
	}
	if err := recordLot(ctx, tx, pid, r.SKU, r.Lot, r.Expiry); err != nil {
		return stockUnchanged, err
	}
	var onHand, allocated int64
	err = tx.QueryRowContext(ctx, `SELECT on_hand, allocated FROM stock
		WHERE product_id = ? AND bin_id = ? AND lot = ?`, pid, bid, r.Lot).Scan(&onHand, &allocated)
	isNew := errors.Is(err, sql.ErrNoRows)
	if err != nil && !isNew {
		return stockUnchanged, err
	}
	if r.Qty < allocated {
		return stockUnchanged, oms.Errorf(oms.EInvalid, "qty %d for sku %q in bin %s is below the %d already allocated to orders",
			r.Qty, r.SKU, r.Bin, allocated)
	}
	if r.Qty == onHand && !isNew {
		return stockUnchanged, nil
	}
	// The file says what the bin holds; the ledger records the difference.
	if diff := r.Qty - onHand; diff != 0 {
		m := Movement{SKU: r.SKU, Bin: strings.ToUpper(strings.TrimSpace(r.Bin)), Lot: r.Lot, Qty: diff, Reason: ReasonImport, User: actor,
			Reference: importReference(r), productID: pid, binID: bid}
		if err := s.move(ctx, tx, &m); err != nil {
			return stockUnchanged, err
		}
	} else if _, err := tx.ExecContext(ctx, `INSERT INTO stock (product_id, bin_id, lot, on_hand)
		VALUES (?, ?, ?, 0)`, pid, bid, r.Lot); err != nil {
		return stockUnchanged, fmt.Errorf("set stock: %w", err)
	}
	detail := fmt.Sprintf("on hand %d -> %d", onHand, r.Qty)
	change := stockUpdated
	if isNew {
		change = stockCreated
	}
	return change, s.audit(ctx, tx, actor, "stock.set", "stock", r.SKU+"@"+r.Bin, detail)
}

// importReference names where an imported row came from.
func importReference(r oms.StockRow) string {
	if r.Row > 0 {
		return fmt.Sprintf("stock import, line %d", r.Row)
	}
	return "stock import"
}
