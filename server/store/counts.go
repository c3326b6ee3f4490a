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

// States of a cycle count; the migration's CHECK holds the same list.
const (
	CountMatched  = "matched"  // counted what was on hand; nothing moved
	CountApplied  = "applied"  // the variance moved at once, within the threshold
	CountPending  = "pending"  // waiting for a supervisor
	CountApproved = "approved" // a supervisor applied the variance
	CountRejected = "rejected" // a supervisor closed it; nothing moved
)

// CountStatuses lists every state a count may be in.
var CountStatuses = []string{CountMatched, CountApplied, CountPending, CountApproved, CountRejected}

// The only two things a counter is ever told about a count.
const (
	CountRecorded = "recorded"
	CountWaiting  = "recorded, waiting for a supervisor"
)

// CountInput is a blind count: the units of SKU the counter found in Bin. ID
// is the client's command id (optional). Counted is a pointer so that a
// missing figure is told apart from a count of zero. Lot is the lot counted;
// empty counts the bin's stock without a lot, even of a SKU kept in lots,
// so each lot in a bin is counted on its own.
type CountInput struct {
	ID      string `json:"id"`
	Bin     string `json:"bin"`
	SKU     string `json:"sku"`
	Lot     string `json:"lot"`
	Counted *int64 `json:"counted"`
}

// CountReceipt is everything a counter learns about a count: which count it
// was and a message. It never carries the expected quantity, so a handheld
// cannot learn what the system thinks is in the bin.
type CountReceipt struct {
	CountID int64  `json:"count_id"`
	Message string `json:"message"`

	// Replayed is true when the command id had been used before.
	Replayed bool `json:"-"`
	// Allocated is how many waiting orders the new stock let be allocated.
	Allocated int `json:"-"`
}

// Count is a cycle count as a supervisor sees it: what was expected, what
// was counted and the difference, of one lot (empty: stock without a lot).
type Count struct {
	ID         int64  `json:"id"`
	At         string `json:"at"`
	Counter    string `json:"counter"`
	SKU        string `json:"sku"`
	Bin        string `json:"bin"`
	Lot        string `json:"lot,omitempty"`
	Expected   int64  `json:"expected"`
	Counted    int64  `json:"counted"`
	Variance   int64  `json:"variance"`
	Status     string `json:"status"`
	Why        string `json:"why,omitempty"`
	MovementID int64  `json:"movement_id,omitempty"`
	DecidedBy  string `json:"decided_by,omitempty"`
	DecidedAt  string `json:"decided_at,omitempty"`
	Reason     string `json:"reason,omitempty"`

	productID, binID, ledgerMark int64
}

// RecordCount records a blind count by user. A count equal to on hand is
// matched; a variance of at most threshold units (negative: none is small
// enough) is applied at once as a count movement; a larger one, or a count
// below what is allocated to orders, waits for a supervisor. A command id
// the user already sent returns the first receipt. Bad input is an EInvalid
// error naming the field, and changes nothing.
func (s *Store) RecordCount(ctx context.Context, user string, in CountInput,
	threshold int64) (*CountReceipt, error) {
	in.Lot = strings.TrimSpace(in.Lot)
	if err := checkCountInput(in); err != nil {
		return nil, err
	}
	rc := &CountReceipt{}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if in.ID != "" {
			done, err := replayedCount(ctx, tx, user, in.ID, rc)
			if done || err != nil {
				return err
			}
		}
		c, err := s.newCount(ctx, tx, user, in)
		if err != nil {
			return err
		}
		judge(c, threshold)
		if err := s.insertCount(ctx, tx, c, in.ID); err != nil {
			return err
		}
		rc.CountID, rc.Message = c.ID, CountRecorded
		if c.Status == CountPending {
			rc.Message = CountWaiting
		}
		if c.Status != CountApplied {
			return nil
		}
		if err := s.applyCount(ctx, tx, c, user, "applied within the threshold"); err != nil {
			return err
		}
		rc.Allocated, err = s.allocateWaiting(ctx, tx, user)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rc, nil
}

func checkCountInput(in CountInput) error {
	switch {
	case in.Counted == nil:
		return oms.Errorf(oms.EInvalid, "counted: required: the units found in the bin")
	case *in.Counted < 0:
		return oms.Errorf(oms.EInvalid, "counted: %d: must be 0 or more", *in.Counted)
	}
	return errors.Join(checkText("id", in.ID, 64), checkLot(in.Lot, ""))
}

// replayedCount fills rc from the count the user already sent with cmdID, if
// any, and reports whether there was one.
func replayedCount(ctx context.Context, tx *sql.Tx, user, cmdID string, rc *CountReceipt) (bool, error) {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT id, status FROM counts WHERE counter = ? AND cmd_id = ?`,
		user, cmdID).Scan(&rc.CountID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("count %s: %w", cmdID, err)
	}
	rc.Message, rc.Replayed = CountRecorded, true
	if status != CountMatched && status != CountApplied {
		// A count decided since was still waiting for a supervisor when the
		// counter sent it, and that is what the counter was told.
		rc.Message = CountWaiting
	}
	return true, nil
}

// newCount looks up the SKU, the bin and the counted lot's stock there, and
// returns the count with its expected quantity and the ledger position of
// that (product, bin, lot) it was made against.
func (s *Store) newCount(ctx context.Context, tx *sql.Tx, user string, in CountInput) (*Count, error) {
	pid, err := stockProduct(ctx, tx, in.SKU)
	if err != nil {
		return nil, err
	}
	bid, bin, err := knownBin(ctx, tx, "bin", in.Bin)
	if err != nil {
		return nil, err
	}
	c := &Count{At: s.now(), Counter: user, SKU: in.SKU, Bin: bin, Lot: in.Lot, Counted: *in.Counted,
		productID: pid, binID: bid}
	// Units a picker has taken but whose task is not complete are still on
	// hand in the ledger but no longer on the shelf: the count is of the
	// shelf, so they are left out of what is expected there.
	var allocated, inTotes int64
	err = tx.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT on_hand FROM stock WHERE product_id = ?1 AND bin_id = ?2 AND lot = ?3), 0),
		COALESCE((SELECT allocated FROM stock WHERE product_id = ?1 AND bin_id = ?2 AND lot = ?3), 0),
		COALESCE((SELECT MAX(id) FROM movements WHERE product_id = ?1 AND bin_id = ?2 AND lot = ?3), 0),
		`+inTotesSQL("?3")+``,
		pid, bid, c.Lot).Scan(&c.Expected, &allocated, &c.ledgerMark, &inTotes)
	if err != nil {
		return nil, fmt.Errorf("stock of %s in %s: %w", in.SKU, c.where(), err)
	}
	c.Expected -= inTotes
	allocated -= inTotes
	c.Variance = c.Counted - c.Expected
	if c.Counted < allocated {
		c.Why = fmt.Sprintf("counted %d is below the %d allocated to orders", c.Counted, allocated)
	}
	return c, nil
}

// judge sets the status of a new count: matched, applied, or pending with
// the reason it waits.
func judge(c *Count, threshold int64) {
	switch {
	case c.Variance == 0:
		c.Status = CountMatched
	case c.Why != "":
		c.Status = CountPending
	case threshold < 0 || abs(c.Variance) > threshold:
		c.Status = CountPending
		c.Why = fmt.Sprintf("variance %+d is more than the threshold of %d units", c.Variance,
			max(threshold, 0))
	default:
		c.Status = CountApplied
	}
}

// where names the count's bin, and its lot when it has one.
func (c *Count) where() string {
	if c.Lot == "" {
		return c.Bin
	}
	return c.Bin + " lot " + c.Lot
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func (s *Store) insertCount(ctx context.Context, tx *sql.Tx, c *Count, cmdID string) error {
	var cmd any
	if cmdID != "" {
		cmd = cmdID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO counts
		(at, counter, cmd_id, product_id, bin_id, lot, expected, counted, ledger_mark, status, why)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.At, c.Counter, cmd, c.productID, c.binID,
		c.Lot, c.Expected, c.Counted, c.ledgerMark, c.Status, c.Why).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("record count of %s in %s: %w", c.SKU, c.where(), err)
	}
	return s.audit(ctx, tx, c.Counter, "count.record", "count", fmt.Sprint(c.ID),
		fmt.Sprintf("%s in %s counted %d: %s", c.SKU, c.where(), c.Counted, c.Status))
}

// applyCount moves the count's variance into the bin's counted lot as user,
// with a count movement that names the count, and links the movement to it.
func (s *Store) applyCount(ctx context.Context, tx *sql.Tx, c *Count, user, how string) error {
	m := Movement{SKU: c.SKU, Bin: c.Bin, Lot: c.Lot, Qty: c.Variance, Reason: ReasonCount, User: user,
		Reference: fmt.Sprintf("count %d", c.ID), productID: c.productID, binID: c.binID,
		Detail: fmt.Sprintf("counted %d by %s, expected %d; %s", c.Counted, c.Counter, c.Expected, how)}
	if err := s.move(ctx, tx, &m); err != nil {
		return err
	}
	c.MovementID = m.ID
	_, err := tx.ExecContext(ctx, `UPDATE counts SET movement_id = ? WHERE id = ?`, m.ID, c.ID)
	if err != nil {
		return fmt.Errorf("count %d: %w", c.ID, err)
	}
	return nil
}

// ApproveCount applies a pending count's variance as a count movement by
// supervisor and returns the count. Errors: ENotFound for an unknown id;
// EForbidden when the supervisor made the count; EConflict when it was
// decided already, when the counted lot's stock in the bin moved since the
// count (count it again), or when more of it is allocated to orders than
// was counted.
func (s *Store) ApproveCount(ctx context.Context, supervisor string, id int64) (*Count, int, error) {
	var c *Count
	var allocated int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = pendingCount(ctx, tx, id); err != nil {
			return err
		}
		if supervisor == c.Counter {
			return oms.Errorf(oms.EForbidden, "count %d was made by %s; someone else must approve it",
				id, supervisor)
		}
		if err := stillCurrent(ctx, tx, c); err != nil {
			return err
		}
		if err := s.applyCount(ctx, tx, c, supervisor, "approved by "+supervisor); err != nil {
			return err
		}
		if err := s.decide(ctx, tx, c, supervisor, CountApproved, ""); err != nil {
			return err
		}
		allocated, err = s.allocateWaiting(ctx, tx, supervisor)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return c, allocated, nil
}

// RejectCount closes a pending count without moving stock, saying why, and
// returns it. Errors: EInvalid for a missing reason, ENotFound for an
// unknown id, EConflict when it was decided already.
func (s *Store) RejectCount(ctx context.Context, supervisor string, id int64, reason string) (*Count, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, oms.Errorf(oms.EInvalid, "reason: required: say why the count is rejected")
	}
	if err := checkText("reason", reason, 500); err != nil {
		return nil, err
	}
	var c *Count
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = pendingCount(ctx, tx, id); err != nil {
			return err
		}
		return s.decide(ctx, tx, c, supervisor, CountRejected, reason)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// pendingCount returns a count still waiting for a supervisor, or an
// ENotFound or EConflict error.
func pendingCount(ctx context.Context, tx *sql.Tx, id int64) (*Count, error) {
	cs, err := queryCounts(ctx, tx, `c.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, oms.Errorf(oms.ENotFound, "no count %d", id)
	}
	c := &cs[0]
	switch c.Status {
	case CountPending:
		return c, nil
	case CountApproved, CountRejected:
		return nil, oms.Errorf(oms.EConflict, "count %d was already %s by %s at %s",
			id, c.Status, c.DecidedBy, c.DecidedAt)
	default:
		return nil, oms.Errorf(oms.EConflict, "count %d was %s when it was recorded; "+
			"there is nothing to decide", id, c.Status)
	}
}

// stillCurrent refuses (EConflict) a count the stock of its (product, bin,
// lot) has moved away from since it was made, or one that would leave less
// than is allocated. Other lots in the bin may move meanwhile.
func stillCurrent(ctx context.Context, tx *sql.Tx, c *Count) error {
	var n, onHand, allocated, inTotes int64
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM movements WHERE product_id = ?1 AND bin_id = ?2 AND lot = ?4 AND id > ?3),
		COALESCE((SELECT on_hand FROM stock WHERE product_id = ?1 AND bin_id = ?2 AND lot = ?4), 0),
		COALESCE((SELECT allocated FROM stock WHERE product_id = ?1 AND bin_id = ?2 AND lot = ?4), 0),
		`+inTotesSQL("?4")+``,
		c.productID, c.binID, c.ledgerMark, c.Lot).Scan(&n, &onHand, &allocated, &inTotes)
	if err != nil {
		return fmt.Errorf("count %d: stock of %s in %s: %w", c.ID, c.SKU, c.where(), err)
	}
	onHand, allocated = onHand-inTotes, allocated-inTotes // on the shelf, as counted
	switch {
	case n > 0 || onHand != c.Expected:
		return oms.Errorf(oms.EConflict, "count %d: stock of %s in %s changed by %+d (%d movements) "+
			"since it was counted (on hand was %d, is now %d); count the bin again",
			c.ID, c.SKU, c.where(), onHand-c.Expected, n, c.Expected, onHand)
	case c.Counted < allocated:
		return oms.Errorf(oms.EConflict, "count %d: counted %d is below the %d allocated to orders "+
			"in %s; release or short those orders first", c.ID, c.Counted, allocated, c.where())
	}
	return nil
}

// decide records a supervisor's decision on a count and audits it.
func (s *Store) decide(ctx context.Context, tx *sql.Tx, c *Count, supervisor, status, reason string) error {
	c.Status, c.DecidedBy, c.DecidedAt, c.Reason = status, supervisor, s.now(), reason
	_, err := tx.ExecContext(ctx, `UPDATE counts SET status = ?, decided_by = ?, decided_at = ?, reason = ?
		WHERE id = ?`, c.Status, c.DecidedBy, c.DecidedAt, c.Reason, c.ID)
	if err != nil {
		return fmt.Errorf("count %d: %w", c.ID, err)
	}
	detail := fmt.Sprintf("%s in %s: expected %d, counted %d, variance %+d", c.SKU, c.where(),
		c.Expected, c.Counted, c.Variance)
	if reason != "" {
		detail += ": " + reason
	}
	action := map[string]string{CountApproved: "count.approve", CountRejected: "count.reject"}[status]
	return s.audit(ctx, tx, supervisor, action, "count", fmt.Sprint(c.ID), detail)
}

// CycleCounts returns up to limit counts in the given status, oldest first, for
// a supervisor. An unknown status is an EInvalid error naming the field.
func (s *Store) CycleCounts(ctx context.Context, status string, limit int) ([]Count, error) {
	if !slices.Contains(CountStatuses, status) {
		return nil, oms.Errorf(oms.EInvalid, "status: %q is not one of %s", status,
			strings.Join(CountStatuses, ", "))
	}
	return queryCounts(ctx, s.read, `c.status = ? ORDER BY c.id LIMIT ?`, status, limit)
}

// queryCounts returns the counts matching where (a condition on c, with
// any ORDER BY and LIMIT).
func queryCounts(ctx context.Context, q queryer, where string, args ...any) ([]Count, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.at, c.counter, p.sku, b.code, c.lot, c.expected,
		c.counted, c.status, c.why, COALESCE(c.movement_id, 0), c.decided_by, c.decided_at, c.reason,
		c.product_id, c.bin_id, c.ledger_mark
		FROM counts c JOIN products p ON p.id = c.product_id JOIN bins b ON b.id = c.bin_id
		WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	defer rows.Close()
	out := []Count{}
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.ID, &c.At, &c.Counter, &c.SKU, &c.Bin, &c.Lot, &c.Expected, &c.Counted,
			&c.Status, &c.Why, &c.MovementID, &c.DecidedBy, &c.DecidedAt, &c.Reason,
			&c.productID, &c.binID, &c.ledgerMark); err != nil {
			return nil, fmt.Errorf("counts: %w", err)
		}
		c.Variance = c.Counted - c.Expected
		out = append(out, c)
	}
	return out, rows.Err()
}

// inTotesSQL is a subquery for the units of product ?1 in bin ?2 and the lot
// parameter lot that pickers have taken into totes for tasks not yet
// complete: still on hand in the ledger, no longer on the shelf.
func inTotesSQL(lot string) string {
	return `COALESCE((SELECT SUM(pl.picked) FROM pick_lines pl JOIN pick_tasks t ON t.id = pl.task_id
		JOIN allocations a ON a.id = pl.allocation_id
		WHERE t.status = 'open' AND a.product_id = ?1 AND a.bin_id = ?2 AND a.lot = ` + lot + `), 0)`
}
