package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// fixture is a store on its own SQLite file, with helpers that fail the test
// on any error the test did not ask for.
type fixture struct {
	t    *testing.T
	ctx  context.Context
	path string
	st   *store.Store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shipshape.db")
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { st.Close() })
	return &fixture{t: t, ctx: t.Context(), path: path, st: st}
}

// rawDB opens a plain database/sql connection to the file, apart from the
// store's own pools.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func (f *fixture) raw() *sql.DB { return rawDB(f.t, f.path) }

// stocked is a stocked product with the given barcodes (GTIN-14 keys or
// other codes) and default bin.
func stocked(sku, bin string, barcodes ...string) oms.Product {
	return oms.Product{SKU: sku, Title: "Title of " + sku, Stocked: true, Bin: bin, Barcodes: barcodes}
}

func (f *fixture) catalog(ps ...oms.Product) store.ImportResult {
	f.t.Helper()
	res, err := f.st.ImportCatalog(f.ctx, "test", ps)
	if err != nil {
		f.t.Fatalf("import catalogue: %v", err)
	}
	return res
}

// row is one stock import row.
func row(sku, bin string, qty int64) oms.StockRow {
	return oms.StockRow{SKU: sku, Bin: bin, Qty: qty}
}

func (f *fixture) stock(rows ...oms.StockRow) store.ImportResult {
	f.t.Helper()
	res, err := f.st.ImportStock(f.ctx, "test", rows)
	if err != nil {
		f.t.Fatalf("import stock: %v", err)
	}
	return res
}

func shipTo() oms.Address {
	return oms.Address{Name: "Ada Lovelace", Line1: "1 Main Street", City: "Leeds", Country: "GB"}
}

func line(sku string, qty int64) oms.OrderLineInput {
	return oms.OrderLineInput{SKU: sku, Title: "Title of " + sku, Qty: qty}
}

func orderInput(channelOrderID string, lines ...oms.OrderLineInput) oms.OrderInput {
	return oms.OrderInput{Channel: "web", ChannelOrderID: channelOrderID, ShipTo: shipTo(), Lines: lines}
}

// order creates an order on the "web" channel.
func (f *fixture) order(channelOrderID string, lines ...oms.OrderLineInput) *store.Order {
	f.t.Helper()
	o, _, err := f.st.CreateOrder(f.ctx, "test", orderInput(channelOrderID, lines...))
	if err != nil {
		f.t.Fatalf("create order %s: %v", channelOrderID, err)
	}
	return o
}

func (f *fixture) orderByNumber(number string) *store.Order {
	f.t.Helper()
	o, err := f.st.OrderByNumber(f.ctx, number)
	if err != nil {
		f.t.Fatalf("order %s: %v", number, err)
	}
	return o
}

// binStock returns the stock of sku in bin summed over its lots; a missing
// row fails the test.
func (f *fixture) binStock(sku, bin string) store.BinStock {
	f.t.Helper()
	p, err := f.st.ProductBySKU(f.ctx, sku)
	if err != nil {
		f.t.Fatalf("product %s: %v", sku, err)
	}
	sum, found := store.BinStock{Bin: bin}, false
	for _, b := range p.Stock {
		if b.Bin == bin {
			sum.OnHand, sum.Allocated, found = sum.OnHand+b.OnHand, sum.Allocated+b.Allocated, true
		}
	}
	if !found {
		f.t.Fatalf("product %s has no stock row in %s: %+v", sku, bin, p.Stock)
	}
	return sum
}

func (f *fixture) wantStock(sku, bin string, onHand, allocated int64) {
	f.t.Helper()
	got := f.binStock(sku, bin)
	if got.OnHand != onHand || got.Allocated != allocated {
		f.t.Errorf("%s@%s: on hand %d, allocated %d; want %d, %d",
			sku, bin, got.OnHand, got.Allocated, onHand, allocated)
	}
}

func (f *fixture) wantStatus(number, status, reasonPart string) {
	f.t.Helper()
	o := f.orderByNumber(number)
	if o.Status != status || !strings.Contains(o.StatusReason, reasonPart) ||
		(reasonPart == "" && o.StatusReason != "") {
		f.t.Errorf("order %s: status %q reason %q; want %q with reason containing %q",
			number, o.Status, o.StatusReason, status, reasonPart)
	}
}

func (f *fixture) task(picker string) *oms.PickTask {
	f.t.Helper()
	task, err := f.st.NextPickTask(f.ctx, picker)
	if err != nil {
		f.t.Fatalf("next pick task of %s: %v", picker, err)
	}
	return task
}

// pickScan scans code at pick with a fresh command id and returns the result.
func (f *fixture) pickScan(picker, code string) *store.PickResult {
	f.t.Helper()
	res, err := f.st.PickScan(f.ctx, picker, "", code)
	if err != nil {
		f.t.Fatalf("pick scan %q: %v", code, err)
	}
	return res
}

// mustPick scans code at pick and fails the test unless it is accepted.
func (f *fixture) mustPick(picker, code string) *store.PickResult {
	f.t.Helper()
	res := f.pickScan(picker, code)
	if !res.Verdict.OK {
		f.t.Fatalf("pick scan %q refused: %s", code, res.Verdict.Message)
	}
	return res
}

// pickAll claims the picker's task, puts it in tote (if not ""), picks every
// line in full by SKU and completes it. It returns the order number.
func (f *fixture) pickAll(picker, tote string) string {
	f.t.Helper()
	task := f.task(picker)
	if tote != "" {
		f.mustPick(picker, tote)
	}
	for _, l := range task.Lines {
		f.mustPick(picker, l.Bin)
		for range l.Qty {
			f.mustPick(picker, l.SKU)
		}
	}
	if _, err := f.st.CompletePickTask(f.ctx, picker); err != nil {
		f.t.Fatalf("complete task of %s: %v", picker, err)
	}
	return task.OrderNumber
}

func (f *fixture) packScan(station, code string) *store.PackResult {
	f.t.Helper()
	res, err := f.st.PackScan(f.ctx, station, "packer", "", code)
	if err != nil {
		f.t.Fatalf("pack scan %q at %s: %v", code, station, err)
	}
	return res
}

func (f *fixture) mustPack(station, code string) *store.PackResult {
	f.t.Helper()
	res := f.packScan(station, code)
	if !res.Verdict.OK {
		f.t.Fatalf("pack scan %q at %s refused: %s", code, station, res.Verdict.Message)
	}
	return res
}

// release asks for the label of the order open at station, with tracking
// numbers TRK000001, TRK000002... and the tracking number as the label.
func (f *fixture) release(station string) (*store.Shipment, *store.PrintJob, error) {
	return f.st.ReleaseLabel(f.ctx, store.Release{
		Station: station, Actor: "packer", Carrier: "Test courier", Service: "Standard",
		Printer:  "spool test",
		Tracking: func(serial int64) string { return fmt.Sprintf("TRK%06d", serial) },
		Label: func(s *oms.PackSession, sh store.Shipment) ([]byte, error) {
			return []byte("label " + s.OrderNumber + " " + sh.Tracking), nil
		},
	})
}

// wantErr fails the test unless err carries code and its text holds every
// part.
func wantErr(t *testing.T, err error, code string, parts ...string) {
	t.Helper()
	if got := oms.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

// tables is every table but scans, which records refused scans too.
var tables = []string{"sequences", "products", "barcodes", "bins", "stock", "orders", "order_lines",
	"allocations", "pick_tasks", "pick_lines", "stations", "shipments", "print_jobs", "audit"}

// dump returns every row of the tables as text, to compare the whole
// database before and after an operation that must change nothing.
func dump(t *testing.T, db *sql.DB, tables ...string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("dump %s: %v", table, err)
			}
			fmt.Fprintf(&b, "%s %#v\n", table, vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		rows.Close()
	}
	return b.String()
}

// count returns the single integer a query returns.
func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
