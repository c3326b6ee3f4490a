package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Codes a packer scans at a station besides orders and items. They are
// reserved: codeIsFree refuses a SKU, barcode or bin that is one of them (or
// starts BoxPrefix), so a scan of one can mean nothing else.
const (
	ParcelCode = "PARCEL" // close the open parcel and start the next
	ShipCode   = "SHIP"   // buy and print the labels (the page's Print labels)
	BoxPrefix  = "BOX-"   // BOX-<name>: a parcel in that box (see parcelScan)
)

// reservedCode reports whether a code is one of the station's own codes,
// in any case.
func reservedCode(code string) bool {
	c := strings.ToUpper(strings.TrimSpace(code))
	return c == ParcelCode || c == ShipCode || strings.HasPrefix(c, BoxPrefix)
}

// loadParcels returns an order's parcels, parcel 1 first, with their items.
func loadParcels(ctx context.Context, q queryer, orderID int64) ([]oms.Parcel, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, seq, box, COALESCE(weight_g, 0), COALESCE(length_mm, 0),
		COALESCE(width_mm, 0), COALESCE(height_mm, 0), status = 'open' FROM parcels WHERE order_id = ?
		ORDER BY seq`, orderID)
	if err != nil {
		return nil, fmt.Errorf("parcels of order %d: %w", orderID, err)
	}
	out := []oms.Parcel{}
	for rows.Next() {
		p := oms.Parcel{Items: []oms.ParcelItem{}}
		if err := rows.Scan(&p.ID, &p.Seq, &p.Box, &p.WeightGrams, &p.LengthMM, &p.WidthMM, &p.HeightMM,
			&p.Open); err != nil {
			rows.Close()
			return nil, fmt.Errorf("parcels of order %d: %w", orderID, err)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("parcels of order %d: %w", orderID, err)
	}
	for i := range out {
		if out[i].Items, err = parcelItems(ctx, q, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func parcelItems(ctx context.Context, q queryer, parcelID int64) ([]oms.ParcelItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT sku, SUM(qty) FROM parcel_items WHERE parcel_id = ?
		GROUP BY sku ORDER BY MIN(rowid)`, parcelID)
	if err != nil {
		return nil, fmt.Errorf("items of parcel %d: %w", parcelID, err)
	}
	defer rows.Close()
	out := []oms.ParcelItem{}
	for rows.Next() {
		var it oms.ParcelItem
		if err := rows.Scan(&it.SKU, &it.Qty); err != nil {
			return nil, fmt.Errorf("items of parcel %d: %w", parcelID, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// openParcel returns the id and k of the order's open parcel, starting
// parcel 1 (or the next after the last closed one) when none is open.
func (s *Store) openParcel(ctx context.Context, tx *sql.Tx, orderID int64, actor string) (int64, int, error) {
	var id int64
	var seq int
	err := tx.QueryRowContext(ctx, `SELECT id, seq FROM parcels WHERE order_id = ? AND status = 'open'
		ORDER BY seq DESC LIMIT 1`, orderID).Scan(&id, &seq)
	if err == nil {
		return id, seq, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("open parcel of order %d: %w", orderID, err)
	}
	return s.startParcel(ctx, tx, orderID, actor, "")
}

// firstParcel starts parcel 1 of an order that has no parcels yet; an
// order opened again keeps the parcels it has.
func (s *Store) firstParcel(ctx context.Context, tx *sql.Tx, orderID int64, actor string) error {
	var has bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM parcels WHERE order_id = ?)`, orderID).Scan(&has)
	if err != nil {
		return fmt.Errorf("parcels of order %d: %w", orderID, err)
	}
	if has {
		return nil
	}
	_, _, err = s.startParcel(ctx, tx, orderID, actor, "")
	return err
}

// startParcel adds the order's next parcel, open, in box.
func (s *Store) startParcel(ctx context.Context, tx *sql.Tx, orderID int64, actor, box string) (int64, int, error) {
	var id int64
	var seq int
	err := tx.QueryRowContext(ctx, `INSERT INTO parcels (order_id, seq, box, created_by, created_at)
		VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM parcels WHERE order_id = ?1), ?2, ?3, ?4)
		RETURNING id, seq`, orderID, box, actor, s.now()).Scan(&id, &seq)
	if err != nil {
		return 0, 0, fmt.Errorf("start parcel of order %d: %w", orderID, err)
	}
	return id, seq, nil
}

// addToParcel records n more units of line (an order line, or a bundle's
// component) in the order's open parcel.
func (s *Store) addToParcel(ctx context.Context, tx *sql.Tx, orderID int64, line *oms.PackLine, n int64,
	actor string) error {
	parcelID, _, err := s.openParcel(ctx, tx, orderID, actor)
	if err != nil {
		return err
	}
	lineID := `?2`
	if line.Bundle != "" {
		lineID = `(SELECT order_line_id FROM line_components WHERE id = ?2)`
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO parcel_items (parcel_id, order_line_id, sku, qty)
		VALUES (?1, `+lineID+`, ?3, ?4)
		ON CONFLICT (parcel_id, order_line_id, sku) DO UPDATE SET qty = qty + excluded.qty`,
		parcelID, line.ID, line.SKU, n)
	if err != nil {
		return fmt.Errorf("put %s in parcel %d: %w", line.SKU, parcelID, err)
	}
	return nil
}

// parcelScan handles a PARCEL or BOX-<name> scan on the order open at a
// station. PARCEL closes the open parcel and starts the next; BOX-<name>
// does the same with the new parcel in that box, except that when the open
// parcel is still empty it only sets that parcel's box (the packer chose
// the box before filling it). An empty parcel cannot be closed.
func (s *Store) parcelScan(ctx context.Context, tx *sql.Tx, orderID int64, actor, code string) (oms.Verdict, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	box, isBox := strings.CutPrefix(code, BoxPrefix)
	if !isBox {
		box = ""
	}
	if isBox && (box == "" || oms.CheckText(box, 32) != nil) {
		return oms.Verdict{Code: code, Message: fmt.Sprintf("Box %s: the box's name is 1 to 32 "+
			"printable characters after BOX-", oms.QuoteShort(box))}, nil
	}
	id, seq, err := s.openParcel(ctx, tx, orderID, actor)
	if err != nil {
		return oms.Verdict{}, err
	}
	items, err := parcelItems(ctx, tx, id)
	if err != nil {
		return oms.Verdict{}, err
	}
	switch {
	case len(items) == 0 && isBox:
		if _, err := tx.ExecContext(ctx, `UPDATE parcels SET box = ? WHERE id = ?`, box, id); err != nil {
			return oms.Verdict{}, fmt.Errorf("box of parcel %d: %w", id, err)
		}
		return oms.Verdict{OK: true, Code: code, Message: fmt.Sprintf("Parcel %d in box %s", seq, box)}, nil
	case len(items) == 0:
		return oms.Verdict{Code: code, Message: fmt.Sprintf("Parcel %d is empty: put an item in it "+
			"before starting another", seq)}, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE parcels SET status = 'closed' WHERE id = ?`, id); err != nil {
		return oms.Verdict{}, fmt.Errorf("close parcel %d: %w", id, err)
	}
	if _, seq, err = s.startParcel(ctx, tx, orderID, actor, box); err != nil {
		return oms.Verdict{}, err
	}
	msg := fmt.Sprintf("Parcel %d started: scan its items", seq)
	if isBox {
		msg = fmt.Sprintf("Parcel %d started in box %s: scan its items", seq, box)
	}
	return oms.Verdict{OK: true, Code: code, Message: msg}, nil
}

// ParcelUpdate sets a parcel's weight, box and size; zero fields are left
// as they are.
type ParcelUpdate struct {
	Seq                         int
	Grams                       int64
	Box                         string
	LengthMM, WidthMM, HeightMM int64
}

// MaxParcelGrams is the heaviest parcel accepted (70 kg, more than any
// parcel courier takes).
const MaxParcelGrams = 70_000

// Validate returns an EInvalid error naming the field and value that is
// wrong.
func (u ParcelUpdate) Validate() error {
	switch {
	case u.Seq < 1:
		return oms.Errorf(oms.EInvalid, "parcel: %d: want a parcel number from 1", u.Seq)
	case u.Grams < 0 || u.Grams > MaxParcelGrams:
		return oms.Errorf(oms.EInvalid, "grams: %d: want 1 to %d", u.Grams, MaxParcelGrams)
	case u.Box != "" && oms.CheckText(u.Box, 32) != nil:
		return oms.Errorf(oms.EInvalid, "box: %s: want at most 32 printable characters", oms.QuoteShort(u.Box))
	}
	for _, d := range []int64{u.LengthMM, u.WidthMM, u.HeightMM} {
		if d < 0 || d > 3000 {
			return oms.Errorf(oms.EInvalid, "size: %d mm: want 1 to 3000", d)
		}
	}
	return nil
}

// WeighParcel sets the weight, box or size of parcel u.Seq of the order
// open at station, audited, and returns the order as it is now. It returns
// EInvalid for a bad value, and EConflict when the station has no order,
// the order is labelled, or it has no such parcel.
func (s *Store) WeighParcel(ctx context.Context, station, actor string, u ParcelUpdate) (*oms.PackSession, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	var sess *oms.PackSession
	err := s.tx(ctx, func(tx *sql.Tx) error {
		orderID, err := ensureStation(ctx, tx, station)
		if err != nil {
			return err
		}
		if orderID == 0 {
			return oms.Errorf(oms.EConflict, "no order open at station %s: scan an order first", station)
		}
		res, err := tx.ExecContext(ctx, `UPDATE parcels SET weight_g = COALESCE(NULLIF(?1, 0), weight_g),
			box = COALESCE(NULLIF(?2, ''), box), length_mm = COALESCE(NULLIF(?3, 0), length_mm),
			width_mm = COALESCE(NULLIF(?4, 0), width_mm), height_mm = COALESCE(NULLIF(?5, 0), height_mm)
			WHERE order_id = ?6 AND seq = ?7 AND (SELECT status FROM orders WHERE id = ?6) = 'packing'`,
			u.Grams, u.Box, u.LengthMM, u.WidthMM, u.HeightMM, orderID, u.Seq)
		if n, err := rowsAffected(res, err); err != nil {
			return fmt.Errorf("weigh parcel %d: %w", u.Seq, err)
		} else if n == 0 {
			return oms.Errorf(oms.EConflict, "the order at station %s has no parcel %d to weigh", station, u.Seq)
		}
		if sess, err = loadSession(ctx, tx, orderID); err != nil {
			return err
		}
		detail := fmt.Sprintf("parcel %d: %d g, box %q, %dx%dx%d mm", u.Seq, u.Grams, u.Box, u.LengthMM,
			u.WidthMM, u.HeightMM)
		return s.audit(ctx, tx, actor, "parcel.weigh", "order", sess.OrderNumber, detail)
	})
	return sess, err
}

// NewParcel is the page's New parcel button: it is a PARCEL scan (see
// parcelScan), recorded and replayed as one.
func (s *Store) NewParcel(ctx context.Context, station, actor, cmdID string) (*PackResult, error) {
	return s.PackScan(ctx, station, actor, cmdID, ParcelCode)
}

// clearParcels removes an order's parcels and their items (the packer
// unpacked it).
func clearParcels(ctx context.Context, tx *sql.Tx, orderID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM parcel_items WHERE parcel_id IN
		(SELECT id FROM parcels WHERE order_id = ?)`, orderID); err != nil {
		return fmt.Errorf("clear parcels: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM parcels WHERE order_id = ?`, orderID); err != nil {
		return fmt.Errorf("clear parcels: %w", err)
	}
	return nil
}

// OrderSession returns an order (by number or channel order id) as a
// packing station sees it, with its parcels; ENotFound or EConflict from
// finding the order.
func (s *Store) OrderSession(ctx context.Context, number string) (*oms.PackSession, error) {
	ref, err := findOrder(ctx, s.read, number, false)
	if err != nil {
		return nil, err
	}
	return loadSession(ctx, s.read, ref.id)
}
