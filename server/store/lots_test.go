package store_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/migrations"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// lotFixture is a store whose clock shows 2026-12-04 14:00 UTC.
func lotFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.st.Zone = time.UTC
	f.st.Now = func() time.Time { return time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC) }
	f.catalog(stocked("YOG", "A-01-01"))
	return f
}

func (f *fixture) receiveLot(bin, lot, expiry string, qty int64) {
	f.t.Helper()
	in := store.ReceiveInput{SKU: "YOG", Bin: bin, Qty: qty, Lot: lot, Expiry: expiry}
	if _, err := f.st.Receive(f.ctx, "rita", in); err != nil {
		f.t.Fatalf("receive %d of lot %s into %s: %v", qty, lot, bin, err)
	}
}

// pickLines returns the picker's task lines as "BIN LOT QTY".
func pickLines(task *oms.PickTask) []string {
	var out []string
	for _, l := range task.Lines {
		out = append(out, fmt.Sprintf("%s %s %d", l.Bin, l.Lot, l.Qty))
	}
	return out
}

func TestAllocationTakesEarliestExpiryFirst(t *testing.T) {
	f := lotFixture(t)
	f.stock(row("YOG", "A-01-01", 10)) // no lot: taken last
	f.receiveLot("B-01-01", "LATE", "2027-03-01", 5)
	f.receiveLot("C-01-01", "EARLY", "2027-01-15", 3)
	f.receiveLot("D-01-01", "NODATE", "", 2)

	f.order("Y-1", line("YOG", 9))
	wantLines(t, "pick lines", pickLines(f.task("ann")),
		[]string{"B-01-01 LATE 5", "C-01-01 EARLY 3", "D-01-01 NODATE 1"})
	f.pickAll("ann", "")
	f.wantStock("YOG", "A-01-01", 10, 0)
	f.wantBalanced()
}

func TestPartlyUsedLotIsFinishedFirst(t *testing.T) {
	f := lotFixture(t)
	f.receiveLot("A-02-01", "L1", "2027-01-15", 6)
	f.receiveLot("B-02-01", "L2", "2027-01-15", 6)
	f.order("Y-1", line("YOG", 2)) // equal lots: the first by lot code
	wantLines(t, "first pick", pickLines(f.task("ann")), []string{"A-02-01 L1 2"})
	f.pickAll("ann", "")

	// L1 has 4 left, L2 all 6: the pick list takes the rest of L1 first,
	// even from a bin that sorts later than L2's.
	f.receiveLot("0-00-01", "L2", "", 1) // more of L2 in a bin walked first
	f.order("Y-2", line("YOG", 5))
	wantLines(t, "second pick", pickLines(f.task("bo")), []string{"0-00-01 L2 1", "A-02-01 L1 4"})
	f.pickAll("bo", "")
	f.wantStock("YOG", "A-02-01", 0, 0)
	f.wantStock("YOG", "B-02-01", 6, 0)
	f.wantBalanced()
}

func TestExpiredLotIsNeverAllocated(t *testing.T) {
	f := lotFixture(t)
	f.receiveLot("A-03-01", "OLD", "2026-12-03", 5)
	f.receiveLot("A-03-02", "TODAY", "2026-12-04", 1)
	o := f.order("Y-1", line("YOG", 3))
	f.wantStatus(o.Number, store.StatusWaiting, "YOG short by 2: lot OLD (expired 2026-12-03)")

	f.receiveLot("B-03-01", "NEW", "2027-06-01", 4)
	f.wantStatus(o.Number, store.StatusAllocated, "")
	wantLines(t, "pick lines", pickLines(f.task("ann")), []string{"A-03-02 TODAY 1", "B-03-01 NEW 2"})
	f.pickAll("ann", "")
	f.wantStock("YOG", "A-03-01", 5, 0)
	f.wantBalanced()
}

func TestExpiryIsTodayInTheStoresZone(t *testing.T) {
	f := lotFixture(t)
	// 23:30 UTC on the 4th is already the 5th thirteen hours east.
	f.st.Now = func() time.Time { return time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC) }
	f.st.Zone = time.FixedZone("UTC+13", 13*3600)
	f.receiveLot("A-03-01", "L4", "2026-12-04", 5)
	o := f.order("Y-1", line("YOG", 1))
	f.wantStatus(o.Number, store.StatusWaiting, "lot L4 (expired 2026-12-04)")
}

func TestReceiveChecksExpiry(t *testing.T) {
	f := lotFixture(t)
	f.receiveLot("A-01-01", "L1", "2027-01-15", 2)
	f.receiveLot("B-01-01", "L1", "", 1) // the recorded date stands

	for _, c := range []struct {
		name, lot, expiry string
		code              string
		want              []string
	}{
		{"other date", "L1", "2027-02-01", oms.EConflict, []string{"2027-01-15", "2027-02-01", "L1"}},
		{"not a date", "L2", "2027-13-01", oms.EInvalid, []string{"expiry", "2027-13-01"}},
		{"day first", "L2", "15.01.2027", oms.EInvalid, []string{"expiry", "YYYY-MM-DD"}},
		{"no lot", "", "2027-01-15", oms.EInvalid, []string{"expiry", "needs a lot"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := store.ReceiveInput{SKU: "YOG", Bin: "A-01-01", Qty: 1, Lot: c.lot, Expiry: c.expiry}
			_, err := f.st.Receive(f.ctx, "rita", in)
			if oms.ErrorCode(err) != c.code {
				t.Fatalf("receive: %v; want code %s", err, c.code)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
	f.wantStock("YOG", "A-01-01", 2, 0)
	f.wantStock("YOG", "B-01-01", 1, 0)
	f.wantBalanced()
}

func TestStockImportSetsLots(t *testing.T) {
	f := lotFixture(t)
	f.stock(oms.StockRow{SKU: "YOG", Bin: "A-01-01", Qty: 4, Lot: "L1", Expiry: "2027-01-15"},
		oms.StockRow{SKU: "YOG", Bin: "A-01-01", Qty: 2})
	f.stock(oms.StockRow{SKU: "YOG", Bin: "A-01-01", Qty: 3, Lot: "L1"})
	_, err := f.st.ImportStock(f.ctx, "test",
		[]oms.StockRow{{SKU: "YOG", Bin: "A-01-01", Qty: 3, Lot: "L1", Expiry: "2027-01-16"}})
	if oms.ErrorCode(err) != oms.EConflict {
		t.Errorf("import with another expiry: %v; want a conflict", err)
	}
	f.wantStock("YOG", "A-01-01", 5, 0)
	f.wantBalanced()
}

// TestMigrationToLotsKeepsBalances opens a version 7 database holding stock,
// movements and an allocation, and checks the ledger still agrees and the
// allocation can be picked.
func TestMigrationToLotsKeepsBalances(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"), stocked("CUP", "A-01-02"))
	f.stock(row("MUG", "A-01-01", 5), row("MUG", "B-01-01", 2), row("CUP", "A-01-02", 3))
	f.order("W-1", line("MUG", 6))
	f.st.Close()

	old := rawDB(t, f.path+".old")
	names, err := fs.Glob(migrations.FS, "000[1-7]_*.sql")
	if err != nil || len(names) != 7 {
		t.Fatalf("migrations 1-7: %v, %v", names, err)
	}
	exec(t, old, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL)`)
	for i, name := range names {
		body, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		exec(t, old, string(body))
		exec(t, old, `INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')`, i+1, name)
	}
	exec(t, old, `ATTACH DATABASE ? AS cur`, f.path)
	for _, c := range [][2]string{{"products", "*"}, {"bins", "*"}, {"channels", "*"},
		{"stock", "product_id, bin_id, on_hand, allocated"}, {"movements", "*"}, {"orders", "*"},
		{"order_lines", "*"}, {"allocations", "id, order_line_id, product_id, bin_id, qty"}} {
		exec(t, old, `INSERT INTO main.`+c[0]+` SELECT `+c[1]+` FROM cur.`+c[0])
	}
	exec(t, old, `DETACH DATABASE cur`)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(f.ctx, f.path+".old")
	if err != nil {
		t.Fatalf("open version 7 database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	g := &fixture{t: t, ctx: f.ctx, path: f.path + ".old", st: st}
	g.wantBalanced()
	g.wantStock("MUG", "A-01-01", 5, 5)
	g.wantStock("MUG", "B-01-01", 2, 1)
	g.wantStock("CUP", "A-01-02", 3, 0)
	wantLines(t, "pick lines", pickLines(g.task("ann")), []string{"A-01-01  5", "B-01-01  1"})
	g.pickAll("ann", "")
	g.wantStock("MUG", "A-01-01", 0, 0)
	g.wantStock("MUG", "B-01-01", 1, 0)
	g.wantBalanced()
}

// TestExpiredLotIsNotSellable: channels do not list expired units, so a
// channel that refuses oversells refuses an order only expired stock could
// fill.
func TestExpiredLotIsNotSellable(t *testing.T) {
	f := lotFixture(t)
	f.receiveLot("A-03-01", "OLD", "2026-12-03", 5)
	f.receiveLot("A-03-02", "NEW", "2027-06-01", 2)
	f.channel(store.Channel{ID: "ebay", Name: "eBay", OversellPolicy: store.OversellRefuse})
	f.wantATS("YOG", map[string]int64{"ebay": 2})
	in := orderInput("E-1", line("YOG", 3))
	in.Channel = "ebay"
	_, _, err := f.st.CreateOrder(f.ctx, "test", in)
	wantErr(t, err, oms.EConflict, "YOG")
}
