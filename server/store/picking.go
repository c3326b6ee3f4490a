package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// NextPickTask returns the picker's open task, or turns the oldest allocated
// order into a new task for them. It returns an ENotFound error when there is
// nothing to pick.
func (s *Store) NextPickTask(ctx context.Context, picker string) (*oms.PickTask, error) {
	var task *oms.PickTask
	err := s.tx(ctx, func(tx *sql.Tx) error {
		id, err := s.claimTask(ctx, tx, picker)
		if err != nil {
			return err
		}
		task, err = loadTask(ctx, tx, id)
		return err
	})
	return task, err
}

func (s *Store) claimTask(ctx context.Context, tx *sql.Tx, picker string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM pick_tasks WHERE picker = ? AND status = 'open'
		ORDER BY id LIMIT 1`, picker).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	var orderID int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE status = ? ORDER BY id LIMIT 1`,
		StatusAllocated).Scan(&orderID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, oms.Errorf(oms.ENotFound, "No tasks waiting")
	} else if err != nil {
		return 0, fmt.Errorf("next order to pick: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO pick_tasks (order_id, picker, status, created_at)
		VALUES (?, ?, 'open', ?) RETURNING id`, orderID, picker, s.now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create pick task: %w", err)
	}
	// Lines follow the bin walk: bin codes sort in aisle-bay-level order.
	_, err = tx.ExecContext(ctx, `INSERT INTO pick_lines (task_id, allocation_id, seq, qty)
		SELECT ?, a.id, ROW_NUMBER() OVER (ORDER BY b.code, l.line_no, a.id), a.qty
		FROM allocations a JOIN order_lines l ON l.id = a.order_line_id JOIN bins b ON b.id = a.bin_id
		WHERE l.order_id = ?`, id, orderID)
	if err != nil {
		return 0, fmt.Errorf("create pick lines: %w", err)
	}
	if err := s.setStatus(ctx, tx, orderID, StatusPicking, ""); err != nil {
		return 0, err
	}
	number, err := orderNumberOf(ctx, tx, orderID)
	if err != nil {
		return 0, err
	}
	return id, s.audit(ctx, tx, picker, "pick.assign", "pick_task", fmt.Sprint(id), "order "+number)
}

func loadTask(ctx context.Context, q queryer, id int64) (*oms.PickTask, error) {
	t := &oms.PickTask{ID: id}
	var binOK bool
	err := q.QueryRowContext(ctx, `SELECT t.order_id, o.number, t.picker, t.tote, t.bin_ok
		FROM pick_tasks t JOIN orders o ON o.id = t.order_id WHERE t.id = ?`, id).Scan(
		&t.OrderID, &t.OrderNumber, &t.Picker, &t.Tote, &binOK)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "no pick task %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("pick task %d: %w", id, err)
	}
	// The catalogue's title is what the shelf label says; a channel's own
	// title for the line may differ.
	// The allocation's product is the line's, or a component of a bundle line.
	rows, err := q.QueryContext(ctx, `SELECT pl.id, b.code, a.lot, p.sku, p.title, pl.qty, pl.picked,
		pl.short FROM pick_lines pl JOIN allocations a ON a.id = pl.allocation_id
		JOIN products p ON p.id = a.product_id JOIN bins b ON b.id = a.bin_id
		WHERE pl.task_id = ? ORDER BY pl.seq`, id)
	if err != nil {
		return nil, fmt.Errorf("pick lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l oms.PickLine
		if err := rows.Scan(&l.ID, &l.Bin, &l.Lot, &l.SKU, &l.Title, &l.Qty, &l.Picked, &l.Short); err != nil {
			return nil, err
		}
		t.Lines = append(t.Lines, l)
	}
	t.BinConfirmed = binOK
	t.Refresh()
	return t, rows.Err()
}

// openTask returns the picker's open task or an ENotFound error.
func openTask(ctx context.Context, tx *sql.Tx, picker string) (*oms.PickTask, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM pick_tasks WHERE picker = ? AND status = 'open'
		ORDER BY id LIMIT 1`, picker).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "%s has no open pick task", picker)
	} else if err != nil {
		return nil, err
	}
	return loadTask(ctx, tx, id)
}

func saveTask(ctx context.Context, tx *sql.Tx, t *oms.PickTask) error {
	if _, err := tx.ExecContext(ctx, `UPDATE pick_tasks SET bin_ok = ?, tote = ? WHERE id = ?`,
		t.BinConfirmed, t.Tote, t.ID); err != nil {
		return fmt.Errorf("save pick task: %w", err)
	}
	for _, l := range t.Lines {
		if _, err := tx.ExecContext(ctx, `UPDATE pick_lines SET picked = ?, short = ? WHERE id = ?`,
			l.Picked, l.Short, l.ID); err != nil {
			return fmt.Errorf("save pick line %d: %w", l.ID, err)
		}
	}
	return nil
}

// Scan is a recorded scan with the server's verdict.
type Scan struct {
	At      string `json:"at"`
	User    string `json:"user"`
	Where   string `json:"where"`
	Station string `json:"station,omitempty"`
	Code    string `json:"code"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// replay returns the verdict already recorded for a user's command id, if
// any, so that a command sent twice (double trigger, offline queue) counts
// once. It returns nil, nil when the command is new.
func replay(ctx context.Context, tx *sql.Tx, user, cmdID string) (*oms.Verdict, error) {
	if cmdID == "" {
		return nil, nil
	}
	v := &oms.Verdict{}
	err := tx.QueryRowContext(ctx, `SELECT code, ok, message FROM scans WHERE user = ? AND cmd_id = ?`,
		user, cmdID).Scan(&v.Code, &v.OK, &v.Message)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

func (s *Store) recordScan(ctx context.Context, tx *sql.Tx, sc Scan, cmdID string) (Scan, error) {
	sc.At = s.now()
	var id any
	if cmdID != "" {
		id = cmdID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO scans (at, user, place, station, code, ok, message, cmd_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, sc.At, sc.User, sc.Where, sc.Station, sc.Code, sc.OK, sc.Message, id)
	if err != nil {
		return sc, fmt.Errorf("record scan: %w", err)
	}
	return sc, nil
}

// PickResult is what a picker's command did: the verdict, the task as it is
// now, and the scan as recorded for the dashboard (nil for a replay).
type PickResult struct {
	Verdict oms.Verdict
	Task    *oms.PickTask
	Scan    *Scan
}

// PickScan verifies one scan against the picker's open task and records it,
// right or wrong. A command id already seen returns the first verdict again
// and changes nothing.
func (s *Store) PickScan(ctx context.Context, picker, cmdID, code string) (*PickResult, error) {
	res := &PickResult{}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		t, err := openTask(ctx, tx, picker)
		if err != nil {
			return err
		}
		res.Task = t
		if v, err := replay(ctx, tx, picker, cmdID); v != nil || err != nil {
			res.Verdict = derefVerdict(v)
			return err
		}
		sc, err := resolve(ctx, tx, code, s.today())
		if err != nil {
			return err
		}
		owner, err := toteOwner(ctx, tx, sc.Tote, t.ID)
		if err != nil {
			return err
		}
		if owner != "" {
			res.Verdict = oms.Verdict{Code: sc.Code, Message: fmt.Sprintf("Tote %s holds order %s: take an empty tote",
				sc.Tote, owner)}
		} else {
			res.Verdict = t.Scan(sc)
		}
		if res.Verdict.OK {
			if err := saveTask(ctx, tx, t); err != nil {
				return err
			}
		}
		rec, err := s.recordScan(ctx, tx, Scan{User: picker, Where: "pick", Code: sc.Code,
			OK: res.Verdict.OK, Message: res.Verdict.Message}, cmdID)
		res.Scan = &rec
		return err
	})
	return res, err
}

// toteOwner returns the number of another order in the tote that has not
// left the warehouse yet, or "" when the tote is free (or tote is "").
func toteOwner(ctx context.Context, tx *sql.Tx, tote string, taskID int64) (string, error) {
	if tote == "" {
		return "", nil
	}
	var number string
	err := tx.QueryRowContext(ctx, `SELECT o.number FROM pick_tasks t JOIN orders o ON o.id = t.order_id
		WHERE t.tote = ? AND t.id <> ? AND o.status <> 'shipped' LIMIT 1`, tote, taskID).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return number, err
}

func derefVerdict(v *oms.Verdict) oms.Verdict {
	if v == nil {
		return oms.Verdict{}
	}
	return *v
}

// PickShort records that the rest of the current line (lineID, or the current
// line when 0) cannot be found in its bin. The short is kept on the line and
// the order goes to exception when the task completes. It is recorded with
// the picker's scans, so a replayed command id counts once.
func (s *Store) PickShort(ctx context.Context, picker, cmdID string, lineID int64) (*PickResult, error) {
	res := &PickResult{}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		t, err := openTask(ctx, tx, picker)
		if err != nil {
			return err
		}
		res.Task = t
		if v, err := replay(ctx, tx, picker, cmdID); v != nil || err != nil {
			res.Verdict = derefVerdict(v)
			return err
		}
		l, n, err := t.ShortCurrent(lineID)
		if err != nil {
			return err
		}
		res.Verdict = oms.Verdict{OK: true, Code: l.SKU,
			Message: fmt.Sprintf("Short pick recorded: %d x %s missing at %s", n, l.SKU, l.Bin)}
		if err := saveTask(ctx, tx, t); err != nil {
			return err
		}
		rec, err := s.recordScan(ctx, tx, Scan{User: picker, Where: "pick", Code: l.SKU, OK: true,
			Message: res.Verdict.Message}, cmdID)
		if err != nil {
			return err
		}
		res.Scan = &rec
		return s.audit(ctx, tx, picker, "pick.short", "pick_line", fmt.Sprint(l.ID), res.Verdict.Message)
	})
	return res, err
}

// CompletePickTask closes the picker's open task once every line is picked or
// recorded short: picked units leave the bins' stock, the allocation of short
// units is released, and the order becomes ready to pack, or an exception if
// anything was short.
func (s *Store) CompletePickTask(ctx context.Context, picker string) (*oms.PickTask, error) {
	t, _, err := s.CompletePickCommand(ctx, picker, "")
	return t, err
}

// CompletePickCommand is CompletePickTask for a client's command: the
// completion is recorded with the picker's scans under cmdID, so the same
// command sent again returns the task it completed (replayed true) and never
// completes the picker's next task.
func (s *Store) CompletePickCommand(ctx context.Context, picker, cmdID string) (*oms.PickTask, bool, error) {
	var t *oms.PickTask
	replayed := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if v, err := replay(ctx, tx, picker, cmdID); err != nil {
			return err
		} else if v != nil {
			var id int64
			if _, err := fmt.Sscanf(v.Code, "task %d", &id); err != nil {
				return oms.Errorf(oms.EConflict, "command %s was not a completion", cmdID)
			}
			replayed = true
			t, err = loadTask(ctx, tx, id)
			return err
		}
		var err error
		if t, err = openTask(ctx, tx, picker); err != nil {
			return err
		}
		if err := t.CheckComplete(); err != nil {
			return err
		}
		if _, err := s.recordScan(ctx, tx, Scan{User: picker, Where: "pick", Code: fmt.Sprintf("task %d", t.ID),
			OK: true, Message: "Completed task for order " + t.OrderNumber}, cmdID); err != nil {
			return err
		}
		if err := s.takePicked(ctx, tx, t); err != nil {
			return err
		}
		// Short units' reservations were released: channels may sell them.
		if shorts := t.Shorts(); len(shorts) > 0 {
			var skus []string
			for _, l := range shorts {
				skus = append(skus, l.SKU)
			}
			if err := s.syncListings(ctx, tx, skus); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pick_tasks SET status = 'done', completed_at = ?
			WHERE id = ?`, s.now(), t.ID); err != nil {
			return fmt.Errorf("complete task: %w", err)
		}
		status, reason := StatusPicked, ""
		if shorts := t.Shorts(); len(shorts) > 0 {
			var parts []string
			for _, l := range shorts {
				parts = append(parts, fmt.Sprintf("%s short %d at %s", l.SKU, l.Short, l.Bin))
			}
			status, reason = StatusException, "short pick: "+strings.Join(parts, ", ")
		}
		if err := s.setStatus(ctx, tx, t.OrderID, status, reason); err != nil {
			return err
		}
		return s.audit(ctx, tx, picker, "pick.complete", "pick_task", fmt.Sprint(t.ID),
			strings.TrimSpace("order "+t.OrderNumber+" "+reason))
	})
	return t, replayed, err
}

// takePicked releases the task's allocations and takes the picked units out
// of their bins' stock, one pick movement per line. Allocations go first: the
// balance may never be below what is allocated, and a bin's whole stock may
// be picked.
func (s *Store) takePicked(ctx context.Context, tx *sql.Tx, t *oms.PickTask) error {
	if _, err := tx.ExecContext(ctx, `UPDATE stock SET
		allocated = allocated - (SELECT SUM(pl.qty) FROM pick_lines pl JOIN allocations a ON a.id = pl.allocation_id
			WHERE pl.task_id = ?1 AND a.product_id = stock.product_id AND a.bin_id = stock.bin_id
				AND a.lot = stock.lot)
		WHERE (product_id, bin_id, lot) IN (SELECT a.product_id, a.bin_id, a.lot FROM pick_lines pl
			JOIN allocations a ON a.id = pl.allocation_id WHERE pl.task_id = ?1)`, t.ID); err != nil {
		return fmt.Errorf("release picked allocations: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT pl.id, pl.picked, a.product_id, a.bin_id, a.lot, p.sku,
		b.code FROM pick_lines pl JOIN allocations a ON a.id = pl.allocation_id
		JOIN products p ON p.id = a.product_id JOIN bins b ON b.id = a.bin_id
		WHERE pl.task_id = ? AND pl.picked > 0 ORDER BY pl.seq`, t.ID)
	if err != nil {
		return fmt.Errorf("picked lines: %w", err)
	}
	var ms []Movement
	for rows.Next() {
		var lineID int64
		m := Movement{Reason: ReasonPick, User: t.Picker, Reference: t.OrderNumber}
		if err := rows.Scan(&lineID, &m.Qty, &m.productID, &m.binID, &m.Lot, &m.SKU, &m.Bin); err != nil {
			rows.Close()
			return fmt.Errorf("picked lines: %w", err)
		}
		m.Qty, m.Detail = -m.Qty, fmt.Sprintf("pick task %d, line %d", t.ID, lineID)
		ms = append(ms, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("picked lines: %w", err)
	}
	for i := range ms {
		if err := s.move(ctx, tx, &ms[i]); err != nil {
			return fmt.Errorf("take picked stock: %w", err)
		}
	}
	return nil
}

// ReleaseUntouchedTask gives the picker's open task back to the pool when
// nothing of it has been picked, shorted or put in a tote, so that an order
// does not wait for a picker who walked away. It reports whether it did.
func (s *Store) ReleaseUntouchedTask(ctx context.Context, picker string) (bool, error) {
	released := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		t, err := openTask(ctx, tx, picker)
		if oms.ErrorCode(err) == oms.ENotFound {
			return nil
		} else if err != nil {
			return err
		}
		released, err = s.releaseIfUntouched(ctx, tx, t, picker, "the picker left")
		return err
	})
	return released, err
}

// releaseIfUntouched deletes a task that nothing was done on yet and puts its
// order back in the pool; it reports whether it did.
func (s *Store) releaseIfUntouched(ctx context.Context, tx *sql.Tx, t *oms.PickTask, actor, why string) (bool, error) {
	for _, l := range t.Lines {
		if l.Picked > 0 || l.Short > 0 {
			return false, nil
		}
	}
	if t.Tote != "" {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pick_lines WHERE task_id = ?`, t.ID); err != nil {
		return false, fmt.Errorf("release task: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pick_tasks WHERE id = ?`, t.ID); err != nil {
		return false, fmt.Errorf("release task: %w", err)
	}
	if err := s.setStatus(ctx, tx, t.OrderID, StatusAllocated, ""); err != nil {
		return false, err
	}
	return true, s.audit(ctx, tx, actor, "pick.release", "order", t.OrderNumber,
		"untouched task returned to the pool: "+why)
}

// AssignTask hands an open pick task to another picker (a supervisor's
// decision, audited). The new picker must not have an open task already.
func (s *Store) AssignTask(ctx context.Context, actor string, taskID int64, picker string) (*oms.PickTask, error) {
	var t *oms.PickTask
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if t, err = loadTask(ctx, tx, taskID); err != nil {
			return err
		}
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM pick_tasks WHERE id = ?`, taskID).Scan(&status); err != nil {
			return err
		}
		if status != "open" {
			return oms.Errorf(oms.EConflict, "pick task %d is %s", taskID, status)
		}
		// A task the new picker was given but has not started goes back to
		// the pool; one they started is theirs to finish first.
		if other, err := openTask(ctx, tx, picker); err == nil && other.ID != taskID {
			released, err := s.releaseIfUntouched(ctx, tx, other, actor, "its picker was given task "+fmt.Sprint(taskID))
			if err != nil {
				return err
			}
			if !released {
				return oms.Errorf(oms.EConflict, "%s is busy with pick task %d (order %s)", picker, other.ID,
					other.OrderNumber)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pick_tasks SET picker = ?, bin_ok = 0 WHERE id = ?`,
			picker, taskID); err != nil {
			return fmt.Errorf("assign task: %w", err)
		}
		detail := fmt.Sprintf("from %s to %s", t.Picker, picker)
		t.Picker, t.BinConfirmed = picker, false
		return s.audit(ctx, tx, actor, "pick.assign", "pick_task", fmt.Sprint(taskID), detail)
	})
	return t, err
}

// OpenTasks returns every open pick task, oldest first.
func (s *Store) OpenTasks(ctx context.Context) ([]*oms.PickTask, error) {
	ids, err := queryIDs(ctx, s.read, `SELECT id FROM pick_tasks WHERE status = 'open' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("open tasks: %w", err)
	}
	out := []*oms.PickTask{}
	for _, id := range ids {
		t, err := loadTask(ctx, s.read, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// HasOrdersToPick reports whether any order waits for a picker.
func (s *Store) HasOrdersToPick(ctx context.Context) (bool, error) {
	var ok bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE status = ?)`,
		StatusAllocated).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("orders to pick: %w", err)
	}
	return ok, nil
}
