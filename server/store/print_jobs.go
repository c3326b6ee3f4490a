package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// CourierLabel asks to print a label bought from a courier as it is: its
// bytes are not ours to change, and no shipment of ours goes with it.
type CourierLabel struct {
	Station string
	Actor   string
	Printer string // the printer's description, recorded on the job
	Addr    string // the printer's address (printer.Open), where the queue sends it
	Data    []byte // the ZPL to print, already checked by labels.Passthrough
	CmdID   string // the client's Idempotency-Key; "" for none
}

// QueueCourierLabel stores a courier's label as a queued print job, with no
// shipment, records it with the station's scans and audits who asked for it
// at which station, all in one transaction, and returns it with replayed
// false. The job id is "courier-" and a serial the store counts.
//
// A command id the actor already used returns the job it queued then with
// replayed true, and changes nothing: the caller must not print it again.
//
// It returns an EInvalid error when the station or the data is empty, and
// an EConflict error when the command id was already used for another
// command, label or station.
func (s *Store) QueueCourierLabel(ctx context.Context, l CourierLabel) (*PrintJob, bool, error) {
	if l.Station == "" {
		return nil, false, oms.Errorf(oms.EInvalid, "courier label: station is required")
	}
	if len(l.Data) == 0 {
		return nil, false, oms.Errorf(oms.EInvalid, "courier label: the label is empty")
	}
	return s.queueJob(ctx, newJob{prefix: "courier", station: l.Station, actor: l.Actor, printer: l.Printer,
		addr: l.Addr, data: l.Data, cmdID: l.CmdID, action: "label.passthrough",
		what: fmt.Sprintf("%d bytes of courier ZPL", len(l.Data))})
}

// JobSummary is a print job as the labels page lists it, without its data.
type JobSummary struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"` // "shipping", "courier" (passed through) or one of LabelKinds
	Station string `json:"station"`
	Printer string `json:"printer"`
	Status  string `json:"status"` // one of the Job* statuses
	Error   string `json:"error,omitempty"`
	// Attempts counts the sends that found the printer not ready or
	// unreachable and put the job back; NextAttemptAt is when it is tried
	// again ("" for as soon as it is its turn).
	Attempts      int    `json:"attempts"`
	NextAttemptAt string `json:"next_attempt_at,omitempty"`
	OrderNumber   string `json:"order_number,omitempty"` // a shipping label's order
	Tracking      string `json:"tracking,omitempty"`
	Bytes         int    `json:"bytes"`
	CreatedAt     string `json:"created_at"`
	UpdatedAt     string `json:"updated_at"`
}

// PrintJobs returns the latest limit print jobs, newest first (in the order
// they were stored), only those of one station when station is not "".
func (s *Store) PrintJobs(ctx context.Context, station string, limit int) ([]JobSummary, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+summaryColumns+`
		WHERE ?1 = '' OR j.station_id = ?1 ORDER BY j.rowid DESC LIMIT ?2`, station, limit)
	if err != nil {
		return nil, fmt.Errorf("print jobs: %w", err)
	}
	return scanSummaries(rows)
}

const summaryColumns = `j.id, j.shipment_id IS NULL, j.station_id, j.printer, j.status, j.error, j.attempts,
	j.next_attempt_at, COALESCE(o.number, ''), COALESCE(sh.tracking, ''), length(j.data), j.created_at,
	j.updated_at FROM print_jobs j LEFT JOIN shipments sh ON sh.id = j.shipment_id
	LEFT JOIN orders o ON o.id = sh.order_id`

func scanSummaries(rows *sql.Rows) ([]JobSummary, error) {
	defer rows.Close()
	out := []JobSummary{}
	for rows.Next() {
		var j JobSummary
		var noShipment bool
		if err := rows.Scan(&j.ID, &noShipment, &j.Station, &j.Printer, &j.Status, &j.Error, &j.Attempts,
			&j.NextAttemptAt, &j.OrderNumber, &j.Tracking, &j.Bytes, &j.CreatedAt, &j.UpdatedAt); err != nil {
			return nil, fmt.Errorf("print jobs: %w", err)
		}
		j.Kind = jobKind(j.ID, !noShipment)
		out = append(out, j)
	}
	return out, rows.Err()
}

// jobKind tells what a print job is from its id: a shipping label has a
// shipment; the others' ids start with their kind.
func jobKind(id string, shipment bool) string {
	kind, _, _ := strings.Cut(id, "-")
	switch {
	case shipment:
		return "shipping"
	case slices.Contains(LabelKinds, kind):
		return kind
	}
	return "courier"
}
