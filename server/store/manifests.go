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

// ManifestCandidate is an active consignment not yet on a manifest.
type ManifestCandidate struct {
	ConsignmentID int64  `json:"consignment_id"`
	Order         string `json:"order"`
	CourierRef    string `json:"courier_ref"` // the courier's shipment id, what Manifest is given
	ShipDate      string `json:"ship_date"`
	Parcels       int    `json:"parcels"`
}

// Manifest is a courier's closed day as stored.
type Manifest struct {
	ID           int64  `json:"id"`
	Courier      string `json:"courier"`
	Day          string `json:"day"`
	CourierRef   string `json:"courier_ref"`
	DocumentType string `json:"document_type"`
	DocumentURL  string `json:"document_url"`
	HasDocument  bool   `json:"has_document"`
	Consignments int    `json:"consignments"`
	Parcels      int    `json:"parcels"`
	CreatedBy    string `json:"created_by"`
	CreatedAt    string `json:"created_at"`
}

// ManifestParcel is one parcel's label on a manifest.
type ManifestParcel struct {
	Parcel      int    `json:"parcel"` // k of k/N
	Of          int    `json:"of"`
	Tracking    string `json:"tracking"`
	TrackingURL string `json:"tracking_url"`
	WeightGrams *int   `json:"weight_g"` // nil when the parcel was not weighed
}

// ManifestConsignment is one consignment on a manifest with its parcels.
type ManifestConsignment struct {
	ID         int64            `json:"id"`
	Order      string           `json:"order"`
	Carrier    string           `json:"carrier"`
	Service    string           `json:"service"`
	CourierRef string           `json:"courier_ref"`
	ShipDate   string           `json:"ship_date"`
	Status     string           `json:"status"`
	Parcels    []ManifestParcel `json:"parcels"`
}

// ManifestDetail is a manifest with what is on it.
type ManifestDetail struct {
	Manifest
	List []ManifestConsignment `json:"list"`
}

// NewManifest is a close-out the courier accepted, to be stored.
type NewManifest struct {
	Courier, Day, CourierRef  string
	Document                  []byte
	DocumentType, DocumentURL string
	Consignments              []int64 // the candidates the courier was given
}

// validDay returns an EInvalid error unless day is a date YYYY-MM-DD.
func validDay(day string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return oms.Errorf(oms.EInvalid, "day: %s: want a date YYYY-MM-DD", oms.QuoteShort(day))
	}
	return nil
}

// ManifestCandidates returns the consignments the courier's manifest for
// day would close: active ones (not voided or failed) of that courier with
// a ship date on or before day, on no manifest yet, oldest first. It
// returns an EInvalid error for a day that is not YYYY-MM-DD.
func (s *Store) ManifestCandidates(ctx context.Context, courier, day string) ([]ManifestCandidate, error) {
	if err := validDay(day); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, o.number, c.courier_ref, c.ship_date, c.parcels
		FROM consignments c JOIN orders o ON o.id = c.order_id
		WHERE c.courier = ? AND c.status = 'active' AND c.manifest_id IS NULL AND c.ship_date <= ?
		ORDER BY c.id`, courier, day)
	if err != nil {
		return nil, fmt.Errorf("manifest candidates: %w", err)
	}
	defer rows.Close()
	out := []ManifestCandidate{}
	for rows.Next() {
		var c ManifestCandidate
		if err := rows.Scan(&c.ConsignmentID, &c.Order, &c.CourierRef, &c.ShipDate, &c.Parcels); err != nil {
			return nil, fmt.Errorf("manifest candidates: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveManifest stores a close-out and puts its consignments on it, in one
// transaction. A consignment voided or put on another manifest since it was
// collected is left off; when none is left it stores nothing and returns
// an EConflict error. It returns the manifest as stored.
func (s *Store) SaveManifest(ctx context.Context, actor string, m NewManifest) (Manifest, error) {
	if err := validDay(m.Day); err != nil {
		return Manifest{}, err
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO manifests (courier, day, courier_ref, document,
			document_type, document_url, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			m.Courier, m.Day, m.CourierRef, m.Document, m.DocumentType, m.DocumentURL, actor, s.now())
		if err != nil {
			return fmt.Errorf("save manifest: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save manifest: %w", err)
		}
		n, err := attachConsignments(ctx, tx, id, m.Courier, m.Consignments)
		if err != nil {
			return err
		}
		if n == 0 {
			return oms.Errorf(oms.EConflict, "nothing to close for %s on %s: its consignments were voided "+
				"or closed meanwhile", m.Courier, m.Day)
		}
		detail := fmt.Sprintf("%s %s: %d consignments, courier ref %q", m.Courier, m.Day, n, m.CourierRef)
		return s.audit(ctx, tx, actor, "manifest.close", "manifest", fmt.Sprint(id), detail)
	})
	if err != nil {
		return Manifest{}, err
	}
	return s.manifest(ctx, id)
}

// attachConsignments puts the still open, active consignments among ids on
// manifest id and returns how many.
func attachConsignments(ctx context.Context, tx *sql.Tx, id int64, courier string,
	ids []int64) (int64, error) {
	var n int64
	for _, c := range ids {
		k, err := rowsAffected(tx.ExecContext(ctx, `UPDATE consignments SET manifest_id = ?
			WHERE id = ? AND courier = ? AND status = 'active' AND manifest_id IS NULL`, id, c, courier))
		if err != nil {
			return 0, fmt.Errorf("save manifest: consignment %d: %w", c, err)
		}
		n += k
	}
	return n, nil
}

const manifestSelect = `SELECT m.id, m.courier, m.day, m.courier_ref, m.document_type, m.document_url,
	m.document IS NOT NULL AND length(m.document) > 0, m.created_by, m.created_at,
	(SELECT COUNT(*) FROM consignments c WHERE c.manifest_id = m.id),
	(SELECT COALESCE(SUM(c.parcels), 0) FROM consignments c WHERE c.manifest_id = m.id)
	FROM manifests m`

func scanManifest(row rowScanner) (Manifest, error) {
	var m Manifest
	err := row.Scan(&m.ID, &m.Courier, &m.Day, &m.CourierRef, &m.DocumentType, &m.DocumentURL,
		&m.HasDocument, &m.CreatedBy, &m.CreatedAt, &m.Consignments, &m.Parcels)
	return m, err
}

func (s *Store) manifest(ctx context.Context, id int64) (Manifest, error) {
	m, err := scanManifest(s.read.QueryRowContext(ctx, manifestSelect+` WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, oms.Errorf(oms.ENotFound, "no manifest %d", id)
	} else if err != nil {
		return m, fmt.Errorf("manifest %d: %w", id, err)
	}
	return m, nil
}

// Manifests returns the latest limit manifests, newest first.
func (s *Store) Manifests(ctx context.Context, limit int) ([]Manifest, error) {
	return queryAll(ctx, s.read, "manifests", scanManifest, manifestSelect+` ORDER BY m.id DESC LIMIT ?`, limit)
}

// ManifestByID returns a manifest with its consignments and their parcels
// (order, tracking numbers, weights), or an ENotFound error.
func (s *Store) ManifestByID(ctx context.Context, id int64) (ManifestDetail, error) {
	m, err := s.manifest(ctx, id)
	if err != nil {
		return ManifestDetail{}, err
	}
	d := ManifestDetail{Manifest: m, List: []ManifestConsignment{}}
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, o.number, c.carrier, c.service, c.courier_ref,
		c.ship_date, c.status FROM consignments c JOIN orders o ON o.id = c.order_id
		WHERE c.manifest_id = ? ORDER BY c.id`, id)
	if err != nil {
		return d, fmt.Errorf("manifest %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c ManifestConsignment
		if err := rows.Scan(&c.ID, &c.Order, &c.Carrier, &c.Service, &c.CourierRef, &c.ShipDate,
			&c.Status); err != nil {
			return d, fmt.Errorf("manifest %d: %w", id, err)
		}
		d.List = append(d.List, c)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("manifest %d: %w", id, err)
	}
	for i := range d.List {
		if d.List[i].Parcels, err = s.consignmentParcels(ctx, d.List[i].ID); err != nil {
			return d, fmt.Errorf("manifest %d: %w", id, err)
		}
	}
	return d, nil
}

// consignmentParcels returns the labels of a consignment, parcel by parcel.
func (s *Store) consignmentParcels(ctx context.Context, consignment int64) ([]ManifestParcel, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT sh.parcel, sh.parcels, sh.tracking, sh.tracking_url,
		p.weight_g FROM shipments sh LEFT JOIN parcels p ON p.id = sh.parcel_id
		WHERE sh.consignment_id = ? ORDER BY sh.parcel, sh.id`, consignment)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ManifestParcel{}
	for rows.Next() {
		var p ManifestParcel
		var w sql.NullInt64
		if err := rows.Scan(&p.Parcel, &p.Of, &p.Tracking, &p.TrackingURL, &w); err != nil {
			return nil, err
		}
		if w.Valid {
			g := int(w.Int64)
			p.WeightGrams = &g
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ManifestDocument returns a manifest's stored document and its type, or
// an ENotFound error when there is no such manifest or it has no document
// (the courier keeps it at the manifest's DocumentURL).
func (s *Store) ManifestDocument(ctx context.Context, id int64) ([]byte, string, error) {
	var doc []byte
	var typ string
	err := s.read.QueryRowContext(ctx, `SELECT document, document_type FROM manifests WHERE id = ?`,
		id).Scan(&doc, &typ)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, "", oms.Errorf(oms.ENotFound, "no manifest %d", id)
	case err != nil:
		return nil, "", fmt.Errorf("manifest %d document: %w", id, err)
	case len(doc) == 0:
		return nil, "", oms.Errorf(oms.ENotFound, "manifest %d has no stored document: see its document_url", id)
	}
	if strings.TrimSpace(typ) == "" {
		typ = "application/octet-stream"
	}
	return doc, typ, nil
}

// CourierCount is how many consignments and parcels of one courier were
// shipped (bought and still active) on a day.
type CourierCount struct {
	Courier      string `json:"courier"`
	Consignments int    `json:"consignments"`
	Parcels      int    `json:"parcels"`
}

// ShippedByCourier returns, per courier, the active consignments bought on
// the warehouse's day (in s.Zone) and their parcels, by courier name. It
// returns an EInvalid error for a day that is not YYYY-MM-DD.
func (s *Store) ShippedByCourier(ctx context.Context, day string) ([]CourierCount, error) {
	d, err := time.ParseInLocation(time.DateOnly, day, s.Zone)
	if err != nil {
		return nil, oms.Errorf(oms.EInvalid, "day: %s: want a date YYYY-MM-DD", oms.QuoteShort(day))
	}
	from, to := d.UTC().Format(time.RFC3339), d.AddDate(0, 0, 1).UTC().Format(time.RFC3339)
	rows, err := s.read.QueryContext(ctx, `SELECT courier, COUNT(*), COALESCE(SUM(parcels), 0)
		FROM consignments WHERE status = 'active'
		AND julianday(created_at) >= julianday(?) AND julianday(created_at) < julianday(?)
		GROUP BY courier ORDER BY courier`, from, to)
	if err != nil {
		return nil, fmt.Errorf("shipped by courier: %w", err)
	}
	defer rows.Close()
	out := []CourierCount{}
	for rows.Next() {
		var c CourierCount
		if err := rows.Scan(&c.Courier, &c.Consignments, &c.Parcels); err != nil {
			return nil, fmt.Errorf("shipped by courier: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// WarehouseToday is the warehouse's date now, YYYY-MM-DD in s.Zone.
func (s *Store) WarehouseToday() string {
	return s.Now().In(s.Zone).Format(time.DateOnly)
}
