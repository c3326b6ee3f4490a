package store_test

import (
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// countFixture is a store with 10 MUG in A-01-01 and an empty bin B-01-01.
func countFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"), oms.Product{SKU: "GIFT", Title: "Gift card"})
	f.stock(row("MUG", "A-01-01", 10))
	if _, err := f.st.Receive(f.ctx, "test", store.ReceiveInput{SKU: "MUG", Bin: "B-01-01", Qty: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Adjust(f.ctx, "test", store.AdjustInput{SKU: "MUG", Bin: "B-01-01", Qty: -1,
		Reason: store.ReasonAdjust, Note: "empty the bin"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func units(n int64) *int64 { return &n }

// countOf records a count by alice and returns it as a supervisor sees it.
func (f *fixture) countOf(bin string, counted, threshold int64) (*store.CountReceipt, store.Count) {
	f.t.Helper()
	rc, err := f.st.RecordCount(f.ctx, "alice", store.CountInput{Bin: bin, SKU: "MUG", Counted: units(counted)},
		threshold)
	if err != nil {
		f.t.Fatalf("count %d in %s: %v", counted, bin, err)
	}
	return rc, f.countByID(rc.CountID)
}

func (f *fixture) countByID(id int64) store.Count {
	f.t.Helper()
	for _, status := range store.CountStatuses {
		cs, err := f.st.CycleCounts(f.ctx, status, 1000)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, c := range cs {
			if c.ID == id {
				return c
			}
		}
	}
	f.t.Fatalf("no count %d", id)
	return store.Count{}
}

// countMovements returns MUG's count movements, newest first.
func (f *fixture) countMovements() []store.Movement {
	f.t.Helper()
	ms, err := f.st.Movements(f.ctx, "MUG", 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []store.Movement
	for _, m := range ms {
		if m.Reason == store.ReasonCount {
			out = append(out, m)
		}
	}
	return out
}

func TestRecordCount(t *testing.T) {
	tests := []struct {
		name      string
		bin       string
		counted   int64
		threshold int64
		order     int64 // units of MUG ordered (allocated) first
		status    string
		message   string
		onHand    int64
		why       string
	}{
		{"matches", "A-01-01", 10, 5, 0, store.CountMatched, store.CountRecorded, 10, ""},
		{"short within threshold", "A-01-01", 7, 5, 0, store.CountApplied, store.CountRecorded, 7, ""},
		{"over within threshold", "A-01-01", 15, 5, 0, store.CountApplied, store.CountRecorded, 15, ""},
		{"empty bin found stock", "B-01-01", 2, 5, 0, store.CountApplied, store.CountRecorded, 2, ""},
		{"above threshold", "A-01-01", 4, 5, 0, store.CountPending, store.CountWaiting, 10,
			"variance -6 is more than the threshold of 5 units"},
		{"no threshold", "A-01-01", 11, -1, 0, store.CountPending, store.CountWaiting, 10,
			"threshold of 0 units"},
		{"below allocated", "A-01-01", 6, 5, 8, store.CountPending, store.CountWaiting, 10,
			"counted 6 is below the 8 allocated to orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := countFixture(t)
			if tt.order > 0 {
				f.order("W-1", line("MUG", tt.order))
				f.wantStock("MUG", "A-01-01", 10, tt.order)
			}
			rc, c := f.countOf(tt.bin, tt.counted, tt.threshold)
			if rc.Message != tt.message || c.Status != tt.status || !strings.Contains(c.Why, tt.why) {
				t.Errorf("receipt %+v, count %+v; want %q, %s, why %q", rc, c, tt.message, tt.status, tt.why)
			}
			f.wantStock("MUG", tt.bin, tt.onHand, tt.order)
			ms := f.countMovements()
			if tt.status == store.CountApplied {
				if len(ms) != 1 || ms[0].Qty != tt.counted-c.Expected || ms[0].User != "alice" ||
					ms[0].Bin != tt.bin || c.MovementID != ms[0].ID {
					t.Errorf("count movements %+v, count %+v", ms, c)
				}
			} else if len(ms) != 0 {
				t.Errorf("count movements %+v, want none", ms)
			}
			f.wantBalanced()
		})
	}
}

func TestApproveCount(t *testing.T) {
	f := countFixture(t)
	_, c := f.countOf("A-01-01", 3, 5)

	_, _, err := f.st.ApproveCount(f.ctx, "alice", c.ID)
	wantErr(t, err, oms.EForbidden, "made by alice")

	got, _, err := f.st.ApproveCount(f.ctx, "sam", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.CountApproved || got.DecidedBy != "sam" || got.Variance != -7 || got.MovementID == 0 {
		t.Errorf("approved count %+v", got)
	}
	f.wantStock("MUG", "A-01-01", 3, 0)
	ms := f.countMovements()
	if len(ms) != 1 || ms[0].Qty != -7 || ms[0].User != "sam" || ms[0].Reference != "count 1" {
		t.Errorf("count movements %+v", ms)
	}
	f.wantBalanced()

	_, _, err = f.st.ApproveCount(f.ctx, "sam", c.ID)
	wantErr(t, err, oms.EConflict, "already approved by sam")
	_, err = f.st.RejectCount(f.ctx, "kim", c.ID, "miscounted")
	wantErr(t, err, oms.EConflict, "already approved by sam")
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM audit WHERE action = 'count.approve' AND actor = 'sam'`); n != 1 {
		t.Errorf("%d approval audit rows, want 1", n)
	}
}

func TestRejectCount(t *testing.T) {
	f := countFixture(t)
	_, c := f.countOf("A-01-01", 30, 5)

	_, err := f.st.RejectCount(f.ctx, "sam", c.ID, "  ")
	wantErr(t, err, oms.EInvalid, "reason: required")
	got, err := f.st.RejectCount(f.ctx, "sam", c.ID, "counted the shelf above")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.CountRejected || got.Reason != "counted the shelf above" || got.MovementID != 0 {
		t.Errorf("rejected count %+v", got)
	}
	f.wantStock("MUG", "A-01-01", 10, 0)
	if ms := f.countMovements(); len(ms) != 0 {
		t.Errorf("count movements %+v, want none", ms)
	}
	_, _, err = f.st.ApproveCount(f.ctx, "sam", c.ID)
	wantErr(t, err, oms.EConflict, "already rejected by sam")
	_, err = f.st.RejectCount(f.ctx, "sam", 99, "no such count")
	wantErr(t, err, oms.ENotFound, "no count 99")

	_, matched := f.countOf("A-01-01", 10, 5)
	_, err = f.st.RejectCount(f.ctx, "sam", matched.ID, "nothing to do")
	wantErr(t, err, oms.EConflict, "was matched when it was recorded")
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM audit WHERE action = 'count.reject' AND actor = 'sam'`); n != 1 {
		t.Errorf("%d rejection audit rows, want 1", n)
	}
}

// TestApproveStaleCount: stock that moved after the count makes the count
// out of date, even when the moves cancel out.
func TestApproveStaleCount(t *testing.T) {
	f := countFixture(t)
	_, c := f.countOf("A-01-01", 2, 5)
	if _, err := f.st.Receive(f.ctx, "bob", store.ReceiveInput{SKU: "MUG", Bin: "A-01-01", Qty: 3}); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.st.ApproveCount(f.ctx, "sam", c.ID)
	wantErr(t, err, oms.EConflict, "changed by +3 (1 movements)", "on hand was 10, is now 13",
		"count the bin again")

	_, c2 := f.countOf("A-01-01", 2, 5)
	for _, qty := range []int64{-1, 1} {
		if _, err := f.st.Adjust(f.ctx, "bob", store.AdjustInput{SKU: "MUG", Bin: "A-01-01", Qty: qty,
			Reason: store.ReasonAdjust, Note: "found and lost"}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = f.st.ApproveCount(f.ctx, "sam", c2.ID)
	wantErr(t, err, oms.EConflict, "changed by +0 (2 movements)")
	f.wantStock("MUG", "A-01-01", 13, 0)
	if ms := f.countMovements(); len(ms) != 0 {
		t.Errorf("count movements %+v, want none", ms)
	}
	if got := f.countByID(c.ID); got.Status != store.CountPending {
		t.Errorf("refused count is %s, want still pending", got.Status)
	}
}

func TestApproveCountBelowAllocated(t *testing.T) {
	f := countFixture(t)
	f.order("W-1", line("MUG", 8))
	_, c := f.countOf("A-01-01", 6, 5)
	_, _, err := f.st.ApproveCount(f.ctx, "sam", c.ID)
	wantErr(t, err, oms.EConflict, "counted 6 is below the 8 allocated")
	f.wantStock("MUG", "A-01-01", 10, 8)
}

func TestRecordCountReplay(t *testing.T) {
	f := countFixture(t)
	in := store.CountInput{ID: "cmd-1", Bin: "a-01-01", SKU: "MUG", Counted: units(8)}
	first, err := f.st.RecordCount(f.ctx, "alice", in, 5)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.st.RecordCount(f.ctx, "alice", in, 5)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replayed || !again.Replayed || again.CountID != first.CountID || again.Message != first.Message {
		t.Errorf("first %+v, again %+v", first, again)
	}
	f.wantStock("MUG", "A-01-01", 8, 0)
	if ms := f.countMovements(); len(ms) != 1 {
		t.Errorf("count movements %+v, want one", ms)
	}
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM counts`); n != 1 {
		t.Errorf("%d counts, want 1", n)
	}
	// The same command id from someone else is their own command.
	if rc, err := f.st.RecordCount(f.ctx, "bob", in, 5); err != nil || rc.Replayed {
		t.Errorf("bob's count: %+v, %v", rc, err)
	}
}

func TestRecordCountBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   store.CountInput
		want string
	}{
		{"unknown sku", store.CountInput{SKU: "NOPE", Bin: "A-01-01", Counted: units(1)}, `sku: "NOPE" is not in`},
		{"not stocked", store.CountInput{SKU: "GIFT", Bin: "A-01-01", Counted: units(1)}, `sku: "GIFT" is not a stock`},
		{"unknown bin", store.CountInput{SKU: "MUG", Bin: "Z-99", Counted: units(1)}, `bin: bin "Z-99" does not exist`},
		{"no bin", store.CountInput{SKU: "MUG", Counted: units(1)}, "bin: required"},
		{"negative", store.CountInput{SKU: "MUG", Bin: "A-01-01", Counted: units(-2)}, "counted: -2: must be 0 or more"},
		{"missing counted", store.CountInput{SKU: "MUG", Bin: "A-01-01"}, "counted: required"},
	}
	f := countFixture(t)
	before := dump(t, f.raw(), append(ledgerTables, "counts")...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.st.RecordCount(f.ctx, "alice", tt.in, 5)
			wantErr(t, err, oms.EInvalid, tt.want)
		})
	}
	if after := dump(t, f.raw(), append(ledgerTables, "counts")...); after != before {
		t.Errorf("bad counts changed the database:\n%s", after)
	}
	_, err := f.st.CycleCounts(f.ctx, "open", 10)
	wantErr(t, err, oms.EInvalid, `status: "open" is not one of`)
}

// lotOnHand returns YOG's on hand of one lot in A-01-01.
func (f *fixture) lotOnHand(lot string) int {
	f.t.Helper()
	return count(f.t, f.raw(), `SELECT COALESCE(SUM(s.on_hand), 0) FROM stock s
		JOIN products p ON p.id = s.product_id JOIN bins b ON b.id = s.bin_id
		WHERE p.sku = 'YOG' AND b.code = 'A-01-01' AND s.lot = ?`, lot)
}

func (f *fixture) countLot(lot string, counted, threshold int64) store.Count {
	f.t.Helper()
	rc, err := f.st.RecordCount(f.ctx, "alice", store.CountInput{Bin: "A-01-01", SKU: "YOG", Lot: lot,
		Counted: units(counted)}, threshold)
	if err != nil {
		f.t.Fatalf("count %d of lot %q: %v", counted, lot, err)
	}
	return f.countByID(rc.CountID)
}

func TestCountOfLot(t *testing.T) {
	f := lotFixture(t)
	f.receiveLot("A-01-01", "L1", "2027-01-31", 10)
	f.receiveLot("A-01-01", "L2", "", 5)
	f.receiveLot("A-01-01", "", "", 3)

	c := f.countLot("L1", 8, 5)
	if c.Status != store.CountApplied || c.Lot != "L1" || c.Expected != 10 || c.Variance != -2 {
		t.Errorf("count of L1 within the threshold: %+v", c)
	}
	if l1, l2, none := f.lotOnHand("L1"), f.lotOnHand("L2"), f.lotOnHand(""); l1 != 8 || l2 != 5 || none != 3 {
		t.Errorf("on hand L1 %d, L2 %d, no lot %d; want 8, 5, 3", l1, l2, none)
	}
	ms, err := f.st.Movements(f.ctx, "YOG", 1)
	if err != nil || len(ms) != 1 || ms[0].Reason != store.ReasonCount || ms[0].Lot != "L1" || ms[0].Qty != -2 {
		t.Errorf("last movement %+v, %v; want a count of -2 in lot L1", ms, err)
	}

	pending := f.countLot("L2", 0, 3)
	if pending.Status != store.CountPending || pending.Lot != "L2" || pending.Expected != 5 {
		t.Errorf("count of L2 above the threshold: %+v", pending)
	}
	// Another lot in the bin moving does not make the count of L2 stale.
	f.receiveLot("A-01-01", "L1", "", 1)
	got, _, err := f.st.ApproveCount(f.ctx, "sam", pending.ID)
	if err != nil || got.Status != store.CountApproved || f.lotOnHand("L2") != 0 || f.lotOnHand("L1") != 9 {
		t.Errorf("approved count %+v, %v; L2 on hand %d, L1 %d", got, err, f.lotOnHand("L2"), f.lotOnHand("L1"))
	}

	if c := f.countLot("", 3, 5); c.Status != store.CountMatched || c.Expected != 3 || c.Lot != "" {
		t.Errorf("count without a lot of a lotted SKU: %+v; want matched against the 3 without a lot", c)
	}

	stale := f.countLot("L1", 0, 0)
	f.receiveLot("A-01-01", "L1", "", 1)
	_, _, err = f.st.ApproveCount(f.ctx, "sam", stale.ID)
	wantErr(t, err, oms.EConflict, "A-01-01 lot L1 changed by +1", "count the bin again")
	f.wantBalanced()

	_, err = f.st.RecordCount(f.ctx, "alice", store.CountInput{Bin: "A-01-01", SKU: "YOG",
		Lot: strings.Repeat("x", 65), Counted: units(1)}, 5)
	wantErr(t, err, oms.EInvalid, "lot: at most 64 characters")
}

// TestCountDuringPick: a unit already in a picker's tote (task not yet
// complete) is not on the shelf; counting the shelf must not take it off a
// second time when the pick completes.
func TestCountDuringPick(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("CUP", "A-01-01"))
	f.stock(row("CUP", "A-01-01", 10))
	f.order("W-1", line("CUP", 1))
	f.task("dee")
	f.mustPick("dee", "A-01-01")
	f.mustPick("dee", "CUP")
	counted := int64(9) // what really is on the shelf
	if _, err := f.st.RecordCount(f.ctx, "cy", store.CountInput{Bin: "A-01-01", SKU: "CUP", Counted: &counted}, 5); err != nil {
		t.Fatal(err)
	}
	f.wantStock("CUP", "A-01-01", 10, 1) // the shelf matched: nothing moved
	if _, err := f.st.CompletePickTask(f.ctx, "dee"); err != nil {
		t.Fatal(err)
	}
	f.wantStock("CUP", "A-01-01", 9, 0)
	f.wantBalanced()
}
