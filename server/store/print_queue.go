package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// The statuses of a print job (migrations/0010_print_queue.sql has the
// whole story).
const (
	JobQueued      = "queued"      // waiting for its turn, or for the printer after a try
	JobSending     = "sending"     // being written to the printer
	JobPrinted     = "printed"     // taken and confirmed by the printer
	JobSent        = "sent"        // written whole to a printer that is not asked (status "none")
	JobUnconfirmed = "unconfirmed" // written, maybe in part, not confirmed: never resent by itself
	JobFailed      = "failed"      // not sent, for a reason a retry will not fix
	JobVoided      = "voided"      // its consignment was voided before it printed: never sent
)

// Printer status modes of a station (stations.printer_status).
const (
	StatusQueryHS   = "hs"   // asked ~HS before and after each job, and polled
	StatusQueryNone = "none" // never asked: jobs end "sent"
)

// PrinterConfig is how a station's printer is set up.
type PrinterConfig struct {
	Station string  `json:"station"`
	Addr    string  `json:"addr"` // a printer.Open address; "" for the server's default
	DPI     int     `json:"dpi"`
	WidthMM float64 `json:"width_mm"`
	Status  string  `json:"status"` // StatusQueryHS or StatusQueryNone
}

// DefaultPrinterConfig is a station's printer until one is set: the
// server's default printer, 203 dpi, 104 mm wide, asked for its status.
func DefaultPrinterConfig(station string) PrinterConfig {
	return PrinterConfig{Station: station, DPI: 203, WidthMM: 104, Status: StatusQueryHS}
}

// PrinterUpdate changes some of a station's printer settings; nil fields
// are left as they are.
type PrinterUpdate struct {
	Addr    *string  `json:"addr"`
	DPI     *int     `json:"dpi"`
	WidthMM *float64 `json:"width_mm"`
	Status  *string  `json:"status"`
}

// Validate returns an EInvalid error naming the first field and value that
// is wrong: dpi must be 203, 300 or 600, width_mm 10 to 220, status "hs" or
// "none". The address is the caller's to check (printer.Open).
func (u PrinterUpdate) Validate() error {
	switch {
	case u.DPI != nil && *u.DPI != 203 && *u.DPI != 300 && *u.DPI != 600:
		return oms.Errorf(oms.EInvalid, "dpi: %d: want 203, 300 or 600", *u.DPI)
	case u.WidthMM != nil && (*u.WidthMM < 10 || *u.WidthMM > 220):
		return oms.Errorf(oms.EInvalid, "width_mm: %g: want 10 to 220 (104 for a 4-inch printer)", *u.WidthMM)
	case u.Status != nil && *u.Status != StatusQueryHS && *u.Status != StatusQueryNone:
		return oms.Errorf(oms.EInvalid, "status: %s: want %q (asked with ~HS) or %q (never asked)",
			oms.QuoteShort(*u.Status), StatusQueryHS, StatusQueryNone)
	case u.Addr != nil && !spoolInside(*u.Addr):
		return oms.Errorf(oms.EInvalid, "addr: %s: a spool folder must be a plain name inside the "+
			"server's spool folder (spool:NAME), not a path", oms.QuoteShort(*u.Addr))
	}
	return nil
}

// spoolInside reports whether addr, when it names a spool folder, names one
// the server keeps inside its own spool folder: anyone on the network may
// set a station's printer, so it must not be able to make the server write
// files anywhere else.
func spoolInside(addr string) bool {
	dir, ok := strings.CutPrefix(addr, "spool:")
	if !ok {
		return true
	}
	return dir != "" && dir != "." && dir != ".." && !strings.ContainsAny(dir, `/\`)
}

const printerColumns = `id, printer_addr, printer_dpi, printer_width_mm, printer_status FROM stations`

func scanPrinter(row rowScanner) (PrinterConfig, error) {
	var c PrinterConfig
	err := row.Scan(&c.Station, &c.Addr, &c.DPI, &c.WidthMM, &c.Status)
	return c, err
}

// StationPrinterConfig returns a station's printer settings, or
// DefaultPrinterConfig for a station not set up yet.
func (s *Store) StationPrinterConfig(ctx context.Context, station string) (PrinterConfig, error) {
	c, err := scanPrinter(s.read.QueryRowContext(ctx, `SELECT `+printerColumns+` WHERE id = ?`, station))
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultPrinterConfig(station), nil
	} else if err != nil {
		return c, fmt.Errorf("station %s printer: %w", station, err)
	}
	return c, nil
}

// StationPrinterConfigs returns the printer settings of every station, by id.
func (s *Store) StationPrinterConfigs(ctx context.Context) ([]PrinterConfig, error) {
	return queryAll(ctx, s.read, "station printers", scanPrinter, `SELECT `+printerColumns+` ORDER BY id`)
}

// UpdateStationPrinter changes the settings u gives of a station's printer,
// creating the station if needed, audits the change and returns the
// settings now. It returns u.Validate's error for a bad setting.
func (s *Store) UpdateStationPrinter(ctx context.Context, actor, station string,
	u PrinterUpdate) (PrinterConfig, error) {
	if err := validStation(station); err != nil {
		return PrinterConfig{}, err
	}
	if err := u.Validate(); err != nil {
		return PrinterConfig{}, err
	}
	var c PrinterConfig
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stations (id) VALUES (?) ON CONFLICT (id) DO NOTHING`,
			station); err != nil {
			return fmt.Errorf("station %s printer: %w", station, err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE stations SET printer_addr = COALESCE(?, printer_addr),
			printer_dpi = COALESCE(?, printer_dpi), printer_width_mm = COALESCE(?, printer_width_mm),
			printer_status = COALESCE(?, printer_status) WHERE id = ?`, u.Addr, u.DPI, u.WidthMM, u.Status,
			station)
		if err != nil {
			return fmt.Errorf("station %s printer: %w", station, err)
		}
		if c, err = scanPrinter(tx.QueryRowContext(ctx, `SELECT `+printerColumns+` WHERE id = ?`,
			station)); err != nil {
			return fmt.Errorf("station %s printer: %w", station, err)
		}
		detail := fmt.Sprintf("addr %q, %d dpi, %g mm wide, status %s", c.Addr, c.DPI, c.WidthMM, c.Status)
		return s.audit(ctx, tx, actor, "station.printer", "station", station, detail)
	})
	return c, err
}

// queueTime writes next_attempt_at: fixed width, so that text order is time
// order.
const queueTime = "2006-01-02T15:04:05.000000000Z"

// NextQueuedJob returns the oldest queued job for the printer at addr, or an
// ENotFound error when none waits. Its NextAttemptAt may lie ahead: jobs
// leave in the order they came, so the caller waits for it.
func (s *Store) NextQueuedJob(ctx context.Context, addr string) (*PrintJob, error) {
	j := &PrintJob{}
	err := s.read.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM print_jobs
		WHERE addr = ? AND status = 'queued' ORDER BY created_at, rowid LIMIT 1`, addr).Scan(j.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "no print job queued for %s", addr)
	} else if err != nil {
		return nil, fmt.Errorf("next print job for %s: %w", addr, err)
	}
	return j, nil
}

// StartSending marks a queued job as being sent. It returns an EConflict
// error when the job is no longer queued (a reprint moved it meanwhile).
func (s *Store) StartSending(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status = 'sending', updated_at = ?
			WHERE id = ? AND status = 'queued'`, s.now(), id)
		if n, err := rowsAffected(res, err); err != nil {
			return fmt.Errorf("print job %s: %w", id, err)
		} else if n == 0 {
			return oms.Errorf(oms.EConflict, "print job %s is no longer queued", id)
		}
		return nil
	})
}

// RetryJob puts a job that was not sent (printer not ready or unreachable)
// back in the queue until at, counting the attempt and keeping the reason.
func (s *Store) RetryJob(ctx context.Context, id, reason string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status = 'queued', error = ?,
			attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE id = ?`, reason,
			at.UTC().Format(queueTime), s.now(), id)
		if err != nil {
			return fmt.Errorf("print job %s: %w", id, err)
		}
		return nil
	})
}

// SetJobStatus records the outcome of sending a print job: JobPrinted,
// JobSent, JobUnconfirmed or JobFailed (JobQueued is RetryJob's). A failed
// or unconfirmed shipping label is audited against its order and counts as
// an exception on the dashboard until it prints.
func (s *Store) SetJobStatus(ctx context.Context, id, status, errMsg string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status = ?, error = ?, updated_at = ?
			WHERE id = ?`, status, errMsg, s.now(), id)
		if err != nil {
			return fmt.Errorf("print job %s: %w", id, err)
		}
		if status != JobFailed && status != JobUnconfirmed {
			return nil
		}
		return s.auditJobTrouble(ctx, tx, id, status, errMsg)
	})
}

// auditJobTrouble audits a failed or unconfirmed shipping label against its
// order.
func (s *Store) auditJobTrouble(ctx context.Context, tx *sql.Tx, id, status, errMsg string) error {
	var number string
	err := tx.QueryRowContext(ctx, `SELECT o.number FROM print_jobs j JOIN shipments sh ON sh.id = j.shipment_id
		JOIN orders o ON o.id = sh.order_id WHERE j.id = ?`, id).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // not a shipping label
	} else if err != nil {
		return fmt.Errorf("print job %s: %w", id, err)
	}
	action := "label.print_failed"
	if status == JobUnconfirmed {
		action = "label.print_unconfirmed"
	}
	return s.audit(ctx, tx, "printer", action, "order", number, id+": "+errMsg)
}

// InterruptedSending is the reason given to jobs found "sending" at start.
const InterruptedSending = "the server stopped while sending it: it may have printed"

// RecoverSending marks every job left "sending" (the server stopped during
// the send) as unconfirmed, since it may have printed, and returns their
// ids. Sending them again is for a person to decide.
func (s *Store) RecoverSending(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE print_jobs SET status = 'unconfirmed', error = ?,
			updated_at = ? WHERE status = 'sending' RETURNING id`, InterruptedSending, s.now())
		if err != nil {
			return fmt.Errorf("recover print jobs: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("recover print jobs: %w", err)
			}
			ids = append(ids, id)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("recover print jobs: %w", err)
		}
		for _, id := range ids {
			if err := s.auditJobTrouble(ctx, tx, id, JobUnconfirmed, InterruptedSending); err != nil {
				return err
			}
		}
		return nil
	})
	return ids, err
}

// QueuedJobs returns the queued jobs, oldest first (without their data),
// for the server to start a sender per printer address.
func (s *Store) QueuedJobs(ctx context.Context) ([]PrintJob, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, station_id, addr FROM print_jobs
		WHERE status = 'queued' ORDER BY created_at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("queued print jobs: %w", err)
	}
	defer rows.Close()
	var out []PrintJob
	for rows.Next() {
		var j PrintJob
		if err := rows.Scan(&j.ID, &j.Station, &j.Addr); err != nil {
			return nil, fmt.Errorf("queued print jobs: %w", err)
		}
		j.Status = JobQueued
		out = append(out, j)
	}
	return out, rows.Err()
}

// SetJobPrinter points a queued job at a printer: for jobs stored before
// the queue recorded addresses.
func (s *Store) SetJobPrinter(ctx context.Context, id, printer, addr string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE print_jobs SET printer = ?, addr = ? WHERE id = ?
			AND status = 'queued'`, printer, addr, id)
		if err != nil {
			return fmt.Errorf("print job %s: %w", id, err)
		}
		return nil
	})
}

// RetargetQueued points a station's queued jobs that wait for another
// printer at addr (printer describes it), due now, and returns how many: a
// label waiting for a printer that was replaced goes to the new one by
// itself. Jobs already sent, or not confirmed, stay as they are.
func (s *Store) RetargetQueued(ctx context.Context, station, printer, addr string) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET printer = ?, addr = ?, next_attempt_at = '',
			updated_at = ? WHERE station_id = ? AND status = 'queued' AND addr <> ?`,
			printer, addr, s.now(), station, addr)
		n, err = rowsAffected(res, err)
		if err != nil {
			return fmt.Errorf("retarget print jobs of %s: %w", station, err)
		}
		if n > 0 {
			detail := fmt.Sprintf("%d queued label(s) now go to %s", n, printer)
			return s.audit(ctx, tx, "server", "station.printer_jobs", "station", station, detail)
		}
		return nil
	})
	return n, err
}

// ClearBackoff makes the jobs queued for the printer at addr due now: it is
// ready again, so they need not wait out their backoff. It returns how many.
func (s *Store) ClearBackoff(ctx context.Context, addr string) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET next_attempt_at = '' WHERE addr = ?
			AND status = 'queued' AND next_attempt_at <> ''`, addr)
		n, err = rowsAffected(res, err)
		if err != nil {
			return fmt.Errorf("print jobs for %s: %w", addr, err)
		}
		return nil
	})
	return n, err
}

// JobSummary returns one print job as lists show it, or an ENotFound error.
func (s *Store) JobSummary(ctx context.Context, id string) (*JobSummary, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+summaryColumns+` WHERE j.id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("print job %s: %w", id, err)
	}
	js, err := scanSummaries(rows)
	if err != nil {
		return nil, err
	}
	if len(js) == 0 {
		return nil, oms.Errorf(oms.ENotFound, "no print job %q", id)
	}
	return &js[0], nil
}

// OpenStationJobs returns a station's jobs that are not done: queued,
// sending, unconfirmed or failed, oldest first, at most limit.
func (s *Store) OpenStationJobs(ctx context.Context, station string, limit int) ([]JobSummary, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+summaryColumns+` WHERE j.station_id = ?
		AND j.status IN ('queued', 'sending', 'unconfirmed', 'failed') ORDER BY j.created_at, j.rowid
		LIMIT ?`, station, limit)
	if err != nil {
		return nil, fmt.Errorf("open print jobs of %s: %w", station, err)
	}
	return scanSummaries(rows)
}

func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
