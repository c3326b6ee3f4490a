package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// ShipRequest asks for an order's labels: one consignment from one courier
// covering every parcel.
type ShipRequest struct {
	Station     string // where the labels print, and whose order ships when OrderNumber is ""
	Actor       string
	OrderNumber string
	Courier     string // the configured courier's name: "local", "easypost"
	// NeedsWeight refuses parcels without a weight (outside couriers price
	// by weight).
	NeedsWeight bool
	// Override is a supervisor's reason to release an order with lines
	// not verified; "" for none. It is recorded and audited.
	Override  string
	ServiceID string // services.id chosen, "" when no rule chose one
	Service   string // the courier's service code
	ShipDate  string // YYYY-MM-DD, the collection the labels go with
	Printer   string // the printer's description, recorded on the jobs
	Addr      string // the printer's address (printer.Open)
}

// Consignment is a purchase being made: what the courier is asked for.
type Consignment struct {
	ID             int64
	IdempotencyKey string
	Session        *oms.PackSession
	Parcels        []oms.Parcel // the parcels bought for, parcel 1 first
	SSCCs          []string     // each parcel's SSCC, "" when the warehouse has no GS1 prefix
	Request        ShipRequest
}

// Purchase is what a courier sold: one label per parcel, in order.
type Purchase struct {
	Ref       string // the courier's shipment id, for Void and Manifest
	Carrier   string
	Service   string
	CostCents int64
	Currency  string
	Labels    []PurchaseLabel
}

// PurchaseLabel is one parcel's label as the courier made it.
type PurchaseLabel struct {
	Tracking    string
	TrackingURL string
	ZPL         []byte
}

// Shipped is a recorded consignment: its shipments and queued print jobs,
// parcel 1 first.
type Shipped struct {
	ConsignmentID int64
	OrderNumber   string
	Shipments     []Shipment
	Jobs          []PrintJob
}

// BuyFunc buys a consignment from the courier, outside any transaction.
type BuyFunc func(context.Context, *Consignment) (*Purchase, error)

// VoidFunc voids a courier's shipment by its id.
type VoidFunc func(ctx context.Context, ref string) error

// BuyError is a purchase the courier refused: nothing was bought, the
// consignment is recorded 'failed' and the order stays where it was.
type BuyError struct {
	OrderNumber string
	Err         error // the courier's error
}

func (e *BuyError) Error() string {
	return fmt.Sprintf("buy labels of order %s: %v", e.OrderNumber, e.Err)
}

func (e *BuyError) Unwrap() error { return e.Err }

// abandonBuying is how long a consignment may stay 'buying' before a new
// purchase takes it for a server that stopped mid-purchase.
const abandonBuying = 5 * time.Minute

// Ship buys and records an order's labels without ever holding the writer
// during the purchase: a first transaction checks the order may ship and
// records the consignment 'buying'; buy runs outside any transaction; a
// second records the consignment 'active', a shipment and a queued print
// job per parcel, the order shipped, its station freed, a fulfilment
// outbox row and the audit, all at once.
//
// Refusals change nothing and are EConflict errors naming what is missing
// (lines not verified unless r.Override, an empty parcel, a weight the
// courier needs). A refused purchase is a *BuyError and leaves the
// consignment 'failed' with the courier's message. If the second
// transaction fails after a purchase, the purchase is voided with void and
// the error says whether that worked.
func (s *Store) Ship(ctx context.Context, r ShipRequest, buy BuyFunc, void VoidFunc) (*Shipped, error) {
	c, err := s.beginConsignment(ctx, r)
	if err != nil {
		return nil, err
	}
	p, err := buy(ctx, c)
	if err != nil {
		if ferr := s.failConsignment(ctx, c.ID, err.Error()); ferr != nil {
			return nil, errors.Join(&BuyError{OrderNumber: c.Session.OrderNumber, Err: err}, ferr)
		}
		return nil, &BuyError{OrderNumber: c.Session.OrderNumber, Err: err}
	}
	out, err := s.recordConsignment(ctx, c, p)
	if err == nil {
		return out, nil
	}
	verdict := "the purchase was voided: nothing was bought, try again"
	if verr := void(ctx, p.Ref); verr != nil {
		verdict = fmt.Sprintf("voiding the purchase %s failed too (%v): void it with the courier", p.Ref, verr)
	}
	msg := fmt.Sprintf("labels of order %s were bought but could not be recorded (%v); %s",
		c.Session.OrderNumber, err, verdict)
	if ferr := s.failConsignment(ctx, c.ID, msg); ferr != nil {
		err = errors.Join(err, ferr)
	}
	return nil, &RecordError{Message: msg, Err: err}
}

// RecordError is a purchase that could not be recorded: Message says what
// became of it (voided, or to void by hand).
type RecordError struct {
	Message string
	Err     error
}

func (e *RecordError) Error() string { return e.Message }

func (e *RecordError) Unwrap() error { return e.Err }

// beginConsignment is Ship's first transaction.
func (s *Store) beginConsignment(ctx context.Context, r ShipRequest) (*Consignment, error) {
	c := &Consignment{Request: r}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		sess, err := s.shippable(ctx, tx, r)
		if err != nil {
			return err
		}
		c.Session = sess
		if err := s.checkNotBuying(ctx, tx, sess); err != nil {
			return err
		}
		if c.Parcels, err = s.parcelsToShip(ctx, tx, sess, r); err != nil {
			return err
		}
		if c.SSCCs, err = newSSCCs(ctx, tx, len(c.Parcels)); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO consignments (order_id, courier, service_id, service, ship_date,
			parcels, status, override, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'buying', ?, ?, ?)
			RETURNING id`, sess.OrderID, r.Courier, r.ServiceID, r.Service, r.ShipDate, len(c.Parcels),
			r.Override, r.Actor, s.now()).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("start consignment: %w", err)
		}
		c.IdempotencyKey = fmt.Sprintf("shipshape-%s-c%d", sess.OrderNumber, c.ID)
		_, err = tx.ExecContext(ctx, `UPDATE consignments SET idempotency_key = ? WHERE id = ?`,
			c.IdempotencyKey, c.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// shippable loads the order to ship and checks its lines (unless
// overridden) and parcels.
func (s *Store) shippable(ctx context.Context, tx *sql.Tx, r ShipRequest) (*oms.PackSession, error) {
	sess, err := s.releasable(ctx, tx, Release{Station: r.Station, OrderNumber: r.OrderNumber})
	if r.Override != "" && sess != nil && oms.ErrorCode(err) == oms.EConflict {
		err = nil // the supervisor releases it as it is
	}
	if err != nil {
		return nil, err
	}
	if r.Override != "" {
		return sess, checkParcelWeights(sess, r.NeedsWeight)
	}
	if dropped, err := dropEmptyLastParcel(ctx, tx, sess); err != nil || dropped {
		if err != nil {
			return nil, err
		}
		return s.shippable(ctx, tx, r)
	}
	return sess, sess.CheckParcels(r.NeedsWeight)
}

// dropEmptyLastParcel removes the last parcel when it was started but
// nothing went into it (New parcel pressed after the last item): a box
// that stays on the bench needs no label. It reports whether it did.
func dropEmptyLastParcel(ctx context.Context, tx *sql.Tx, sess *oms.PackSession) (bool, error) {
	n := len(sess.Parcels)
	if n < 2 || sess.Parcels[n-1].Units() > 0 {
		return false, nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM parcels WHERE order_id = ? AND seq = ?
		AND NOT EXISTS (SELECT 1 FROM parcel_items i WHERE i.parcel_id = parcels.id)`,
		sess.OrderID, sess.Parcels[n-1].Seq)
	if n, err := rowsAffected(res, err); err != nil || n == 0 {
		return false, err
	}
	// The parcel before it was closed when the empty one was started.
	if _, err := tx.ExecContext(ctx, `UPDATE parcels SET status = 'open' WHERE order_id = ? AND seq = ?`,
		sess.OrderID, sess.Parcels[n-2].Seq); err != nil {
		return false, fmt.Errorf("reopen parcel %d: %w", sess.Parcels[n-2].Seq, err)
	}
	return true, nil
}

// checkParcelWeights is CheckParcels for an override: only parcels with
// items ship, and those need a weight when the courier wants one.
func checkParcelWeights(sess *oms.PackSession, needWeight bool) error {
	if !needWeight {
		return nil
	}
	withItems := &oms.PackSession{OrderNumber: sess.OrderNumber}
	for _, p := range sess.Parcels {
		if p.Units() > 0 {
			withItems.Parcels = append(withItems.Parcels, p)
		}
	}
	if len(withItems.Parcels) == 0 && len(sess.Parcels) > 0 {
		withItems.Parcels = sess.Parcels[:1]
	}
	return withItems.CheckParcels(true)
}

// parcelsToShip returns the parcels the consignment covers: all of them;
// with an override, those with items (parcel 1 when none has any, started
// if the order never reached a station).
func (s *Store) parcelsToShip(ctx context.Context, tx *sql.Tx, sess *oms.PackSession,
	r ShipRequest) ([]oms.Parcel, error) {
	if r.Override == "" {
		return sess.Parcels, nil
	}
	var out []oms.Parcel
	for _, p := range sess.Parcels {
		if p.Units() > 0 {
			out = append(out, p)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if len(sess.Parcels) > 0 {
		return sess.Parcels[:1], nil
	}
	id, seq, err := s.startParcel(ctx, tx, sess.OrderID, r.Actor, "")
	if err != nil {
		return nil, err
	}
	if r.NeedsWeight {
		return nil, oms.Errorf(oms.EConflict, "cannot release the labels of order %s: parcel 1 has no weight",
			sess.OrderNumber)
	}
	return []oms.Parcel{{ID: id, Seq: seq, Items: []oms.ParcelItem{}}}, nil
}

// checkNotBuying refuses a second purchase while one is under way; one
// left 'buying' longer than abandonBuying (the server stopped during it)
// is marked failed and no longer blocks.
func (s *Store) checkNotBuying(ctx context.Context, tx *sql.Tx, sess *oms.PackSession) error {
	stale := s.Now().Add(-abandonBuying).UTC().Format(time.RFC3339Nano)
	if _, err := tx.ExecContext(ctx, `UPDATE consignments SET status = 'failed',
		error = 'abandoned while buying: check with the courier that nothing was bought'
		WHERE order_id = ? AND status = 'buying' AND created_at < ?`, sess.OrderID, stale); err != nil {
		return fmt.Errorf("abandoned purchases: %w", err)
	}
	var busy bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM consignments WHERE order_id = ?
		AND status = 'buying')`, sess.OrderID).Scan(&busy)
	if err != nil {
		return fmt.Errorf("purchases under way: %w", err)
	}
	if busy {
		return oms.Errorf(oms.EConflict, "the labels of order %s are being bought now: wait for them",
			sess.OrderNumber)
	}
	return nil
}

// newSSCCs makes n SSCCs from the warehouse's GS1 company prefix and the
// "sscc" counter, or n empty strings when the warehouse has no prefix.
func newSSCCs(ctx context.Context, tx *sql.Tx, n int) ([]string, error) {
	var prefix string
	err := tx.QueryRowContext(ctx, `SELECT gs1_prefix FROM warehouse WHERE id = 1`).Scan(&prefix)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("gs1 prefix: %w", err)
	}
	out := make([]string, n)
	if prefix == "" {
		return out, nil
	}
	for i := range out {
		serial, err := nextSeq(ctx, tx, "sscc")
		if err != nil {
			return nil, err
		}
		if out[i], err = labels.NewSSCC(0, prefix, serial); err != nil {
			return nil, oms.Errorf(oms.EConflict, "cannot number parcel %d: %v", i+1, err)
		}
	}
	return out, nil
}

// failConsignment records a purchase that did not happen.
func (s *Store) failConsignment(ctx context.Context, id int64, msg string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE consignments SET status = 'failed', error = ? WHERE id = ?`,
			clip(msg, 1000), id)
		if err != nil {
			return fmt.Errorf("consignment %d failed: %w", id, err)
		}
		var number string
		if err := tx.QueryRowContext(ctx, `SELECT o.number FROM consignments c JOIN orders o ON o.id = c.order_id
			WHERE c.id = ?`, id).Scan(&number); err != nil {
			return fmt.Errorf("consignment %d: %w", id, err)
		}
		return s.audit(ctx, tx, "server", "label.buy_failed", "order", number, clip(msg, 1000))
	})
}

// recordConsignment is Ship's second transaction.
func (s *Store) recordConsignment(ctx context.Context, c *Consignment, p *Purchase) (*Shipped, error) {
	out := &Shipped{ConsignmentID: c.ID, OrderNumber: c.Session.OrderNumber}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if len(p.Labels) != len(c.Parcels) {
			return fmt.Errorf("the courier sold %d labels for %d parcels", len(p.Labels), len(c.Parcels))
		}
		res, err := tx.ExecContext(ctx, `UPDATE consignments SET status = 'active', courier_ref = ?, carrier = ?,
			cost_cents = ?, currency = ? WHERE id = ? AND status = 'buying'`, p.Ref, p.Carrier,
			nullCents(p.CostCents), p.Currency, c.ID)
		if n, err := rowsAffected(res, err); err != nil {
			return fmt.Errorf("consignment %d: %w", c.ID, err)
		} else if n == 0 {
			return fmt.Errorf("consignment %d is no longer being bought", c.ID)
		}
		// One time for every label, so the queue (oldest first, then by
		// rowid) prints them in parcel order.
		at := s.now()
		for i := range c.Parcels {
			sh, job, err := s.recordParcelLabel(ctx, tx, c, p, i, at)
			if err != nil {
				return err
			}
			out.Shipments, out.Jobs = append(out.Shipments, sh), append(out.Jobs, job)
		}
		return s.finishShipping(ctx, tx, c, p, out.Shipments)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func nullCents(c int64) any {
	if c == 0 {
		return nil
	}
	return c
}

// recordParcelLabel stores parcel i's shipment and its queued print job:
// the courier's label byte for byte, once it is checked to be ZPL.
func (s *Store) recordParcelLabel(ctx context.Context, tx *sql.Tx, c *Consignment, p *Purchase,
	i int, at string) (Shipment, PrintJob, error) {
	r, pc, lb := c.Request, c.Parcels[i], p.Labels[i]
	data, err := labels.Passthrough(lb.ZPL)
	if err != nil {
		return Shipment{}, PrintJob{}, fmt.Errorf("label of parcel %d: %w", pc.Seq, err)
	}
	sh := Shipment{OrderNumber: c.Session.OrderNumber, Parcel: i + 1, Parcels: len(c.Parcels),
		Carrier: p.Carrier, Service: p.Service, Tracking: lb.Tracking, TrackingURL: lb.TrackingURL,
		SSCC: c.SSCCs[i]}
	err = tx.QueryRowContext(ctx, `INSERT INTO shipments (order_id, parcel, parcels, carrier, service, tracking,
		created_by, created_at, consignment_id, parcel_id, sscc, tracking_url)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.Session.OrderID, sh.Parcel, sh.Parcels,
		sh.Carrier, sh.Service, sh.Tracking, r.Actor, at, c.ID, pc.ID, sh.SSCC, sh.TrackingURL).Scan(&sh.ID)
	if err != nil {
		return sh, PrintJob{}, fmt.Errorf("save shipment of parcel %d: %w", pc.Seq, err)
	}
	job := PrintJob{ID: fmt.Sprintf("label-%s-%d", sh.OrderNumber, sh.ID), Station: r.Station,
		Printer: r.Printer, Addr: r.Addr, Data: data, Status: JobQueued}
	if _, err := tx.ExecContext(ctx, `INSERT INTO print_jobs (id, station_id, shipment_id, printer, addr,
		data, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)`, job.ID, r.Station,
		sh.ID, r.Printer, r.Addr, data, at, at); err != nil {
		return sh, job, fmt.Errorf("queue label of parcel %d: %w", pc.Seq, err)
	}
	return sh, job, nil
}

// finishShipping closes the parcels, ships the order, frees its station,
// writes the fulfilment outbox row and the audit.
func (s *Store) finishShipping(ctx context.Context, tx *sql.Tx, c *Consignment, p *Purchase, shs []Shipment) error {
	id := c.Session.OrderID
	if _, err := tx.ExecContext(ctx, `UPDATE parcels SET status = 'closed' WHERE order_id = ?`, id); err != nil {
		return fmt.Errorf("close parcels: %w", err)
	}
	if err := s.setStatus(ctx, tx, id, StatusShipped, ""); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stations SET order_id = NULL WHERE order_id = ?`, id); err != nil {
		return fmt.Errorf("free station: %w", err)
	}
	if err := s.writeFulfilment(ctx, tx, c.ID, id, "shipped", p.Carrier, p.Service, shs); err != nil {
		return err
	}
	tracking := make([]string, len(shs))
	for i, sh := range shs {
		tracking[i] = sh.Tracking
	}
	detail := fmt.Sprintf("%s %s, %d parcels, tracking %s", p.Carrier, p.Service, len(shs),
		strings.Join(tracking, ", "))
	if c.Request.Override != "" {
		detail += "; released unverified by override: " + c.Request.Override
		if err := s.audit(ctx, tx, c.Request.Actor, "label.override", "order", c.Session.OrderNumber,
			c.Request.Override); err != nil {
			return err
		}
	}
	return s.audit(ctx, tx, c.Request.Actor, "label.release", "order", c.Session.OrderNumber, detail)
}

// FulfilmentParcel is one parcel of a fulfilment outbox payload.
type FulfilmentParcel struct {
	Parcel      int    `json:"parcel"`
	Tracking    string `json:"tracking"`
	TrackingURL string `json:"tracking_url"`
}

// FulfilmentPayload is a fulfilment outbox row's payload: what the channel
// is told.
type FulfilmentPayload struct {
	Order   string             `json:"order"`
	Carrier string             `json:"carrier"`
	Service string             `json:"service"`
	Parcels []FulfilmentParcel `json:"parcels"`
}

// writeFulfilment appends a fulfilment outbox row for the order's channel.
func (s *Store) writeFulfilment(ctx context.Context, tx *sql.Tx, consignmentID, orderID int64, kind, carrier,
	service string, shs []Shipment) error {
	var number, channel, channelOrderID string
	if err := tx.QueryRowContext(ctx, `SELECT number, channel, channel_order_id FROM orders WHERE id = ?`,
		orderID).Scan(&number, &channel, &channelOrderID); err != nil {
		return fmt.Errorf("order %d: %w", orderID, err)
	}
	pl := FulfilmentPayload{Order: number, Carrier: carrier, Service: service, Parcels: []FulfilmentParcel{}}
	for _, sh := range shs {
		pl.Parcels = append(pl.Parcels, FulfilmentParcel{Parcel: sh.Parcel, Tracking: sh.Tracking,
			TrackingURL: sh.TrackingURL})
	}
	payload, _ := json.Marshal(pl)
	_, err := tx.ExecContext(ctx, `INSERT INTO fulfilment_outbox (at, order_id, channel_id, channel_order_id,
		consignment_id, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)`, s.now(), orderID, channel, channelOrderID,
		consignmentID, kind, string(payload))
	if err != nil {
		return fmt.Errorf("fulfilment outbox: %w", err)
	}
	return nil
}

// TrackingSerials returns n new serials of the local courier's tracking
// numbers, each used once (the courier.LocalConfig.Serials of the server).
func (s *Store) TrackingSerials(ctx context.Context, n int) ([]int64, error) {
	out := make([]int64, n)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i := range out {
			v, err := nextSeq(ctx, tx, "tracking:Local courier")
			if err != nil {
				return err
			}
			out[i] = v
		}
		return nil
	})
	return out, err
}

// clip cuts s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
