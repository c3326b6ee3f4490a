package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// Warehouse returns the warehouse's address, or an ENotFound error when it
// has not been set.
func (s *Store) Warehouse(ctx context.Context) (oms.Address, error) {
	var a oms.Address
	var raw string
	err := s.read.QueryRowContext(ctx, `SELECT address FROM warehouse WHERE id = 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return a, oms.Errorf(oms.ENotFound, "the warehouse's address is not set: "+
			"set it with `shipshape warehouse set` or PUT /api/v1/warehouse")
	} else if err != nil {
		return a, fmt.Errorf("warehouse: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		return a, fmt.Errorf("warehouse address: %w", err)
	}
	return a, nil
}

// SetWarehouse validates and stores the warehouse's address; an incomplete
// address is an EInvalid error naming the field.
func (s *Store) SetWarehouse(ctx context.Context, actor string, a oms.Address) (oms.Address, error) {
	if err := a.Validate("warehouse"); err != nil {
		return a, err
	}
	raw, _ := json.Marshal(a)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO warehouse (id, address, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at`,
			string(raw), s.now())
		if err != nil {
			return fmt.Errorf("set warehouse: %w", err)
		}
		return s.audit(ctx, tx, actor, "warehouse.set", "warehouse", "1", string(raw))
	})
	return a, err
}

// GS1Prefix returns the warehouse's GS1 company prefix, "" when it has
// none (or no warehouse is set): its parcels then get no SSCC.
func (s *Store) GS1Prefix(ctx context.Context) (string, error) {
	var p string
	err := s.read.QueryRowContext(ctx, `SELECT gs1_prefix FROM warehouse WHERE id = 1`).Scan(&p)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("gs1 prefix: %w", err)
	}
	return p, nil
}

// SetGS1Prefix sets the GS1 company prefix SSCCs are numbered with (6 to 12
// digits, "" for none), audited. It returns EInvalid for another value and
// EConflict before the warehouse's address is set.
func (s *Store) SetGS1Prefix(ctx context.Context, actor, prefix string) error {
	if err := CheckGS1Prefix(prefix); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE warehouse SET gs1_prefix = ?, updated_at = ? WHERE id = 1`,
			prefix, s.now())
		if n, err := rowsAffected(res, err); err != nil {
			return fmt.Errorf("set gs1 prefix: %w", err)
		} else if n == 0 {
			return oms.Errorf(oms.EConflict, "set the warehouse's address before its GS1 prefix")
		}
		return s.audit(ctx, tx, actor, "warehouse.gs1_prefix", "warehouse", "1", prefix)
	})
}

// CheckGS1Prefix returns an EInvalid error unless prefix is "" or 6 to 12
// digits.
func CheckGS1Prefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if _, err := labels.NewSSCC(0, prefix, 0); err != nil {
		return oms.Errorf(oms.EInvalid, "gs1_prefix: %s: want the 6 to 12 digits of a GS1 company prefix",
			oms.QuoteShort(prefix))
	}
	return nil
}
