package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

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
