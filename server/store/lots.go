package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// expiryLayout is how an expiry date is written: a calendar day, no time.
const expiryLayout = "2006-01-02"

// checkLot refuses a lot code that is too long, and an expiry that is not a
// YYYY-MM-DD date or that is given without a lot; errors name the field.
func checkLot(lot, expiry string) error {
	if err := checkText("lot", lot, 64); err != nil {
		return err
	}
	if expiry == "" {
		return nil
	}
	if lot == "" {
		return oms.Errorf(oms.EInvalid, "expiry: %q needs a lot: stock without a lot does not expire", expiry)
	}
	if _, err := time.Parse(expiryLayout, expiry); err != nil {
		return oms.Errorf(oms.EInvalid, "expiry: %q is not a date written YYYY-MM-DD", expiry)
	}
	return nil
}

// recordLot notes a lot of a product and its expiry date (empty when not
// known). Stock of a lot already known may arrive without its expiry, but
// not with a different one: that is an EConflict error naming both dates,
// since changing it would silently reorder every allocation of the lot.
func recordLot(ctx context.Context, tx *sql.Tx, productID int64, sku, lot, expiry string) error {
	if lot == "" {
		return nil
	}
	var had string
	err := tx.QueryRowContext(ctx, `SELECT expiry FROM lots WHERE product_id = ? AND lot = ?`,
		productID, lot).Scan(&had)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO lots (product_id, lot, expiry) VALUES (?, ?, ?)`,
			productID, lot, expiry)
		if err != nil {
			return fmt.Errorf("record lot %s of %s: %w", lot, sku, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("lot %s of %s: %w", lot, sku, err)
	case expiry == "" || expiry == had:
		return nil
	}
	if had == "" {
		return oms.Errorf(oms.EConflict, "expiry: lot %s of sku %q was received without an expiry "+
			"date, not %s; a lot's expiry date cannot change", lot, sku, expiry)
	}
	return oms.Errorf(oms.EConflict, "expiry: lot %s of sku %q expires on %s, not %s; "+
		"a lot's expiry date cannot change", lot, sku, had, expiry)
}

// today is the store's current date in its zone, written like an expiry.
// A lot whose expiry is before today has expired.
func (s *Store) today() string {
	return s.Now().In(cmp.Or(s.Zone, time.Local)).Format(expiryLayout)
}

// lotNames joins lots as "L1 (expired 2026-01-31), L2 (...)".
func lotNames(lots map[string]string) string {
	var parts []string
	for lot, expiry := range lots {
		parts = append(parts, fmt.Sprintf("%s (expired %s)", lot, expiry))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
