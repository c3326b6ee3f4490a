package store_test

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/migrations"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// ledgerTables is every table a refused stock command must leave alone.
var ledgerTables = append(append([]string{}, tables...), "movements")

// wantBalanced fails the test unless every balance equals its movements.
func (f *fixture) wantBalanced() {
	f.t.Helper()
	ms, err := f.st.Check(f.ctx)
	if err != nil {
		f.t.Fatalf("check: %v", err)
	}
	for _, m := range ms {
		f.t.Errorf("check: %s", m)
	}
}

// movements returns the SKU's movements, newest first, as "bin qty reason
// user reference" lines.
func (f *fixture) movements(sku string) []string {
	f.t.Helper()
	ms, err := f.st.Movements(f.ctx, sku, 100)
	if err != nil {
		f.t.Fatalf("movements of %s: %v", sku, err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, strings.Join([]string{m.Bin, fmt.Sprintf("%+d", m.Qty), m.Reason, m.User, m.Reference}, " "))
	}
	return out
}

func wantLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLedgerFollowsImportAndPick(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5), row("MUG", "a-02-01", 2))
	f.stock(oms.StockRow{SKU: "MUG", Bin: "A-01-01", Qty: 4, Row: 2})
	f.wantBalanced()

	f.order("W-1", line("MUG", 3))
	number := f.pickAll("ann", "")
	f.wantStock("MUG", "A-01-01", 1, 0)
	f.wantBalanced()

	wantLines(t, "movements of MUG", f.movements("MUG"), []string{
		"A-01-01 -3 pick ann " + number,
		"A-01-01 -1 import test stock import, line 2",
		"A-02-01 +2 import test stock import",
		"A-01-01 +5 import test stock import",
	})
}

func TestCheckReportsCorruption(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"), stocked("CUP", "B-01-01"))
	f.stock(row("MUG", "A-01-01", 5), row("CUP", "B-01-01", 3))
	f.wantBalanced()

	db := f.raw()
	for _, q := range []string{
		`UPDATE stock SET on_hand = on_hand + 2 WHERE bin_id = (SELECT id FROM bins WHERE code = 'A-01-01')`,
		`INSERT INTO bins (code) VALUES ('Z-99-99')`,
		`INSERT INTO movements (at, product_id, bin_id, qty, reason, user)
		 SELECT '2025-01-01T00:00:00Z', p.id, b.id, 4, 'receive', 'mallory'
		 FROM products p, bins b WHERE p.sku = 'CUP' AND b.code = 'Z-99-99'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ms, err := f.st.Check(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.String())
	}
	wantLines(t, "mismatches", got, []string{
		"CUP in Z-99-99: no stock row, movements sum to 4",
		"MUG in A-01-01: on hand 7, movements sum to 5",
	})
}

func TestMovementsCannotBeChanged(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	db := f.raw()
	for q, want := range map[string]string{
		`UPDATE movements SET qty = 50`: "cannot be changed",
		`DELETE FROM movements`:         "cannot be deleted",
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", q, err, want)
		}
	}
	f.wantBalanced()
}

// TestMigrationOpensLedger: a database from before the ledger gets an opening
// movement per stock row, so it checks clean at once.
func TestMigrationOpensLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := rawDB(t, path)
	for v, name := range []string{"0001_init.sql", "0002_warehouse.sql"} {
		body, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v == 0 {
			_, err = db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,
				name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
		}
		if err == nil {
			_, err = db.Exec(`INSERT INTO schema_migrations VALUES (?, ?, '2025-01-01T00:00:00Z')`, v+1, name)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := db.Exec(`INSERT INTO products (id, sku, title, created_at, updated_at) VALUES
		(1, 'MUG', 'Mug', 'x', 'x'), (2, 'CUP', 'Cup', 'x', 'x');
		INSERT INTO bins (id, code) VALUES (1, 'A-01-01'), (2, 'A-01-02');
		INSERT INTO stock (product_id, bin_id, on_hand) VALUES (1, 1, 7), (2, 1, 0), (2, 2, 3)`)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, ctx: t.Context(), path: path, st: st}
	f.wantBalanced()
	wantLines(t, "movements of MUG", f.movements("MUG"), []string{"A-01-01 +7 import migration 0003_ledger"})
	wantLines(t, "movements of CUP", f.movements("CUP"), []string{"A-01-02 +3 import migration 0003_ledger"})
}

func TestReceiveMoveAdjust(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	receive := store.ReceiveInput{SKU: "MUG", Bin: "a-01-01", Qty: 6, Lot: "L42", Reference: "PO-7"}
	if _, err := f.st.Receive(f.ctx, "rita", receive); err != nil {
		t.Fatal(err)
	}
	res, err := f.st.MoveStock(f.ctx, "mo", store.MoveInput{SKU: "MUG", FromBin: "A-01-01", ToBin: "B-02-01", Qty: 4,
		Lot: "L42"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Movements) != 2 || res.Movements[0].Qty != -4 || res.Movements[1].Bin != "B-02-01" {
		t.Errorf("move movements: %+v", res.Movements)
	}
	_, err = f.st.Adjust(f.ctx, "sue", store.AdjustInput{SKU: "MUG", Bin: "B-02-01", Qty: -1,
		Reason: store.ReasonDamage, Note: "dropped", Lot: "L42"})
	if err != nil {
		t.Fatal(err)
	}
	f.wantStock("MUG", "A-01-01", 2, 0)
	f.wantStock("MUG", "B-02-01", 3, 0)
	f.wantBalanced()
	wantLines(t, "movements of MUG", f.movements("MUG"), []string{
		"B-02-01 -1 damage sue ",
		"B-02-01 +4 move mo A-01-01 -> B-02-01",
		"A-01-01 -4 move mo A-01-01 -> B-02-01",
		"A-01-01 +6 receive rita PO-7",
	})
}

// TestReceiveAllocatesWaitingOrders: an order waiting for stock is allocated
// as soon as the goods are booked in.
func TestReceiveAllocatesWaitingOrders(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	o := f.order("W-1", line("MUG", 2))
	f.wantStatus(o.Number, store.StatusWaiting, "MUG short by 2")
	res, err := f.st.Receive(f.ctx, "rita", store.ReceiveInput{SKU: "MUG", Bin: "A-01-01", Qty: 2})
	if err != nil || res.Allocated != 1 {
		t.Fatalf("receive: %+v, %v; want 1 order allocated", res, err)
	}
	f.wantStatus(o.Number, store.StatusAllocated, "")
	f.wantStock("MUG", "A-01-01", 2, 2)
}

func TestStockCommandsRefusedChangeNothing(t *testing.T) {
	type call func(f *fixture) error
	recv := func(in store.ReceiveInput) call {
		return func(f *fixture) error { _, err := f.st.Receive(f.ctx, "u", in); return err }
	}
	move := func(in store.MoveInput) call {
		return func(f *fixture) error { _, err := f.st.MoveStock(f.ctx, "u", in); return err }
	}
	adjust := func(in store.AdjustInput) call {
		return func(f *fixture) error { _, err := f.st.Adjust(f.ctx, "u", in); return err }
	}
	tests := []struct {
		name string
		call call
		want []string
	}{
		{"receive unknown SKU", recv(store.ReceiveInput{SKU: "NOPE", Bin: "A-01-01", Qty: 1}),
			[]string{"sku", `"NOPE"`, "not in the catalogue"}},
		{"receive not stocked", recv(store.ReceiveInput{SKU: "GIFT", Bin: "A-01-01", Qty: 1}),
			[]string{"sku", `"GIFT"`, "not a stock item"}},
		{"receive qty 0", recv(store.ReceiveInput{SKU: "MUG", Bin: "A-01-01"}), []string{"qty", "1 or more"}},
		{"receive negative", recv(store.ReceiveInput{SKU: "MUG", Bin: "A-01-01", Qty: -2}), []string{"qty", "-2"}},
		{"receive no bin", recv(store.ReceiveInput{SKU: "MUG", Qty: 1}), []string{"bin: required"}},
		{"move below allocated", move(store.MoveInput{SKU: "MUG", FromBin: "A-01-01", ToBin: "B-01-01", Qty: 3}),
			[]string{"qty", `"MUG"`, "A-01-01", "leave 2 on hand", "3 allocated"}},
		{"move more than on hand", move(store.MoveInput{SKU: "MUG", FromBin: "A-01-01", ToBin: "B-01-01", Qty: 9}),
			[]string{"qty", "only 5 on hand"}},
		{"move from unknown bin", move(store.MoveInput{SKU: "MUG", FromBin: "Q-1", ToBin: "B-01-01", Qty: 1}),
			[]string{"from_bin", `"Q-1"`, "does not exist"}},
		{"move to same bin", move(store.MoveInput{SKU: "MUG", FromBin: "A-01-01", ToBin: "a-01-01", Qty: 1}),
			[]string{"to_bin", "A-01-01"}},
		{"move qty 0", move(store.MoveInput{SKU: "MUG", FromBin: "A-01-01", ToBin: "B-01-01"}), []string{"qty"}},
		{"adjust qty 0", adjust(store.AdjustInput{SKU: "MUG", Bin: "A-01-01", Reason: "adjust", Note: "n"}),
			[]string{"qty: must not be 0"}},
		{"adjust below allocated", adjust(store.AdjustInput{SKU: "MUG", Bin: "A-01-01", Qty: -3, Reason: "count",
			Note: "counted 2"}), []string{"qty", "3 allocated"}},
		{"adjust negative", adjust(store.AdjustInput{SKU: "CUP", Bin: "A-01-01", Qty: -1, Reason: "adjust",
			Note: "n"}), []string{"qty", `"CUP"`, "only 0 on hand"}},
		{"adjust bad reason", adjust(store.AdjustInput{SKU: "MUG", Bin: "A-01-01", Qty: 1, Reason: "theft",
			Note: "n"}), []string{"reason", `"theft"`}},
		{"adjust damage adds", adjust(store.AdjustInput{SKU: "MUG", Bin: "A-01-01", Qty: 1, Reason: "damage",
			Note: "n"}), []string{"qty", "negative"}},
		{"adjust without note", adjust(store.AdjustInput{SKU: "MUG", Bin: "A-01-01", Qty: 1, Reason: "adjust"}),
			[]string{"note: required"}},
		{"adjust unknown SKU", adjust(store.AdjustInput{SKU: "NOPE", Bin: "A-01-01", Qty: 1, Reason: "adjust",
			Note: "n"}), []string{"sku", `"NOPE"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := stockedWithOrder(t)
			f.catalog(stocked("CUP", "B-01-01"))
			db := f.raw()
			before := dump(t, db, ledgerTables...)

			wantErr(t, tt.call(f), oms.EInvalid, tt.want...)
			if after := dump(t, db, ledgerTables...); after != before {
				t.Errorf("a refused command changed the database:\n%s\nwant:\n%s", after, before)
			}
		})
	}
}

func TestStockCommandReplayCountsOnce(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 10))
	in := store.MoveInput{ID: "c-1", SKU: "MUG", FromBin: "A-01-01", ToBin: "B-01-01", Qty: 3}
	first, err := f.st.MoveStock(f.ctx, "mo", in)
	if err != nil || first.Replayed {
		t.Fatalf("first move: %+v, %v", first, err)
	}
	db := f.raw()
	before := dump(t, db, ledgerTables...)

	again, err := f.st.MoveStock(f.ctx, "mo", in)
	if err != nil || !again.Replayed || !reflect.DeepEqual(again.Movements, first.Movements) {
		t.Errorf("replayed move: %+v, %v; want the first movements %+v", again, err, first.Movements)
	}
	// The same id under another command kind is still the same command.
	adj, err := f.st.Adjust(f.ctx, "mo", store.AdjustInput{ID: "c-1", SKU: "MUG", Bin: "A-01-01", Qty: -1,
		Reason: "adjust", Note: "n"})
	if err != nil || !adj.Replayed {
		t.Errorf("adjust with a used id: %+v, %v", adj, err)
	}
	if after := dump(t, db, ledgerTables...); after != before {
		t.Errorf("a replay changed the database:\n%s\nwant:\n%s", after, before)
	}

	// Command ids are the client's own: another user may use the same one.
	if res, err := f.st.MoveStock(f.ctx, "max", in); err != nil || res.Replayed {
		t.Errorf("another user's c-1: %+v, %v", res, err)
	}
	f.wantStock("MUG", "A-01-01", 4, 0)
	f.wantStock("MUG", "B-01-01", 6, 0)
	f.wantBalanced()
}

// TestMoveBounds: a huge quantity is refused before any sum can overflow.
func TestMoveBounds(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	_, err := f.st.Receive(f.ctx, "t", store.ReceiveInput{SKU: "MUG", Bin: "A-01-01", Qty: 9_000_000_000_000_000_000})
	wantErr(t, err, oms.EInvalid, "is too large")
	for range 2 {
		if _, err := f.st.Receive(f.ctx, "t", store.ReceiveInput{SKU: "MUG", Bin: "A-01-01", Qty: store.MaxMoveQty}); err != nil {
			t.Fatal(err)
		}
	}
	f.wantBalanced()
}
