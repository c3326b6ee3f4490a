package store_test

import (
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

func (f *fixture) cancel(code, reason string) *store.CancelResult {
	f.t.Helper()
	res, err := f.st.CancelOrder(f.ctx, "sam", code, reason)
	if err != nil {
		f.t.Fatalf("cancel %s: %v", code, err)
	}
	return res
}

func (f *fixture) wantLedgerClean() {
	f.t.Helper()
	if m, err := f.st.Check(f.ctx); err != nil || len(m) != 0 {
		f.t.Errorf("ledger check: %v, %v; want clean", m, err)
	}
}

// TestCancelReleasesReservation: a cancelled order's units go to the order
// waiting for them and to the other channel's listing, in one transaction.
func TestCancelReleasesReservation(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	first := f.order("W-1", line("MUG", 3))
	o := orderInput("A-1", line("MUG", 4))
	o.Channel = "amazon"
	waiting, _, err := f.st.CreateOrder(f.ctx, "test", o)
	if err != nil || waiting.Status != store.StatusWaiting {
		t.Fatalf("amazon order: %+v, %v; want waiting", waiting, err)
	}

	res := f.cancel(first.Number, "  customer changed their mind ")
	if res.Order.Status != store.StatusCancelled || res.Order.StatusReason != "customer changed their mind" {
		t.Errorf("cancelled order %+v", res.Order)
	}
	if strings.Join(res.Released, "; ") != "3 MUG from A-01-01" || res.Allocated != 1 {
		t.Errorf("released %q, allocated %d; want 3 MUG from A-01-01 and 1", res.Released, res.Allocated)
	}
	f.wantStatus(waiting.Number, store.StatusAllocated, "")
	f.wantStock("MUG", "A-01-01", 5, 4)
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM allocations a JOIN order_lines l
		ON l.id = a.order_line_id WHERE l.order_id = ?`, first.ID); n != 0 {
		t.Errorf("%d reservations left on the cancelled order", n)
	}
	ats, err := f.st.AvailableToSell(f.ctx, "MUG")
	if err != nil || ats["amazon"] != 1 || ats["web"] != 1 {
		t.Errorf("available to sell %v, %v; want 1 on each channel", ats, err)
	}
	wantOutboxMatches(t, f, ats)
	f.wantLedgerClean()

	audit, err := f.st.Audit(f.ctx, "order", first.Number, 1)
	if err != nil || len(audit) != 1 || audit[0].Actor != "sam" || audit[0].Action != "order.cancel" ||
		!strings.Contains(audit[0].Detail, "customer changed their mind; released 3 MUG from A-01-01") {
		t.Errorf("audit %+v, %v", audit, err)
	}
	counts, err := f.st.Counts(f.ctx)
	if err != nil || counts.Waiting != 1 {
		t.Errorf("dashboard counts %+v, %v; want 1 waiting (the amazon order only)", counts, err)
	}
}

// wantOutboxMatches checks that the last outbox row of each channel for MUG
// says what the channel may sell now.
func wantOutboxMatches(t *testing.T, f *fixture, ats map[string]int64) {
	t.Helper()
	rows, err := f.st.PendingOutbox(f.ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]int64{}
	for _, r := range rows {
		if r.SKU == "MUG" {
			last[r.ChannelID] = r.AvailableToSell
		}
	}
	for ch, want := range ats {
		if got, ok := last[ch]; !ok || got != want {
			t.Errorf("outbox for %s MUG: last %d (found %v), want %d", ch, got, ok, want)
		}
	}
}

func TestCancelledOrderIsNotImportedAgain(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	o := f.order("W-1", line("MUG", 3))
	f.cancel("W-1", "fraud check failed")

	res, err := f.st.ImportOrders(f.ctx, "test", []oms.OrderInput{orderInput("W-1", line("MUG", 3))})
	if err != nil || res.Created != 0 || res.Unchanged != 1 {
		t.Fatalf("import again: %+v, %v; want 1 unchanged", res, err)
	}
	f.wantStatus(o.Number, store.StatusCancelled, "fraud check failed")
	f.wantStock("MUG", "A-01-01", 5, 0)

	again := f.cancel(o.Number, "another reason")
	if !again.AlreadyCancelled || again.Order.StatusReason != "fraud check failed" {
		t.Errorf("second cancel %+v; want unchanged", again)
	}
	if audit, _ := f.st.Audit(f.ctx, "order", o.Number, 10); len(audit) != 3 {
		t.Errorf("audit %+v; want create, allocate and one cancel", audit)
	}
}

// TestCancelUntouchedPickTask: an order whose picker has not picked
// anything yet is cancelled and its task removed.
func TestCancelUntouchedPickTask(t *testing.T) {
	f := walkFixture(t)
	task := f.task("ann")
	f.mustPick("ann", "A-01-01") // at the bin, nothing in hand

	res := f.cancel("SO-000001", "duplicate order")
	if res.TaskRemoved != task.ID || res.Picker != "ann" || len(res.Released) != 3 {
		t.Errorf("cancel %+v; want task %d of ann removed, 3 reservations released", res, task.ID)
	}
	_, err := f.st.NextPickTask(f.ctx, "ann")
	wantErr(t, err, oms.ENotFound)
	for _, s := range []struct{ sku, bin string }{{"MUG", "C-01-01"}, {"CUP", "A-01-01"}, {"BOWL", "B-01-01"}} {
		f.wantStock(s.sku, s.bin, 5, 0)
	}
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM pick_lines`); n != 0 {
		t.Errorf("%d pick lines left", n)
	}
	f.wantLedgerClean()
}

func TestCancelRefused(t *testing.T) {
	tests := []struct {
		name   string
		prep   func(f *fixture)
		code   string
		reason string
		want   string
		err    string
	}{
		{"no reason", nil, "SO-000001", "  ", oms.EInvalid, "reason: required"},
		{"reason too long", nil, "SO-000001", strings.Repeat("x", 501), oms.EInvalid, "reason: 501"},
		{"unknown order", nil, "SO-000009", "gone", oms.ENotFound, "SO-000009"},
		{"units picked", func(f *fixture) {
			f.task("ann")
			f.mustPick("ann", "A-01-01")
			f.mustPick("ann", "CUP")
		}, "SO-000001", "late", oms.EConflict, "ann has picked 1 units already"},
		{"picked", func(f *fixture) { f.pickAll("ann", "") }, "SO-000001", "late", oms.EConflict,
			"picked, ready to pack and cannot be cancelled: put its picked goods back with a stock movement"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := walkFixture(t)
			if tc.prep != nil {
				tc.prep(f)
			}
			before := dump(t, f.raw(), "orders", "stock", "allocations", "pick_tasks", "pick_lines",
				"outbox", "audit")
			_, err := f.st.CancelOrder(f.ctx, "sam", tc.code, tc.reason)
			wantErr(t, err, tc.want, tc.err)
			after := dump(t, f.raw(), "orders", "stock", "allocations", "pick_tasks", "pick_lines",
				"outbox", "audit")
			if after != before {
				t.Errorf("refused cancel changed the database:\n%s\nwant:\n%s", after, before)
			}
			f.wantLedgerClean()
		})
	}
}

// TestCancelExceptionWithNothingPicked: an order whose pick found nothing is
// in exception with no goods out, so it may be cancelled; one with goods in a
// tote may not.
func TestCancelExceptionWithNothingPicked(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 5))
	f.order("W-1", line("CUP", 2))
	f.order("W-2", line("CUP", 2))
	f.task("ann")
	if _, err := f.st.PickShort(f.ctx, "ann", "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CompletePickTask(f.ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	f.wantStatus("SO-000001", store.StatusException, "short pick")
	if _, err := f.st.CancelOrder(f.ctx, "sue", "SO-000001", "nothing found"); err != nil {
		t.Errorf("cancel an exception with nothing picked: %v", err)
	}
	f.task("bob")
	f.mustPick("bob", "A-01-01")
	f.mustPick("bob", "CUP")
	if _, err := f.st.PickShort(f.ctx, "bob", "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CompletePickTask(f.ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	_, err := f.st.CancelOrder(f.ctx, "sue", "SO-000002", "changed mind")
	wantErr(t, err, oms.EConflict, "put its picked goods back")
	f.wantBalanced()
}
