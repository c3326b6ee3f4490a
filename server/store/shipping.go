package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Shipment is one parcel's consignment with a courier.
type Shipment struct {
	ID          int64  `json:"id"`
	OrderNumber string `json:"order_number"`
	Parcel      int    `json:"parcel"`
	Parcels     int    `json:"parcels"`
	Carrier     string `json:"carrier"`
	Service     string `json:"service"`
	Tracking    string `json:"tracking"`
	TrackingURL string `json:"tracking_url,omitempty"`
	SSCC        string `json:"sscc,omitempty"`
	// Voided is true once the label's consignment was voided (a parcel
	// was added and every label bought again).
	Voided bool `json:"voided"`
}

// PrintJob is a label stored before it is sent to a printer.
type PrintJob struct {
	ID      string `json:"id"`
	Station string `json:"station"`
	Printer string `json:"printer"` // the printer's description
	Addr    string `json:"addr"`    // the printer's address (printer.Open), where it is sent
	Data    []byte `json:"-"`
	Status  string `json:"status"` // one of the Job* statuses
	Error   string `json:"error,omitempty"`
	// Attempts counts the sends that put it back in the queue; it waits
	// until NextAttemptAt (RFC 3339 UTC, "" for no wait).
	Attempts      int    `json:"attempts"`
	NextAttemptAt string `json:"next_attempt_at,omitempty"`
}

const jobColumns = `id, station_id, printer, addr, data, status, error, attempts, next_attempt_at`

// fields are the destinations of jobColumns, ID first.
func (j *PrintJob) fields() []any {
	return []any{&j.ID, &j.Station, &j.Printer, &j.Addr, &j.Data, &j.Status, &j.Error, &j.Attempts,
		&j.NextAttemptAt}
}

// Release asks for an order's courier label. Label is called inside the
// transaction with the verified order, the parcel's shipment (its tracking
// number is issued by Tracking from a serial the store counts) and returns
// the label's bytes.
type Release struct {
	Station     string
	Actor       string
	OrderNumber string // "" for the order open at Station
	Carrier     string
	Service     string // "" for the order's ship service level
	Printer     string // the printer's description, recorded on the job
	Addr        string // the printer's address (printer.Open), where the queue sends it
	Tracking    func(serial int64) string
	Label       func(*oms.PackSession, Shipment) ([]byte, error)
}

// ReleaseLabel is the one-parcel release from before consignments: the
// server now buys labels with Ship, and ReleaseLabel records no consignment,
// parcel or fulfilment. It issues a tracking number, builds the label and stores it as a
// queued print job, and marks the order shipped, all in one transaction, and
// only when every line of the order has been verified. Otherwise it returns
// an EConflict error naming the lines that are not, and changes nothing.
func (s *Store) ReleaseLabel(ctx context.Context, r Release) (*Shipment, *PrintJob, error) {
	var sh Shipment
	var job PrintJob
	err := s.tx(ctx, func(tx *sql.Tx) error {
		sess, err := s.releasable(ctx, tx, r)
		if err != nil {
			return err
		}
		serial, err := nextSeq(ctx, tx, "tracking:"+r.Carrier)
		if err != nil {
			return err
		}
		service := cmp.Or(r.Service, sess.ServiceLevel, "Standard")
		sh = Shipment{OrderNumber: sess.OrderNumber, Parcel: 1, Parcels: 1, Carrier: r.Carrier,
			Service: service, Tracking: r.Tracking(serial)}
		data, err := r.Label(sess, sh)
		if err != nil {
			return fmt.Errorf("build label: %w", err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO shipments (order_id, parcel, parcels, carrier, service,
			tracking, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, sess.OrderID,
			sh.Parcel, sh.Parcels, sh.Carrier, sh.Service, sh.Tracking, r.Actor, s.now()).Scan(&sh.ID)
		if err != nil {
			return fmt.Errorf("save shipment: %w", err)
		}
		job = PrintJob{ID: fmt.Sprintf("label-%s-%d", sess.OrderNumber, sh.ID), Station: r.Station,
			Printer: r.Printer, Addr: r.Addr, Data: data, Status: JobQueued}
		if _, err := tx.ExecContext(ctx, `INSERT INTO print_jobs (id, station_id, shipment_id, printer, addr,
			data, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)`, job.ID, r.Station,
			sh.ID, r.Printer, r.Addr, data, s.now(), s.now()); err != nil {
			return fmt.Errorf("queue print job: %w", err)
		}
		if err := s.setStatus(ctx, tx, sess.OrderID, StatusShipped, ""); err != nil {
			return err
		}
		// The parcel is done: the station is free for the next order.
		if _, err := tx.ExecContext(ctx, `UPDATE stations SET order_id = NULL WHERE order_id = ?`,
			sess.OrderID); err != nil {
			return fmt.Errorf("free station: %w", err)
		}
		detail := fmt.Sprintf("%s %s tracking %s", sh.Carrier, sh.Service, sh.Tracking)
		return s.audit(ctx, tx, r.Actor, "label.release", "order", sess.OrderNumber, detail)
	})
	if err != nil {
		return nil, nil, err
	}
	return &sh, &job, nil
}

// releasable loads the order to label and checks every line is verified.
func (s *Store) releasable(ctx context.Context, tx *sql.Tx, r Release) (*oms.PackSession, error) {
	var o *Order
	var err error
	if r.OrderNumber != "" {
		var ref orderRef
		if ref, err = findOrder(ctx, tx, r.OrderNumber, false); err == nil {
			o, err = orderWhere(ctx, tx, "id = ?", ref.id)
		}
	} else {
		var orderID sql.NullInt64
		err = tx.QueryRowContext(ctx, `SELECT order_id FROM stations WHERE id = ?`, r.Station).Scan(&orderID)
		if err != nil || !orderID.Valid {
			return nil, oms.Errorf(oms.EConflict, "no order open at station %s: scan an order first", r.Station)
		}
		o, err = orderWhere(ctx, tx, "id = ?", orderID.Int64)
	}
	if err != nil {
		return nil, err
	}
	if o.Status == StatusShipped {
		return nil, oms.Errorf(oms.EConflict, "order %s already has a label: reprint it instead", o.Number)
	}
	if o.Status != StatusPacking && o.Status != StatusPicked {
		return nil, oms.Errorf(oms.EConflict, "cannot release the label of order %s: it is %s",
			o.Number, statusPhrase(o.Status))
	}
	sess, err := loadSession(ctx, tx, o.ID)
	if err != nil {
		return nil, err
	}
	return sess, sess.CheckVerified()
}

// PrintJob returns a stored print job, or an ENotFound error.
func (s *Store) PrintJob(ctx context.Context, id string) (*PrintJob, error) {
	j := &PrintJob{}
	err := s.read.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM print_jobs WHERE id = ?`, id).Scan(
		j.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "no print job %q", id)
	} else if err != nil {
		return nil, fmt.Errorf("print job %s: %w", id, err)
	}
	return j, nil
}

// Reprint puts a stored job back in the queue, for the printer now given,
// recording by whom and at which station, and returns it with replayed
// false. A reprint is always an explicit act, never a retry, so it is
// audited (against the order too) and shown with the scans; it is the only
// way an unconfirmed job is sent again. A command id already seen for that
// user returns the job with replayed true: nothing is queued again.
//
// It returns an ENotFound error for an unknown job, and an EConflict error
// while the job is being sent (wait for its outcome) or when its label was
// voided (a parcel was added and every label bought again).
func (s *Store) Reprint(ctx context.Context, r ReprintRequest) (job *PrintJob, replayed bool, err error) {
	if job, err = s.PrintJob(ctx, r.JobID); err != nil {
		return nil, false, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if v, err := replay(ctx, tx, r.Actor, r.CmdID); v != nil || err != nil {
			replayed = v != nil
			return err
		}
		var voided bool
		if err := tx.QueryRowContext(ctx, `SELECT j.status = 'voided' OR COALESCE(s.voided, 0) FROM print_jobs j
			LEFT JOIN shipments s ON s.id = j.shipment_id WHERE j.id = ?`, r.JobID).Scan(&voided); err != nil {
			return fmt.Errorf("reprint %s: %w", r.JobID, err)
		}
		if voided {
			return oms.Errorf(oms.EConflict, "print job %s is a voided label (a parcel was added and the labels "+
				"bought again): use the new labels", r.JobID)
		}
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status = 'queued', error = '', printer = ?,
			addr = ?, attempts = 0, next_attempt_at = '', updated_at = ? WHERE id = ?
			AND status NOT IN ('sending', 'voided')`, r.Printer, r.Addr, s.now(), r.JobID)
		if n, _ := rowsAffected(res, err); err == nil && n == 0 {
			return oms.Errorf(oms.EConflict, "print job %s is being sent now: wait for its outcome", r.JobID)
		}
		if err != nil {
			return fmt.Errorf("reprint %s: %w", r.JobID, err)
		}
		msg := fmt.Sprintf("Reprint of %s on %s", r.JobID, r.Printer)
		if _, err := s.recordScan(ctx, tx, Scan{User: r.Actor, Where: "pack", Station: r.Station, Code: r.JobID,
			OK: true, Message: msg}, r.CmdID); err != nil {
			return err
		}
		return s.audit(ctx, tx, r.Actor, "label.reprint", "print_job", r.JobID, "station "+r.Station+", "+msg)
	})
	if err != nil || replayed {
		return job, replayed, err
	}
	job.Printer, job.Addr, job.Status, job.Error = r.Printer, r.Addr, JobQueued, ""
	job.Attempts, job.NextAttemptAt = 0, ""
	return job, false, nil
}

// ReprintRequest names the label to print again, who asks for it, and the
// printer it goes to: Printer describes it, Addr is its printer.Open address.
type ReprintRequest struct {
	JobID, Station, Actor, Printer, Addr string
	CmdID                                string // the client's command id; "" for none
}

// Label is a shipping label's print job with its shipment.
type Label struct {
	Shipment
	JobID   string `json:"job_id"`
	Station string `json:"station"`
	Printer string `json:"printer"`
	Status  string `json:"status"`
	Error   string `json:"error,omitempty"`
}

const labelColumns = `j.id, j.station_id, j.printer, j.status, j.error, sh.id, o.number, sh.parcel, sh.parcels,
	sh.carrier, sh.service, sh.tracking, sh.tracking_url, sh.sscc, sh.voided FROM print_jobs j
	JOIN shipments sh ON sh.id = j.shipment_id JOIN orders o ON o.id = sh.order_id`

func scanLabels(rows *sql.Rows) ([]Label, error) {
	defer rows.Close()
	out := []Label{}
	for rows.Next() {
		var l Label
		if err := rows.Scan(&l.JobID, &l.Station, &l.Printer, &l.Status, &l.Error, &l.ID, &l.OrderNumber, &l.Parcel,
			&l.Parcels, &l.Carrier, &l.Service, &l.Tracking, &l.TrackingURL, &l.SSCC, &l.Voided); err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// OrderLabels returns the labels of an order with their print status.
func (s *Store) OrderLabels(ctx context.Context, orderID int64) ([]Label, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+labelColumns+` WHERE sh.order_id = ? ORDER BY sh.id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	return scanLabels(rows)
}

// StationFailedLabel returns the station's latest label when it failed to
// print or was not confirmed, so a packer who reloads the page still sees it
// and can reprint; an ENotFound error when the latest label printed, is
// still queued, or there is none.
func (s *Store) StationFailedLabel(ctx context.Context, station string) (*Label, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+labelColumns+` WHERE j.station_id = ?
		ORDER BY j.created_at DESC, j.rowid DESC LIMIT 1`, station)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	ls, err := scanLabels(rows)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 || ls[0].Status != JobFailed && ls[0].Status != JobUnconfirmed {
		return nil, oms.Errorf(oms.ENotFound, "no failed label at station %s", station)
	}
	return &ls[0], nil
}

// Shipments returns the shipments of an order.
func (s *Store) Shipments(ctx context.Context, orderID int64) ([]Shipment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.id, o.number, s.parcel, s.parcels, s.carrier, s.service,
		s.tracking, s.tracking_url, s.sscc, s.voided FROM shipments s JOIN orders o ON o.id = s.order_id
		WHERE s.order_id = ? ORDER BY s.id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("shipments: %w", err)
	}
	defer rows.Close()
	out := []Shipment{}
	for rows.Next() {
		var sh Shipment
		if err := rows.Scan(&sh.ID, &sh.OrderNumber, &sh.Parcel, &sh.Parcels, &sh.Carrier, &sh.Service,
			&sh.Tracking, &sh.TrackingURL, &sh.SSCC, &sh.Voided); err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// Counts is the number of orders at each stage of the floor, as the
// dashboard shows them.
type Counts struct {
	Waiting   int `json:"waiting"`
	Picking   int `json:"picking"`
	Packing   int `json:"packing"`
	Shipped   int `json:"shipped"`
	Exception int `json:"exception"`
	// LabelsWaiting counts shipping labels queued for a printer the queue
	// tried and had to put a job back for (not ready or unreachable): the
	// tried job and those behind it wait, they have not failed.
	LabelsWaiting int `json:"labels_waiting"`
}

// Counts returns how many orders wait to be picked (allocated or waiting for
// stock), are being picked, wait for or are on a packing station, are shipped,
// or need a supervisor (an exception, or a label that failed or was not
// confirmed), and how many labels wait for a printer that is not printing.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.read.QueryRowContext(ctx, `SELECT
		COUNT(*) FILTER (WHERE status IN ('waiting', 'allocated')),
		COUNT(*) FILTER (WHERE status = 'picking'),
		COUNT(*) FILTER (WHERE status IN ('picked', 'packing')),
		COUNT(*) FILTER (WHERE status = 'shipped'),
		COUNT(*) FILTER (WHERE status = 'exception')
			+ (SELECT COUNT(*) FROM print_jobs WHERE status IN ('failed', 'unconfirmed')
				AND shipment_id IS NOT NULL),
		(SELECT COUNT(*) FROM print_jobs WHERE status = 'queued' AND shipment_id IS NOT NULL
			AND addr IN (SELECT addr FROM print_jobs WHERE status = 'queued' AND attempts > 0))
		FROM orders`).Scan(
		&c.Waiting, &c.Picking, &c.Packing, &c.Shipped, &c.Exception, &c.LabelsWaiting)
	if err != nil {
		return c, fmt.Errorf("counts: %w", err)
	}
	return c, nil
}

// RecentScans returns the latest n scans, newest first.
func (s *Store) RecentScans(ctx context.Context, n int) ([]Scan, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT at, user, place, station, code, ok, message FROM scans
		ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("recent scans: %w", err)
	}
	defer rows.Close()
	out := []Scan{}
	for rows.Next() {
		var sc Scan
		if err := rows.Scan(&sc.At, &sc.User, &sc.Where, &sc.Station, &sc.Code, &sc.OK, &sc.Message); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// IsEmpty reports whether the database has no products yet (a new warehouse).
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM products`).Scan(&n); err != nil {
		return false, fmt.Errorf("count products: %w", err)
	}
	return n == 0, nil
}

// JobShipment returns the shipment a print job is the label of, or an
// ENotFound error.
func (s *Store) JobShipment(ctx context.Context, jobID string) (*Shipment, error) {
	var sh Shipment
	err := s.read.QueryRowContext(ctx, `SELECT s.id, o.number, s.parcel, s.parcels, s.carrier, s.service,
		s.tracking FROM print_jobs j JOIN shipments s ON s.id = j.shipment_id JOIN orders o ON o.id = s.order_id
		WHERE j.id = ?`, jobID).Scan(&sh.ID, &sh.OrderNumber, &sh.Parcel, &sh.Parcels, &sh.Carrier, &sh.Service,
		&sh.Tracking)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "print job %q is not a shipping label", jobID)
	} else if err != nil {
		return nil, fmt.Errorf("shipment of job %s: %w", jobID, err)
	}
	return &sh, nil
}

// Exception is an order that needs a supervisor, and why.
type Exception struct {
	Number    string `json:"number"`
	Reason    string `json:"reason"`
	UpdatedAt string `json:"updated_at"`
	JobID     string `json:"job_id,omitempty"` // a label that did not print
}

// Exceptions returns the orders in exception and the labels that failed or
// were not confirmed, the latest first.
func (s *Store) Exceptions(ctx context.Context, limit int) ([]Exception, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT number, status_reason, updated_at, '' FROM orders
		WHERE status = ?1
		UNION ALL
		SELECT o.number, CASE j.status WHEN 'failed' THEN 'label not printed: '
			ELSE 'label sent but not confirmed (look at the printer, then reprint if needed): ' END
			|| j.error, j.updated_at, j.id FROM print_jobs j
		JOIN shipments sh ON sh.id = j.shipment_id JOIN orders o ON o.id = sh.order_id
		WHERE j.status IN ('failed', 'unconfirmed')
		ORDER BY 3 DESC LIMIT ?2`, StatusException, limit)
	if err != nil {
		return nil, fmt.Errorf("exceptions: %w", err)
	}
	defer rows.Close()
	out := []Exception{}
	for rows.Next() {
		var e Exception
		if err := rows.Scan(&e.Number, &e.Reason, &e.UpdatedAt, &e.JobID); err != nil {
			return nil, fmt.Errorf("exceptions: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
