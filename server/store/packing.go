package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/labels/scan"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// PackResult is what a packer's scan did: the verdict, the order on the
// station as it is now (nil when none), and the recorded scan (nil for a
// replayed command).
type PackResult struct {
	Verdict oms.Verdict
	Session *oms.PackSession
	Scan    *Scan
}

// ensureStation returns the station's current order id (0 for none),
// creating the station on first use.
func ensureStation(ctx context.Context, tx *sql.Tx, station string) (int64, error) {
	var orderID sql.NullInt64
	err := tx.QueryRowContext(ctx, `INSERT INTO stations (id) VALUES (?)
		ON CONFLICT (id) DO UPDATE SET id = excluded.id RETURNING order_id`, station).Scan(&orderID)
	if err != nil {
		return 0, fmt.Errorf("station %s: %w", station, err)
	}
	return orderID.Int64, nil
}

// PackScan handles one scan at a packing station. With no order open, the
// code must name an order (our number, the channel's order id, or the tote it
// was picked into) that is ready to pack. With an order open, the code must be
// one of its items still to verify. Every scan is recorded with its verdict;
// a command id already seen returns the first verdict and changes nothing.
func (s *Store) PackScan(ctx context.Context, station, packer, cmdID, code string) (*PackResult, error) {
	return s.PackScanWith(ctx, station, packer, cmdID, code, scan.Config{})
}

// PackScanWith is PackScan for a scanner whose codes are read with cfg (its
// AIM identifier and Code 39 check settings) rather than as a wedge's.
func (s *Store) PackScanWith(ctx context.Context, station, packer, cmdID, code string,
	cfg scan.Config) (*PackResult, error) {
	res := &PackResult{}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		orderID, err := ensureStation(ctx, tx, station)
		if err != nil {
			return err
		}
		if v, err := replay(ctx, tx, packer, cmdID); v != nil || err != nil {
			res.Verdict = derefVerdict(v)
			if err == nil && orderID != 0 {
				res.Session, err = loadSession(ctx, tx, orderID)
			}
			return err
		}
		text, dec, refusal := readScan(code, cfg)
		switch {
		case orderID == 0 && refusal != "":
			res.Verdict = oms.Verdict{Code: text, Message: refusal}
		case orderID == 0 && reservedCode(dec.Payload):
			res.Verdict = oms.Verdict{Code: text, Message: fmt.Sprintf("%s is a packing code: scan an order "+
				"number or tote first", text)}
		case orderID == 0:
			res.Verdict, orderID, err = s.openOrder(ctx, tx, station, packer, dec.Payload)
		case reservedCode(dec.Payload):
			res.Verdict, err = s.stationCode(ctx, tx, orderID, packer, dec.Payload)
		default:
			res.Verdict, err = s.verifyItem(ctx, tx, orderID, code, dec.Payload, packer, cfg)
		}
		if err != nil {
			return err
		}
		if orderID != 0 {
			if res.Session, err = loadSession(ctx, tx, orderID); err != nil {
				return err
			}
		}
		rec, err := s.recordScan(ctx, tx, Scan{User: packer, Where: "pack", Station: station,
			Code: text, OK: res.Verdict.OK, Message: res.Verdict.Message}, cmdID)
		res.Scan = &rec
		return err
	})
	return res, err
}

// openOrder puts the order named by code on the station.
func (s *Store) openOrder(ctx context.Context, tx *sql.Tx, station, packer, code string) (oms.Verdict, int64, error) {
	ref, err := findOrder(ctx, tx, code, true)
	switch oms.ErrorCode(err) {
	case "":
	case oms.ENotFound:
		return oms.Verdict{Code: code, Message: fmt.Sprintf("No order or tote %q: scan an order number or tote", code)}, 0, nil
	case oms.EConflict:
		return oms.Verdict{Code: code, Message: oms.ErrorMessage(err)}, 0, nil
	default:
		return oms.Verdict{}, 0, err
	}
	id, number, status := ref.id, ref.number, ref.status
	var other string
	err = tx.QueryRowContext(ctx, `SELECT id FROM stations WHERE order_id = ? AND id <> ?`, id, station).Scan(&other)
	switch {
	case err == nil:
		return oms.Verdict{Code: code, Message: fmt.Sprintf("Order %s is open at station %s", number, other)}, 0, nil
	case !errors.Is(err, sql.ErrNoRows):
		return oms.Verdict{}, 0, err
	case status != StatusPicked && status != StatusPacking:
		return oms.Verdict{Code: code, Message: fmt.Sprintf("Order %s is %s: not ready to pack", number,
			statusPhrase(status))}, 0, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stations SET order_id = ?, packer = ? WHERE id = ?`,
		id, packer, station); err != nil {
		return oms.Verdict{}, 0, fmt.Errorf("open order at station: %w", err)
	}
	if err := s.setStatus(ctx, tx, id, StatusPacking, ""); err != nil {
		return oms.Verdict{}, 0, err
	}
	if err := s.firstParcel(ctx, tx, id, packer); err != nil {
		return oms.Verdict{}, 0, err
	}
	v := oms.Verdict{OK: true, Code: code, Message: fmt.Sprintf("Order %s: scan each item", number)}
	return v, id, s.audit(ctx, tx, packer, "pack.open", "order", number, "station "+station)
}

// verifyItem checks one scanned item against the order open at the station:
// raw is what the scanner sent, payload the code in it.
func (s *Store) verifyItem(ctx context.Context, tx *sql.Tx, orderID int64, raw, payload, packer string,
	cfg scan.Config) (oms.Verdict, error) {
	sess, err := loadSession(ctx, tx, orderID)
	if err != nil {
		return oms.Verdict{}, err
	}
	sc, err := resolveWith(ctx, tx, raw, s.today(), cfg)
	if err != nil {
		return oms.Verdict{}, err
	}
	if sess.Status == oms.PackReleased {
		return oms.Verdict{Code: sc.Code, Message: fmt.Sprintf("Order %s is already labelled", sess.OrderNumber)}, nil
	}
	if sc.SKU == "" && sc.Bin == "" && sc.Unreadable == "" {
		if ref, err := findOrder(ctx, tx, payload, true); err == nil && ref.id == orderID {
			return oms.Verdict{Code: sc.Code, Message: fmt.Sprintf("Order %s is open here: scan its items",
				sess.OrderNumber)}, nil
		} else if err == nil {
			return oms.Verdict{Code: sc.Code, Message: fmt.Sprintf("This station is packing %s: finish it, "+
				"or press Leave order before %s", sess.OrderNumber, ref.number)}, nil
		}
	}
	before := make([]int64, len(sess.Lines))
	for i, l := range sess.Lines {
		before[i] = l.Verified
	}
	v, line := sess.Scan(sc)
	if line == nil {
		return v, nil
	}
	// The units go into the open parcel in the same transaction as the
	// verification, so a parcel's items always add up to what was verified.
	added := line.Verified - before[lineIndex(sess, line)]
	if err := s.addToParcel(ctx, tx, orderID, line, added, packer); err != nil {
		return oms.Verdict{}, err
	}
	if line.Bundle != "" {
		return v, verifyComponent(ctx, tx, line)
	}
	_, err = tx.ExecContext(ctx, `UPDATE order_lines SET verified = ? WHERE id = ?`, line.Verified, line.ID)
	if err != nil {
		return oms.Verdict{}, fmt.Errorf("verify line %d: %w", line.ID, err)
	}
	return v, nil
}

// lineIndex is the index of line (a pointer into sess.Lines) in sess.Lines.
func lineIndex(sess *oms.PackSession, line *oms.PackLine) int {
	for i := range sess.Lines {
		if &sess.Lines[i] == line {
			return i
		}
	}
	return -1
}

// stationCode handles a station's own code (PARCEL, BOX-…, SHIP) on the
// order open there. SHIP reaches the store only from a caller that does
// not buy labels (the server buys them before recording anything).
func (s *Store) stationCode(ctx context.Context, tx *sql.Tx, orderID int64, packer, code string) (oms.Verdict, error) {
	var status string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&status); err != nil {
		return oms.Verdict{}, fmt.Errorf("order %d: %w", orderID, err)
	}
	if status != StatusPacking {
		return oms.Verdict{Code: code, Message: "The order here is labelled: scan the next order"}, nil
	}
	if strings.EqualFold(strings.TrimSpace(code), ShipCode) {
		return oms.Verdict{Code: code, Message: "SHIP is read by the station: press Print labels"}, nil
	}
	return s.parcelScan(ctx, tx, orderID, packer, code)
}

func loadSession(ctx context.Context, q queryer, orderID int64) (*oms.PackSession, error) {
	o, err := orderWhere(ctx, q, "id = ?", orderID)
	if err != nil {
		return nil, err
	}
	sess := &oms.PackSession{OrderID: o.ID, OrderNumber: o.Number, Channel: o.Channel,
		ChannelOrderID: o.ChannelOrderID, ShipTo: o.ShipTo, Status: oms.PackOpen}
	err = q.QueryRowContext(ctx, `SELECT service_level FROM orders WHERE id = ?`, orderID).Scan(&sess.ServiceLevel)
	if err != nil {
		return nil, fmt.Errorf("order %d: %w", orderID, err)
	}
	if o.Status == StatusShipped {
		sess.Status = oms.PackReleased
	}
	for _, l := range o.Lines {
		// The packer verifies a bundle by its components.
		comps, err := componentPackLines(ctx, q, l)
		if err != nil {
			return nil, err
		}
		if len(comps) > 0 {
			sess.Lines = append(sess.Lines, comps...)
			continue
		}
		sess.Lines = append(sess.Lines, oms.PackLine{ID: l.ID, SKU: l.SKU, Title: catalogueTitle(ctx, q, l.SKU, l.Title), Qty: l.Qty,
			Verified: l.Verified})
	}
	if sess.Parcels, err = loadParcels(ctx, q, orderID); err != nil {
		return nil, err
	}
	return sess, nil
}

// StationSession returns the order open at a station, or an ENotFound error.
func (s *Store) StationSession(ctx context.Context, station string) (*oms.PackSession, error) {
	var orderID sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT order_id FROM stations WHERE id = ?`, station).Scan(&orderID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("station %s: %w", station, err)
	}
	if !orderID.Valid {
		return nil, oms.Errorf(oms.ENotFound, "no order open at station %s", station)
	}
	return loadSession(ctx, s.read, orderID.Int64)
}

// PackCancel takes the order off the station: its verified counts go back to
// zero (the parcel is unpacked) and it waits to be packed again. A station
// whose order was labelled is simply cleared.
func (s *Store) PackCancel(ctx context.Context, station, packer string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		orderID, err := ensureStation(ctx, tx, station)
		if err != nil || orderID == 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE stations SET order_id = NULL WHERE id = ?`, station); err != nil {
			return fmt.Errorf("clear station: %w", err)
		}
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&status); err != nil {
			return err
		}
		if status != StatusPacking {
			return nil
		}
		// An order whose labels were once bought (then voided to add a
		// parcel) keeps its parcels: they are what was shipped.
		var labelled bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM shipments WHERE order_id = ?)`,
			orderID).Scan(&labelled); err != nil || labelled {
			return err
		}
		if err := clearParcels(ctx, tx, orderID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE order_lines SET verified = 0 WHERE order_id = ?`, orderID); err != nil {
			return fmt.Errorf("reset verified: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE line_components SET verified = 0 WHERE order_line_id IN
			(SELECT id FROM order_lines WHERE order_id = ?)`, orderID); err != nil {
			return fmt.Errorf("reset verified: %w", err)
		}
		if err := s.setStatus(ctx, tx, orderID, StatusPicked, ""); err != nil {
			return err
		}
		number, err := orderNumberOf(ctx, tx, orderID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, packer, "pack.cancel", "order", number, "station "+station)
	})
}

// catalogueTitle returns the catalogue's title of a SKU (what the packer
// sees on the item), or fallback when the SKU is not in the catalogue.
func catalogueTitle(ctx context.Context, q queryer, sku, fallback string) string {
	var title string
	if err := q.QueryRowContext(ctx, `SELECT title FROM products WHERE sku = ?`, sku).Scan(&title); err != nil {
		return fallback
	}
	return title
}
