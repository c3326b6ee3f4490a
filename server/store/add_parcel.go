package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// ParcelMove moves qty units of a SKU from parcel From into the new parcel.
type ParcelMove struct {
	SKU  string `json:"sku"`
	Qty  int64  `json:"qty"`
	From int    `json:"from"`
}

// AddParcelRequest adds a parcel to an order whose labels were bought.
type AddParcelRequest struct {
	OrderNumber string
	Actor       string
	Reason      string
	Grams       int64
	Box         string
	Move        []ParcelMove
	// NeedsWeight refuses a new parcel without a weight (the courier of
	// the consignment prices by weight).
	NeedsWeight bool
}

// ActiveConsignment is an order's bought consignment: what voiding it and
// buying again need.
type ActiveConsignment struct {
	ID          int64
	OrderNumber string
	Courier     string
	Ref         string // the courier's shipment id
	ServiceID   string
	Service     string
	Override    string
	Station     string // where its labels were printed
	Parcels     int
}

// ActiveConsignment returns the order's active consignment; ENotFound for
// an unknown order, EConflict when it has none.
func (s *Store) ActiveConsignment(ctx context.Context, number string) (*ActiveConsignment, error) {
	return activeConsignment(ctx, s.read, number)
}

func activeConsignment(ctx context.Context, q queryer, number string) (*ActiveConsignment, error) {
	ref, err := findOrder(ctx, q, number, false)
	if err != nil {
		return nil, err
	}
	c := &ActiveConsignment{OrderNumber: ref.number}
	err = q.QueryRowContext(ctx, `SELECT c.id, c.courier, c.courier_ref, c.service_id, c.service, c.override,
		c.parcels, COALESCE((SELECT j.station_id FROM shipments sh JOIN print_jobs j ON j.shipment_id = sh.id
			WHERE sh.consignment_id = c.id ORDER BY sh.id LIMIT 1), '')
		FROM consignments c WHERE c.order_id = ? AND c.status = 'active' ORDER BY c.id DESC LIMIT 1`,
		ref.id).Scan(&c.ID, &c.Courier, &c.Ref, &c.ServiceID, &c.Service, &c.Override, &c.Parcels, &c.Station)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.EConflict, "order %s has no labels bought: pack its parcels at a station",
			ref.number)
	} else if err != nil {
		return nil, fmt.Errorf("consignment of order %s: %w", ref.number, err)
	}
	return c, nil
}

// notManifested refuses to reissue a consignment that is on a closed
// manifest: the driver has signed for its parcels, so its labels are in
// the van, not on the bench.
func notManifested(ctx context.Context, q queryer, c *ActiveConsignment) error {
	var id int64
	var day string
	err := q.QueryRowContext(ctx, `SELECT m.id, m.day FROM consignments c JOIN manifests m
		ON m.id = c.manifest_id WHERE c.id = ?`, c.ID).Scan(&id, &day)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("manifest of order %s: %w", c.OrderNumber, err)
	}
	return oms.Errorf(oms.EConflict, "order %s is on manifest %d, closed for %s: its parcels were handed "+
		"to the courier, so its labels cannot be reissued", c.OrderNumber, id, day)
}

// serviceStillOffered refuses to void labels whose service can no longer
// be bought again, before anything is voided.
func serviceStillOffered(ctx context.Context, q queryer, c *ActiveConsignment) error {
	if c.ServiceID == "" {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM services WHERE id = ?`,
		c.ServiceID).Scan(&n); err != nil {
		return fmt.Errorf("service of order %s: %w", c.OrderNumber, err)
	}
	if n == 0 {
		return oms.Errorf(oms.EConflict, "order %s was shipped with service %s, which is no longer set "+
			"up: set it up again before adding a parcel", c.OrderNumber, c.ServiceID)
	}
	return nil
}

// AddParcel voids an order's active consignment with the courier (void,
// outside any transaction) and then, in one transaction, records it
// voided (its shipments voided, its labels not yet printed voided, a
// 'voided' fulfilment outbox row), adds the new parcel with the items
// moved into it, puts the order back to packing and audits it with the
// reason. It returns the voided consignment; the caller buys the labels of
// every parcel again (Ship with its courier, service and override).
//
// It returns EInvalid for a missing reason or a bad weight, box or move,
// and EConflict when the order has no bought labels or is on a closed
// manifest, its service is no longer set up, a move takes more
// than its parcel holds or leaves a parcel empty, the new parcel would be
// empty or has no weight the courier needs, or the courier would not void:
// in every one of these nothing changes.
func (s *Store) AddParcel(ctx context.Context, r AddParcelRequest, void VoidFunc) (*ActiveConsignment, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	c, err := activeConsignment(ctx, s.read, r.OrderNumber)
	if err != nil {
		return nil, err
	}
	if err := notManifested(ctx, s.read, c); err != nil {
		return nil, err
	}
	if err := s.checkMoves(ctx, s.read, c, r); err != nil {
		return nil, err
	}
	if err := serviceStillOffered(ctx, s.read, c); err != nil {
		return nil, err
	}
	if err := void(ctx, c.Ref); err != nil {
		return nil, &VoidError{OrderNumber: c.OrderNumber, Err: err}
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now, err := activeConsignment(ctx, tx, r.OrderNumber)
		if err != nil {
			return err
		}
		if now.ID != c.ID {
			return oms.Errorf(oms.EConflict, "the labels of order %s changed meanwhile: try again", c.OrderNumber)
		}
		if err := s.voidConsignment(ctx, tx, c, r.Actor); err != nil {
			return err
		}
		return s.addMovedParcel(ctx, tx, c, r)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// VoidError is a courier's refusal to void a consignment: nothing changed.
type VoidError struct {
	OrderNumber string
	Err         error
}

func (e *VoidError) Error() string {
	return fmt.Sprintf("void the labels of order %s: %v", e.OrderNumber, e.Err)
}

func (e *VoidError) Unwrap() error { return e.Err }

func (r AddParcelRequest) validate() error {
	u := ParcelUpdate{Seq: 1, Grams: r.Grams, Box: r.Box}
	switch {
	case oms.CheckText(r.Reason, 200) != nil || r.Reason == "":
		return oms.Errorf(oms.EInvalid, "reason: say why a parcel is added (1 to 200 characters)")
	case len(r.Move) == 0:
		return oms.Errorf(oms.EInvalid, "move: the new parcel would be empty: move items into it "+
			"(sku, qty, from)")
	case r.NeedsWeight && r.Grams == 0:
		return oms.Errorf(oms.EInvalid, "grams: the courier needs the new parcel's weight")
	}
	for i, m := range r.Move {
		if m.SKU == "" || m.Qty < 1 || m.From < 1 {
			return oms.Errorf(oms.EInvalid, "move[%d]: want a sku, a qty from 1 and the parcel it is from "+
				"(from 1), got sku %s qty %d from %d", i, oms.QuoteShort(m.SKU), m.Qty, m.From)
		}
	}
	return u.Validate()
}

// checkMoves checks each move takes no more than its parcel holds and
// leaves no parcel empty.
func (s *Store) checkMoves(ctx context.Context, q queryer, c *ActiveConsignment, r AddParcelRequest) error {
	ref, err := findOrder(ctx, q, c.OrderNumber, false)
	if err != nil {
		return err
	}
	parcels, err := loadParcels(ctx, q, ref.id)
	if err != nil {
		return err
	}
	held := map[int]map[string]int64{}
	left := map[int]int64{}
	for _, p := range parcels {
		held[p.Seq] = map[string]int64{}
		for _, it := range p.Items {
			held[p.Seq][it.SKU] += it.Qty
			left[p.Seq] += it.Qty
		}
	}
	for _, m := range r.Move {
		inParcel, ok := held[m.From]
		if !ok {
			return oms.Errorf(oms.EConflict, "move %s: order %s has no parcel %d", m.SKU, c.OrderNumber, m.From)
		}
		if inParcel[m.SKU] < m.Qty {
			return oms.Errorf(oms.EConflict, "move %d %s from parcel %d: it holds %d", m.Qty, m.SKU, m.From,
				inParcel[m.SKU])
		}
		inParcel[m.SKU] -= m.Qty
		left[m.From] -= m.Qty
	}
	for _, p := range parcels {
		if left[p.Seq] == 0 {
			return oms.Errorf(oms.EConflict, "the moves leave parcel %d empty: an empty parcel cannot be "+
				"labelled", p.Seq)
		}
	}
	return nil
}

// voidConsignment records a consignment the courier voided.
func (s *Store) voidConsignment(ctx context.Context, tx *sql.Tx, c *ActiveConsignment, actor string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE consignments SET status = 'voided', voided_at = ? WHERE id = ?`,
		s.now(), c.ID); err != nil {
		return fmt.Errorf("void consignment %d: %w", c.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE shipments SET voided = 1 WHERE consignment_id = ?`, c.ID); err != nil {
		return fmt.Errorf("void shipments: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status = 'voided', updated_at = ?
		WHERE status IN ('queued', 'failed', 'unconfirmed')
		AND shipment_id IN (SELECT id FROM shipments WHERE consignment_id = ?)`, s.now(), c.ID); err != nil {
		return fmt.Errorf("void print jobs: %w", err)
	}
	shs, err := consignmentShipments(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	var orderID int64
	var carrier, service string
	if err := tx.QueryRowContext(ctx, `SELECT order_id, carrier, service FROM consignments WHERE id = ?`,
		c.ID).Scan(&orderID, &carrier, &service); err != nil {
		return fmt.Errorf("consignment %d: %w", c.ID, err)
	}
	if len(shs) > 0 {
		service = shs[0].Service
	}
	return s.writeFulfilment(ctx, tx, c.ID, orderID, "voided", carrier, service, shs)
}

func consignmentShipments(ctx context.Context, q queryer, id int64) ([]Shipment, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, parcel, parcels, carrier, service, tracking, tracking_url, sscc
		FROM shipments WHERE consignment_id = ? ORDER BY parcel`, id)
	if err != nil {
		return nil, fmt.Errorf("shipments of consignment %d: %w", id, err)
	}
	defer rows.Close()
	var out []Shipment
	for rows.Next() {
		var sh Shipment
		if err := rows.Scan(&sh.ID, &sh.Parcel, &sh.Parcels, &sh.Carrier, &sh.Service, &sh.Tracking,
			&sh.TrackingURL, &sh.SSCC); err != nil {
			return nil, fmt.Errorf("shipments of consignment %d: %w", id, err)
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// addMovedParcel adds the new parcel, moves the items into it and puts the
// order back to packing until its labels are bought again.
func (s *Store) addMovedParcel(ctx context.Context, tx *sql.Tx, c *ActiveConsignment, r AddParcelRequest) error {
	ref, err := findOrder(ctx, tx, c.OrderNumber, false)
	if err != nil {
		return err
	}
	if err := s.checkMoves(ctx, tx, c, r); err != nil {
		return err
	}
	id, seq, err := s.startParcel(ctx, tx, ref.id, r.Actor, r.Box)
	if err != nil {
		return err
	}
	if r.Grams > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE parcels SET weight_g = ? WHERE id = ?`, r.Grams, id); err != nil {
			return fmt.Errorf("weigh parcel %d: %w", seq, err)
		}
	}
	for _, m := range r.Move {
		if err := moveItems(ctx, tx, ref.id, m, id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE parcels SET status = 'closed' WHERE order_id = ?`, ref.id); err != nil {
		return fmt.Errorf("close parcels: %w", err)
	}
	reason := fmt.Sprintf("parcel %d added: %s; labels to buy again", seq, r.Reason)
	if err := s.setStatus(ctx, tx, ref.id, StatusPacking, reason); err != nil {
		return err
	}
	detail := fmt.Sprintf("parcel %d added (%d g, box %q), consignment %d voided: %s", seq, r.Grams, r.Box,
		c.ID, r.Reason)
	return s.audit(ctx, tx, r.Actor, "parcel.add", "order", c.OrderNumber, detail)
}

// moveItems moves m.Qty units of m.SKU from parcel m.From of the order into
// the parcel with id to, line by line.
func moveItems(ctx context.Context, tx *sql.Tx, orderID int64, m ParcelMove, to int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT pi.parcel_id, pi.order_line_id, pi.qty FROM parcel_items pi
		JOIN parcels p ON p.id = pi.parcel_id WHERE p.order_id = ? AND p.seq = ? AND pi.sku = ?
		ORDER BY pi.order_line_id`, orderID, m.From, m.SKU)
	if err != nil {
		return fmt.Errorf("move %s: %w", m.SKU, err)
	}
	type row struct{ parcel, line, qty int64 }
	var have []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.parcel, &r.line, &r.qty); err != nil {
			rows.Close()
			return fmt.Errorf("move %s: %w", m.SKU, err)
		}
		have = append(have, r)
	}
	rows.Close()
	need := m.Qty
	for _, r := range have {
		n := min(need, r.qty)
		if n == 0 {
			break
		}
		need -= n
		// qty > 0 is checked on every row: a row moved whole is deleted.
		q := `UPDATE parcel_items SET qty = qty - ?1 WHERE parcel_id = ?2 AND order_line_id = ?3 AND sku = ?4`
		if n == r.qty {
			q = `DELETE FROM parcel_items WHERE ?1 > 0 AND parcel_id = ?2 AND order_line_id = ?3 AND sku = ?4`
		}
		if _, err := tx.ExecContext(ctx, q, n, r.parcel, r.line, m.SKU); err != nil {
			return fmt.Errorf("move %s: %w", m.SKU, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO parcel_items (parcel_id, order_line_id, sku, qty)
			VALUES (?, ?, ?, ?) ON CONFLICT (parcel_id, order_line_id, sku) DO UPDATE
			SET qty = qty + excluded.qty`, to, r.line, m.SKU, n); err != nil {
			return fmt.Errorf("move %s: %w", m.SKU, err)
		}
	}
	return nil
}
