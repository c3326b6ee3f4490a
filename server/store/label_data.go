package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// LabelKinds are the warehouse labels Shipshape builds and prints, each a
// print job whose id starts with its kind and a dash.
var LabelKinds = []string{"bin", "tote", "product", "badge"}

// LabelProduct is what a product label prints of a product.
type LabelProduct struct {
	SKU        string
	Title      string
	PriceCents int64  // in hundredths of Currency; 0 when unknown
	Currency   string // ISO 4217, or "" when unknown
	// Barcode is the 14-digit key (see labels.NormalizeGTIN) of the code
	// to print: the product's first GTIN of one unit that a retail symbol
	// carries, else the internal EAN-13 Shipshape issued it.
	Barcode string
	Kind    string // the barcode's kind: "gtin" or "internal"
}

// LabelProduct returns what a product label prints of the product with the
// given SKU. Of its barcodes it takes the first GTIN stored for it (in the
// order its import listed them) that stands for one unit and starts with 0
// (a GTIN-14 of a trade unit has no retail symbol), else its internal one.
//
// It returns an ENotFound error when no product has the SKU, and an
// EConflict error when the product has no barcode a product label can carry.
func (s *Store) LabelProduct(ctx context.Context, sku string) (*LabelProduct, error) {
	p := &LabelProduct{}
	err := s.read.QueryRowContext(ctx, `SELECT p.sku, p.title, p.price_cents, p.currency,
		COALESCE(b.code, ''), COALESCE(b.kind, '') FROM products p
		LEFT JOIN barcodes b ON b.code = (SELECT code FROM barcodes WHERE product_id = p.id
			AND kind IN ('gtin', 'internal') AND units = 1 AND length(code) = 14 AND code LIKE '0%'
			ORDER BY kind = 'gtin' DESC, rowid LIMIT 1)
		WHERE p.sku = ?`, sku).Scan(&p.SKU, &p.Title, &p.PriceCents, &p.Currency, &p.Barcode, &p.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "no product with sku %s", oms.QuoteShort(sku))
	} else if err != nil {
		return nil, fmt.Errorf("label of product %s: %w", sku, err)
	}
	if p.Barcode == "" {
		return nil, oms.Errorf(oms.EConflict, "product %s has no GTIN of one unit and no internal "+
			"barcode to print", oms.QuoteShort(sku))
	}
	return p, nil
}

// Bin returns the stored code of a bin, looked up as scans are: trimmed and
// upper-cased.
//
// It returns an ENotFound error naming the code when there is no such bin.
func (s *Store) Bin(ctx context.Context, code string) (string, error) {
	var stored string
	err := s.read.QueryRowContext(ctx, `SELECT code FROM bins WHERE code = ?`,
		strings.ToUpper(strings.TrimSpace(code))).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return "", oms.Errorf(oms.ENotFound, "no bin %s", oms.QuoteShort(code))
	} else if err != nil {
		return "", fmt.Errorf("bin %s: %w", code, err)
	}
	return stored, nil
}

// WarehouseLabel asks to print one of Shipshape's warehouse labels at a
// station.
type WarehouseLabel struct {
	Kind    string // one of LabelKinds
	Code    string // what the label is of: the bin or tote code, the SKU, the badge code
	Copies  int    // how many copies Data prints (its ^PQ), for the audit
	Station string
	Actor   string
	Printer string // the printer's description, recorded on the job
	Addr    string // the printer's address (printer.Open), where the queue sends it
	Data    []byte // the ZPL
	CmdID   string // the client's Idempotency-Key; "" for none
}

// QueueWarehouseLabel stores a warehouse label as a queued print job, with
// no shipment, records it with the station's scans and audits who asked for
// it, all in one transaction, and returns it with replayed false. The job id
// is the kind, a dash and a serial the store counts per kind ("bin-1").
//
// A command id the actor already used returns the job it queued then with
// replayed true, and changes nothing: the caller must not print it again.
//
// It returns an EInvalid error for an unknown kind, an empty station, code
// or label, or copies below 1, and an EConflict error when the command id
// was already used for something else (see queueJob).
func (s *Store) QueueWarehouseLabel(ctx context.Context, l WarehouseLabel) (*PrintJob, bool, error) {
	switch {
	case !slices.Contains(LabelKinds, l.Kind):
		return nil, false, oms.Errorf(oms.EInvalid, "label kind %s: use %s", oms.QuoteShort(l.Kind),
			strings.Join(LabelKinds, ", "))
	case l.Station == "":
		return nil, false, oms.Errorf(oms.EInvalid, "%s label: station is required", l.Kind)
	case l.Code == "":
		return nil, false, oms.Errorf(oms.EInvalid, "%s label: code is required", l.Kind)
	case len(l.Data) == 0:
		return nil, false, oms.Errorf(oms.EInvalid, "%s label: the label is empty", l.Kind)
	case l.Copies < 1:
		return nil, false, oms.Errorf(oms.EInvalid, "%s label: copies %d, want at least 1", l.Kind, l.Copies)
	}
	what := fmt.Sprintf("%s label %s", l.Kind, l.Code)
	if l.Copies > 1 {
		what = fmt.Sprintf("%d copies of the %s", l.Copies, what)
	}
	return s.queueJob(ctx, newJob{prefix: l.Kind, station: l.Station, actor: l.Actor, printer: l.Printer,
		addr: l.Addr, data: l.Data, cmdID: l.CmdID, action: "label.print", what: what})
}

// newJob is a print job to store without a shipment.
type newJob struct {
	prefix                         string // of the job id, with a serial counted per prefix
	station, actor, printer, cmdID string
	addr                           string // the printer's address
	data                           []byte
	action                         string // of the audit entry
	what                           string // what is printed, e.g. "bin label A-01-01"
}

// queueJob stores j as a queued print job, records it with the station's
// scans (under the command id, as a reprint is) and audits it; a command id
// the actor already used returns that command's job with replayed true.
//
// It returns an EConflict error when the command id was used for another
// command, or for another label or station.
func (s *Store) queueJob(ctx context.Context, j newJob) (job *PrintJob, replayed bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if v, err := replay(ctx, tx, j.actor, j.cmdID); err != nil {
			return err
		} else if v != nil {
			replayed = true
			job, err = replayedJob(ctx, tx, v.Code, j)
			return err
		}
		serial, err := nextSeq(ctx, tx, "print_job:"+j.prefix)
		if err != nil {
			return err
		}
		job = &PrintJob{ID: fmt.Sprintf("%s-%d", j.prefix, serial), Station: j.station, Printer: j.printer,
			Addr: j.addr, Data: j.data, Status: JobQueued}
		if _, err := tx.ExecContext(ctx, `INSERT INTO print_jobs (id, station_id, shipment_id, printer, addr,
			data, status, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, 'queued', ?, ?)`, job.ID,
			j.station, j.printer, j.addr, j.data, s.now(), s.now()); err != nil {
			return fmt.Errorf("queue %s: %w", j.what, err)
		}
		msg := fmt.Sprintf("Print of %s as %s on %s", j.what, job.ID, j.printer)
		if _, err := s.recordScan(ctx, tx, Scan{User: j.actor, Where: "pack", Station: j.station,
			Code: job.ID, OK: true, Message: msg}, j.cmdID); err != nil {
			return err
		}
		detail := fmt.Sprintf("station %s, %s on %s", j.station, j.what, j.printer)
		return s.audit(ctx, tx, j.actor, j.action, "print_job", job.ID, detail)
	})
	if err != nil {
		return nil, false, err
	}
	return job, replayed, nil
}

// replayedJob returns the job a replayed command queued: the scan it
// recorded names it. The same key sent with another label or to another
// station is not a retry but a mistake, and is refused.
func replayedJob(ctx context.Context, tx *sql.Tx, jobID string, j newJob) (*PrintJob, error) {
	job := &PrintJob{ID: jobID}
	err := tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM print_jobs WHERE id = ?`, jobID).Scan(
		job.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.EConflict, "Idempotency-Key %s was already used by %s for another "+
			"command", oms.QuoteShort(j.cmdID), j.actor)
	} else if err != nil {
		return nil, fmt.Errorf("replayed print job %s: %w", jobID, err)
	}
	if job.Station != j.station || string(job.Data) != string(j.data) {
		return nil, oms.Errorf(oms.EConflict, "Idempotency-Key %s was already used by %s for print job %s, "+
			"another label or station", oms.QuoteShort(j.cmdID), j.actor, jobID)
	}
	return job, nil
}
