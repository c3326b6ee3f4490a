package store_test

import (
	"sync"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

func TestOrdersAreIdempotent(t *testing.T) {
	create := func(f *fixture, o oms.OrderInput) bool {
		_, created, err := f.st.CreateOrder(f.ctx, "test", o)
		if err != nil {
			f.t.Fatal(err)
		}
		return created
	}
	importOne := func(f *fixture, o oms.OrderInput) bool {
		res, err := f.st.ImportOrders(f.ctx, "test", []oms.OrderInput{o})
		if err != nil {
			f.t.Fatal(err)
		}
		if res.Created+res.Unchanged != 1 {
			f.t.Errorf("import result %+v, want one order created or unchanged", res)
		}
		return res.Created == 1
	}
	importTwice := func(f *fixture, o oms.OrderInput) bool {
		res, err := f.st.ImportOrders(f.ctx, "test", []oms.OrderInput{o, o})
		if err != nil {
			f.t.Fatal(err)
		}
		if res.Created+res.Unchanged != 2 || res.Created > 1 {
			f.t.Errorf("import result %+v, want at most one created of two", res)
		}
		return res.Created == 1
	}
	tests := []struct {
		name          string
		first, second func(*fixture, oms.OrderInput) bool
		secondID      string // the second call's channel order id
	}{
		{"CreateOrder twice", create, create, "W-1"},
		{"ImportOrders twice", importOne, importOne, "W-1"},
		{"CreateOrder then ImportOrders", create, importOne, "W-1"},
		{"ImportOrders then CreateOrder", importOne, create, "W-1"},
		{"same order twice in one import", importTwice, importOne, "W-1"},
		{"id with surrounding spaces", create, create, "  W-1 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.catalog(stocked("MUG", "A-01-01"))
			f.stock(row("MUG", "A-01-01", 10))

			if !tt.first(f, orderInput("W-1", line("MUG", 2))) {
				t.Errorf("first call did not create the order")
			}
			again := orderInput(tt.secondID, line("MUG", 5))
			if tt.second(f, again) {
				t.Errorf("second call created the order again")
			}
			db := f.raw()
			if n := count(t, db, `SELECT COUNT(*) FROM orders`); n != 1 {
				t.Errorf("%d orders, want 1", n)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM order_lines`); n != 1 {
				t.Errorf("%d order lines, want 1", n)
			}
			f.wantStock("MUG", "A-01-01", 10, 2)
			if o := f.orderByNumber("W-1"); o.Number != "SO-000001" || o.Lines[0].Qty != 2 {
				t.Errorf("order: %+v", o)
			}
		})
	}
}

func TestCreateOrderConcurrently(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	const n = 8
	var wg sync.WaitGroup
	ids := make([]int64, n)
	created := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			var o *store.Order
			o, created[i], errs[i] = f.st.CreateOrder(f.ctx, "test", orderInput("W-1", line("MUG", 1)))
			if o != nil {
				ids[i] = o.ID
			}
		})
	}
	wg.Wait()
	nCreated := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("call %d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Errorf("call %d returned order %d, call 0 order %d", i, ids[i], ids[0])
		}
		if created[i] {
			nCreated++
		}
	}
	if nCreated != 1 {
		t.Errorf("%d calls created the order, want 1", nCreated)
	}
	if c := count(t, f.raw(), `SELECT COUNT(*) FROM orders`); c != 1 {
		t.Errorf("%d orders stored, want 1", c)
	}
}

func TestImportOrdersIsOneTransaction(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 10))
	db := f.raw()
	before := dump(t, db, tables...)

	_, err := f.st.ImportOrders(f.ctx, "test", []oms.OrderInput{
		orderInput("W-1", line("MUG", 1)),
		orderInput("W-2", line("MUG", 1), line("MUG", 0)),
	})
	wantErr(t, err, oms.EInvalid, "W-2", "lines[1].qty", "0")
	if after := dump(t, db, tables...); after != before {
		t.Errorf("a refused import changed the database:\n%s\nwant:\n%s", after, before)
	}
}

func TestAllocationNeedsEveryLine(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"), stocked("CUP", "B-01-01"))
	f.stock(row("MUG", "A-01-01", 5))

	o := f.order("W-1", line("MUG", 2), line("CUP", 1))
	if o.Status != store.StatusWaiting {
		t.Errorf("status %q, want waiting", o.Status)
	}
	f.wantStatus("SO-000001", store.StatusWaiting, "CUP short by 1")
	f.wantStock("MUG", "A-01-01", 5, 0)
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM allocations`); n != 0 {
		t.Errorf("%d allocations for an order that cannot be allocated, want 0", n)
	}
	if _, err := f.st.NextPickTask(f.ctx, "ann"); oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("pick task for a waiting order: err = %v, want not found", err)
	}

	res := f.stock(row("CUP", "B-01-01", 1))
	if res.Allocated != 1 {
		t.Errorf("stock import allocated %d orders, want 1", res.Allocated)
	}
	f.wantStatus("SO-000001", store.StatusAllocated, "")
	f.wantStock("MUG", "A-01-01", 5, 2)
	f.wantStock("CUP", "B-01-01", 1, 1)
}

func TestAllocationSpansBins(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", ""))
	f.stock(row("MUG", "A-01-01", 2), row("MUG", "A-02-01", 3))

	f.order("W-1", line("MUG", 4))
	f.wantStatus("SO-000001", store.StatusAllocated, "")
	f.wantStock("MUG", "A-01-01", 2, 1)
	f.wantStock("MUG", "A-02-01", 3, 3)

	task := f.task("ann")
	var got []oms.PickLine
	for _, l := range task.Lines {
		got = append(got, oms.PickLine{Bin: l.Bin, SKU: l.SKU, Qty: l.Qty})
	}
	want := []oms.PickLine{{Bin: "A-01-01", SKU: "MUG", Qty: 1}, {Bin: "A-02-01", SKU: "MUG", Qty: 3}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("pick lines %+v, want %+v", got, want)
	}
}

// TestOlderOrderGetsTheLastUnits lets two orders compete for stock: the older
// order is served first, and a newer one is served only with what is left.
func TestOlderOrderGetsTheLastUnits(t *testing.T) {
	tests := []struct {
		name string
		run  func(*fixture)
		// what the newer order SO-000002 ends with
		status, reason string
		allocated      int
	}{
		{"stock arrives after both orders", func(f *fixture) {
			f.order("W-1", line("MUG", 2))
			f.order("W-2", line("MUG", 2))
			f.stock(row("MUG", "A-01-01", 2))
		}, store.StatusWaiting, "cannot allocate: MUG short by 2", 0},
		{"both orders in one import", func(f *fixture) {
			f.stock(row("MUG", "A-01-01", 2))
			_, err := f.st.ImportOrders(f.ctx, "test", []oms.OrderInput{
				orderInput("W-1", line("MUG", 2)), orderInput("W-2", line("MUG", 2))})
			if err != nil {
				f.t.Fatal(err)
			}
		}, store.StatusWaiting, "cannot allocate: MUG short by 2", 0},
		{"newer order fits in what is left", func(f *fixture) {
			f.order("W-1", line("MUG", 2))
			f.order("W-2", line("MUG", 1))
			f.stock(row("MUG", "A-01-01", 3))
		}, store.StatusAllocated, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.catalog(stocked("MUG", "A-01-01"))
			tt.run(f)

			f.wantStatus("SO-000001", store.StatusAllocated, "")
			f.wantStatus("SO-000002", tt.status, tt.reason)
			var allocated []int
			rows, err := f.raw().Query(`SELECT COALESCE(SUM(a.qty), 0) FROM orders o
				LEFT JOIN order_lines l ON l.order_id = o.id LEFT JOIN allocations a ON a.order_line_id = l.id
				GROUP BY o.id ORDER BY o.id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var n int
				rows.Scan(&n)
				allocated = append(allocated, n)
			}
			if len(allocated) != 2 || allocated[0] != 2 || allocated[1] != tt.allocated {
				t.Errorf("units allocated per order %v, want [2 %d]", allocated, tt.allocated)
			}
		})
	}
}

func TestOrderByNumber(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.order("W-1", line("MUG", 1))
	f.order("W-2", line("MUG", 1))
	tests := []struct {
		name, key, want string
	}{
		{"our number", "SO-000002", "SO-000002"},
		{"channel order id", "W-1", "SO-000001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := f.st.OrderByNumber(f.ctx, tt.key)
			if err != nil || o.Number != tt.want {
				t.Errorf("OrderByNumber(%q) = %+v, %v; want %s", tt.key, o, err, tt.want)
			}
		})
	}
	_, err := f.st.OrderByNumber(f.ctx, "SO-999999")
	wantErr(t, err, oms.ENotFound, "SO-999999")

	list, err := f.st.ListOrders(f.ctx, store.StatusAllocated, 10)
	if err != nil || len(list) != 0 {
		t.Errorf("allocated orders without stock: %d, %v; want none", len(list), err)
	}
	list, err = f.st.ListOrders(f.ctx, "", 1)
	if err != nil || len(list) != 1 || list[0].Number != "SO-000002" {
		t.Errorf("ListOrders(limit 1) = %+v, %v; want the newest order", list, err)
	}
}

// TestWaitingReasonPerSKU: the reason an order waits counts missing units per
// SKU over all its lines, and names SKUs the catalogue lacks.
func TestWaitingReasonPerSKU(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 1))
	f.order("W-1", line("MUG", 2), line("MUG", 3), line("NOPE", 1))
	f.wantStatus("SO-000001", store.StatusWaiting, "cannot allocate: MUG short by 4, NOPE is not in the catalogue")
}

// TestPickAndPackShowCatalogueTitles: a channel's own line title does not
// replace the catalogue's, which is what the shelf and the item say.
func TestPickAndPackShowCatalogueTitles(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 1))
	in := orderInput("W-1", line("MUG", 1))
	in.Lines[0].Title = "Coffee cup (promo)"
	if _, _, err := f.st.CreateOrder(f.ctx, "test", in); err != nil {
		t.Fatal(err)
	}
	if task := f.task("ann"); task.Lines[0].Title != "Title of MUG" {
		t.Errorf("pick title %q", task.Lines[0].Title)
	}
	f.pickAll("ann", "")
	if s := f.mustPack("S1", "SO-000001").Session; s.Lines[0].Title != "Title of MUG" {
		t.Errorf("pack title %q", s.Lines[0].Title)
	}
	if o := f.orderByNumber("SO-000001"); o.Lines[0].Title != "Coffee cup (promo)" {
		t.Errorf("the order keeps the channel's title, got %q", o.Lines[0].Title)
	}
}
