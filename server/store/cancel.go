package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// StatusCancelled is an order that will not be shipped: its reservations
// were released and its status reason says why. It stays stored, so that
// importing the same channel order again finds it instead of creating it.
const StatusCancelled = "cancelled"

// maxCancelReason is the longest reason a cancellation may give, in
// characters.
const maxCancelReason = 500

// CancelResult is what cancelling an order did.
type CancelResult struct {
	Order *Order `json:"order"`
	// Released is each reservation given back, as "2 MUG from A-01-01".
	Released []string `json:"released"`
	// TaskRemoved is the untouched pick task that was removed, 0 for none;
	// Picker is whose it was.
	TaskRemoved int64  `json:"task_removed,omitempty"`
	Picker      string `json:"picker,omitempty"`
	// Allocated is how many waiting orders the released stock let be
	// allocated.
	Allocated int `json:"allocated"`
	// AlreadyCancelled is true when the order was cancelled before; nothing
	// changed.
	AlreadyCancelled bool `json:"already_cancelled"`
}

// CancelOrder cancels the order a person names by code (our number or the
// channel's order id) for reason, releasing every unit reserved for it and
// removing its pick task if nothing was picked on it yet. Waiting orders the
// released stock now covers are allocated, and changed available-to-sell
// goes to the outbox, all in one transaction.
//
// An empty or overlong reason is an EInvalid error; an unknown order is
// ENotFound. An order past the point where goods left their bins (picked,
// packing, shipped, in exception, or being picked with units picked) is an
// EConflict error naming its state: those goods must be put back with a
// stock movement first. Cancelling a cancelled order changes nothing.
func (s *Store) CancelOrder(ctx context.Context, actor, code, reason string) (*CancelResult, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, oms.Errorf(oms.EInvalid, "reason: required: say why the order is cancelled")
	}
	if n := utf8.RuneCountInString(reason); n > maxCancelReason {
		return nil, oms.Errorf(oms.EInvalid, "reason: %d characters, at most %d", n, maxCancelReason)
	}
	res := &CancelResult{Released: []string{}}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ref, err := findOrder(ctx, tx, code, false)
		if err != nil {
			return err
		}
		id = ref.id
		if ref.status == StatusCancelled {
			res.AlreadyCancelled = true
			return nil
		}
		return s.cancel(ctx, tx, actor, ref, reason, res)
	})
	if err != nil {
		return nil, err
	}
	res.Order, err = s.OrderByID(ctx, id)
	return res, err
}

// cancel does CancelOrder's work on an order that is not cancelled yet.
func (s *Store) cancel(ctx context.Context, tx *sql.Tx, actor string, ref orderRef, reason string,
	res *CancelResult) error {
	if err := cancellable(ctx, tx, ref); err != nil {
		return err
	}
	if ref.status == StatusPicking {
		if err := s.removeUntouchedTask(ctx, tx, ref, res); err != nil {
			return err
		}
	}
	// An order in exception finished its pick: its reservations were
	// released then, and its allocations stay as the record of that pick.
	var released []string
	if ref.status != StatusException {
		var err error
		if released, err = releaseAllocations(ctx, tx, ref.id); err != nil {
			return err
		}
	}
	res.Released = released
	if err := s.setStatus(ctx, tx, ref.id, StatusCancelled, reason); err != nil {
		return err
	}
	detail := reason + "; released " + orNone(released)
	if res.TaskRemoved != 0 {
		detail += fmt.Sprintf("; pick task %d of %s removed", res.TaskRemoved, res.Picker)
	}
	if err := s.audit(ctx, tx, actor, "order.cancel", "order", ref.number, detail); err != nil {
		return err
	}
	// allocateWaiting ends with a sync of every SKU's available-to-sell, so
	// channels hear of the released units once, net of what waiting orders
	// took of them.
	var err error
	res.Allocated, err = s.allocateWaiting(ctx, tx, actor)
	return err
}

// cancellable refuses an order whose goods may have left their bins. An order
// in exception whose pick found nothing at all has no goods out: it may go.
func cancellable(ctx context.Context, tx *sql.Tx, ref orderRef) error {
	switch ref.status {
	case StatusWaiting, StatusAllocated, StatusPicking:
		return nil
	case StatusException:
		var picked int64
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(pl.picked), 0) FROM pick_lines pl
			JOIN pick_tasks t ON t.id = pl.task_id WHERE t.order_id = ?`, ref.id).Scan(&picked)
		if err != nil {
			return fmt.Errorf("picked units of %s: %w", ref.number, err)
		}
		if picked == 0 {
			return nil
		}
	case StatusShipped:
		return oms.Errorf(oms.EConflict, "order %s is shipped and cannot be cancelled", ref.number)
	}
	return oms.Errorf(oms.EConflict, "order %s is %s and cannot be cancelled: put its picked goods "+
		"back with a stock movement first", ref.number, statusPhrase(ref.status))
}

// removeUntouchedTask deletes the open pick task of an order being picked,
// provided no unit of it was picked yet; otherwise it is an EConflict error.
// A line reported short has nothing in the picker's hands, so it does not
// count as touched.
func (s *Store) removeUntouchedTask(ctx context.Context, tx *sql.Tx, ref orderRef, res *CancelResult) error {
	var taskID, picked int64
	var picker string
	err := tx.QueryRowContext(ctx, `SELECT t.id, t.picker, COALESCE(SUM(pl.picked), 0)
		FROM pick_tasks t LEFT JOIN pick_lines pl ON pl.task_id = t.id
		WHERE t.order_id = ? AND t.status = 'open' GROUP BY t.id`, ref.id).Scan(&taskID, &picker, &picked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("pick task of %s: %w", ref.number, err)
	}
	if picked > 0 {
		return oms.Errorf(oms.EConflict, "order %s is being picked and %s has picked %d units already: "+
			"finish or short the task, then put the picked goods back with a stock movement before "+
			"cancelling", ref.number, picker, picked)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pick_lines WHERE task_id = ?`, taskID); err != nil {
		return fmt.Errorf("remove pick task %d: %w", taskID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pick_tasks WHERE id = ?`, taskID); err != nil {
		return fmt.Errorf("remove pick task %d: %w", taskID, err)
	}
	res.TaskRemoved, res.Picker = taskID, picker
	return nil
}

// releaseAllocations gives back every unit reserved for the order and
// deletes the reservations; it returns them as "2 MUG from A-01-01".
func releaseAllocations(ctx context.Context, tx *sql.Tx, orderID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.qty, p.sku, b.code FROM allocations a
		JOIN order_lines l ON l.id = a.order_line_id JOIN products p ON p.id = a.product_id
		JOIN bins b ON b.id = a.bin_id WHERE l.order_id = ? ORDER BY l.line_no, a.id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("reservations: %w", err)
	}
	released := []string{}
	for rows.Next() {
		var qty int64
		var sku, bin string
		if err := rows.Scan(&qty, &sku, &bin); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reservations: %w", err)
		}
		released = append(released, fmt.Sprintf("%d %s from %s", qty, sku, bin))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reservations: %w", err)
	}
	const mine = `SELECT a.id FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
		WHERE l.order_id = ?1`
	if _, err := tx.ExecContext(ctx, `UPDATE stock SET allocated = allocated -
		(SELECT SUM(a.qty) FROM allocations a WHERE a.id IN (`+mine+`)
			AND a.product_id = stock.product_id AND a.bin_id = stock.bin_id AND a.lot = stock.lot)
		WHERE (product_id, bin_id, lot) IN (SELECT product_id, bin_id, lot FROM allocations
			WHERE id IN (`+mine+`))`, orderID); err != nil {
		return nil, fmt.Errorf("release reservations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM allocations WHERE id IN (`+mine+`)`, orderID); err != nil {
		return nil, fmt.Errorf("delete reservations: %w", err)
	}
	return released, nil
}

func orNone(parts []string) string {
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}
