package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// CourierLabel asks to print a label bought from a courier as it is: its
// bytes are not ours to change, and no shipment of ours goes with it.
type CourierLabel struct {
	Station string
	Actor   string
	Printer string // the printer's description, recorded on the job
	Data    []byte // the ZPL to print, already checked by labels.Passthrough
}

// QueueCourierLabel stores a courier's label as a queued print job, with no
// shipment, and audits who asked for it at which station, all in one
// transaction. The job id is "courier-" and a serial the store counts.
//
// It returns an EInvalid error when the station or the data is empty.
func (s *Store) QueueCourierLabel(ctx context.Context, l CourierLabel) (*PrintJob, error) {
	if l.Station == "" {
		return nil, oms.Errorf(oms.EInvalid, "courier label: station is required")
	}
	if len(l.Data) == 0 {
		return nil, oms.Errorf(oms.EInvalid, "courier label: the label is empty")
	}
	var job *PrintJob
	err := s.tx(ctx, func(tx *sql.Tx) error {
		serial, err := nextSeq(ctx, tx, "print_job:courier")
		if err != nil {
			return err
		}
		job = &PrintJob{ID: fmt.Sprintf("courier-%d", serial), Station: l.Station, Printer: l.Printer,
			Data: l.Data, Status: "queued"}
		if _, err := tx.ExecContext(ctx, `INSERT INTO print_jobs (id, station_id, shipment_id, printer, data,
			status, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, 'queued', ?, ?)`, job.ID, l.Station,
			l.Printer, l.Data, s.now(), s.now()); err != nil {
			return fmt.Errorf("queue courier label: %w", err)
		}
		detail := fmt.Sprintf("station %s, %d bytes of courier ZPL on %s", l.Station, len(l.Data), l.Printer)
		return s.audit(ctx, tx, l.Actor, "label.passthrough", "print_job", job.ID, detail)
	})
	if err != nil {
		return nil, err
	}
	return job, nil
}

// JobSummary is a print job as the labels page lists it, without its data.
type JobSummary struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"` // "shipping" (a label we built) or "courier" (passed through)
	Station     string `json:"station"`
	Printer     string `json:"printer"`
	Status      string `json:"status"`
	Error       string `json:"error,omitempty"`
	OrderNumber string `json:"order_number,omitempty"` // a shipping label's order
	Tracking    string `json:"tracking,omitempty"`
	Bytes       int    `json:"bytes"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

// PrintJobs returns the latest limit print jobs, newest first (in the order
// they were stored), only those of one station when station is not "".
func (s *Store) PrintJobs(ctx context.Context, station string, limit int) ([]JobSummary, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT j.id, j.shipment_id IS NULL, j.station_id, j.printer,
		j.status, j.error, COALESCE(o.number, ''), COALESCE(sh.tracking, ''), length(j.data), j.created_at,
		j.updated_at FROM print_jobs j LEFT JOIN shipments sh ON sh.id = j.shipment_id
		LEFT JOIN orders o ON o.id = sh.order_id
		WHERE ?1 = '' OR j.station_id = ?1 ORDER BY j.rowid DESC LIMIT ?2`, station, limit)
	if err != nil {
		return nil, fmt.Errorf("print jobs: %w", err)
	}
	defer rows.Close()
	out := []JobSummary{}
	for rows.Next() {
		var j JobSummary
		var courier bool
		if err := rows.Scan(&j.ID, &courier, &j.Station, &j.Printer, &j.Status, &j.Error, &j.OrderNumber,
			&j.Tracking, &j.Bytes, &j.CreatedAt, &j.UpdatedAt); err != nil {
			return nil, fmt.Errorf("print jobs: %w", err)
		}
		j.Kind = "shipping"
		if courier {
			j.Kind = "courier"
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
