package server_test

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// reply is the answer to one order posted by postAll.
type reply struct {
	channel, id string
	qty         int
	status      int
	body        string
}

// postAll posts the orders at once, each from its own goroutine, and
// returns the replies in the same order.
func (ts *testServer) postAll(orders []reply, sku string) []reply {
	ts.t.Helper()
	start := make(chan struct{})
	var wg sync.WaitGroup
	out := make([]reply, len(orders))
	errs := make([]error, len(orders))
	for i, o := range orders {
		wg.Go(func() {
			<-start
			body := channelOrder(o.channel, o.id, sku, o.qty)
			resp, err := ts.client.Post(ts.url+"/api/v1/orders", "application/json", strings.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			o.status, o.body, errs[i] = resp.StatusCode, string(b), err
			out[i] = o
		})
	}
	close(start)
	wg.Wait()
	// The client may have dialled connections it never used; the server
	// counts those as new, not idle, and its shutdown would wait for them.
	ts.client.CloseIdleConnections()
	for i, err := range errs {
		if err != nil {
			ts.t.Fatalf("order %s: %v", orders[i].id, err)
		}
	}
	return out
}

// openDB opens the server's database file apart from the server's store, to
// read what was committed.
func (ts *testServer) openDB() *sql.DB {
	ts.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+ts.dbPath+"?_busy_timeout=10000&_query_only=true")
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestAllocationUnderLoadWithPolicies: 60 orders of 1-3 units arrive at once
// from amazon and webshop (backorder) and ebay (refuse) for 100 units. No
// unit is allocated twice, refused orders leave nothing behind, only
// backorder channels have waiting orders, and the ledger still balances.
func TestAllocationUnderLoadWithPolicies(t *testing.T) {
	ts := startServer(t)
	ctx := t.Context()
	if _, err := ts.st.ImportCatalog(ctx, "test", []oms.Product{{SKU: "TEA", Title: "Tea", Stocked: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.st.ImportStock(ctx, "test", []oms.StockRow{{SKU: "TEA", Bin: "B-01-01", Qty: 100}}); err != nil {
		t.Fatal(err)
	}
	ts.wantCall("PUT", "/api/v1/channels/amazon", `{}`, 201)
	ts.wantCall("PUT", "/api/v1/channels/ebay", `{"oversell_policy": "refuse"}`, 201)
	ts.wantCall("PUT", "/api/v1/channels/webshop", `{"oversell_policy": "backorder"}`, 201)

	channels := []string{"amazon", "ebay", "webshop"}
	var orders []reply
	for i := range 60 { // 20 per channel, about 40 units each: 120 asked of 100
		ch := channels[i%3]
		orders = append(orders, reply{channel: ch, id: fmt.Sprintf("%s-%d", ch, i), qty: 1 + (i/3)%3})
	}
	replies := ts.postAll(orders, "TEA")

	db := ts.openDB()
	allocated := queryInt(t, db, `SELECT COALESCE(SUM(l.qty), 0) FROM orders o
		JOIN order_lines l ON l.order_id = o.id WHERE l.sku = 'TEA' AND o.status = 'allocated'`)
	reserved := queryInt(t, db, `SELECT s.allocated FROM stock s JOIN products p ON p.id = s.product_id
		WHERE p.sku = 'TEA'`)
	inAllocations := queryInt(t, db, `SELECT COALESCE(SUM(a.qty), 0) FROM allocations a
		JOIN products p ON p.id = a.product_id WHERE p.sku = 'TEA'`)
	if allocated > 100 || reserved != allocated || inAllocations != allocated {
		t.Errorf("allocated orders hold %d, stock.allocated %d, allocations %d; want equal and <= 100",
			allocated, reserved, inAllocations)
	}
	left := 100 - allocated

	var created, refused int
	for _, r := range replies {
		stored := queryInt(t, db, `SELECT COUNT(*) FROM orders WHERE channel = ? AND channel_order_id = ?`,
			r.channel, r.id)
		switch {
		case r.status == http.StatusCreated && stored == 1:
			created++
		case r.status == http.StatusConflict && r.channel == "ebay" && stored == 0:
			refused++
			want := fmt.Sprintf("TEA: needs %d, ebay may sell", r.qty)
			if !strings.Contains(r.body, want) {
				t.Errorf("refusal of %s: %s, want it to say %q", r.id, r.body, want)
			}
			// Nothing was added, so what ebay could sell then is at least
			// what is left now.
			if int64(r.qty) <= left {
				t.Errorf("%s for %d was refused, yet %d units are left", r.id, r.qty, left)
			}
		default:
			t.Errorf("order %s on %s: %d %s, stored %d times", r.id, r.channel, r.status, r.body, stored)
		}
	}
	if n := queryInt(t, db, `SELECT COUNT(*) FROM orders`); n != int64(created) {
		t.Errorf("%d orders stored, %d answered 201", n, created)
	}
	if n := queryInt(t, db, `SELECT COUNT(*) FROM orders WHERE status = 'waiting'
		AND channel NOT IN ('amazon', 'webshop')`); n != 0 {
		t.Errorf("%d orders wait on a channel that refuses oversells", n)
	}
	if n := queryInt(t, db, `SELECT COUNT(*) FROM orders WHERE status NOT IN ('allocated', 'waiting')`); n != 0 {
		t.Errorf("%d orders are neither allocated nor waiting", n)
	}
	smallestWaiting := queryInt(t, db, `SELECT COALESCE(MIN(l.qty), 1000) FROM orders o
		JOIN order_lines l ON l.order_id = o.id WHERE o.status = 'waiting'`)
	if smallestWaiting <= left {
		t.Errorf("%d units left, yet an order of %d waits", left, smallestWaiting)
	}
	t.Logf("%d orders stored, %d refused, %d units allocated", created, refused, allocated)
	ts.wantBalanced()
	ts.wantAvailability("TEA", left, map[string]int64{"amazon": left, "ebay": left, "webshop": left})
}

// TestTwoOrdersAtOnce: 10 mugs, orders of 3 and 2 at the same moment: both
// are allocated and 5 units are reserved.
func TestTwoOrdersAtOnce(t *testing.T) {
	ts := startServer(t)
	replies := ts.postAll([]reply{{channel: "web", id: "W-1", qty: 3}, {channel: "web", id: "W-2", qty: 2}},
		"MUG")
	for _, r := range replies {
		if r.status != http.StatusCreated || !strings.Contains(r.body, `"status":"allocated"`) {
			t.Errorf("order %s: %d %s, want 201 and allocated", r.id, r.status, r.body)
		}
	}
	db := ts.openDB()
	reserved := queryInt(t, db, `SELECT s.allocated FROM stock s JOIN products p ON p.id = s.product_id
		WHERE p.sku = 'MUG'`)
	if reserved != 5 {
		t.Errorf("MUG allocated %d, want 5", reserved)
	}
	ts.wantBalanced()
}
