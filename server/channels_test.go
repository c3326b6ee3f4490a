package server_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// channelOrder is an order body of qty units of sku on channel.
func channelOrder(channel, id, sku string, qty int) string {
	return fmt.Sprintf(`{"channel": %q, "channel_order_id": %q,
		"ship_to": {"name": "Ada Lovelace", "line1": "1 Main Street", "city": "Leeds", "country": "GB"},
		"lines": [{"sku": %q, "qty": %d}]}`, channel, id, sku, qty)
}

func (ts *testServer) wantCall(method, path, body string, status int) []byte {
	ts.t.Helper()
	code, got := ts.call(method, path, body)
	if code != status {
		ts.t.Fatalf("%s %s: %d %s, want %d", method, path, code, got, status)
	}
	return got
}

func TestChannelsAPI(t *testing.T) {
	ts := startServer(t)
	ts.wantCall("PUT", "/api/v1/channels/amazon", `{"name": "Amazon UK", "safety_buffer_units": 2}`, 201)
	ts.wantCall("PUT", "/api/v1/channels/amazon", `{"name": "Amazon UK", "safety_buffer_percent": 50}`, 200)
	ts.wantCall("PUT", "/api/v1/channels/webshop", `{}`, 201)

	code, body := ts.call("PUT", "/api/v1/channels/ebay", `{"safety_buffer_percent": 150}`)
	if msg := errorText(t, body); code != 400 || !strings.Contains(msg, "safety_buffer_percent: 150") {
		t.Errorf("bad percent: %d %s", code, msg)
	}
	code, body = ts.call("PUT", "/api/v1/channels/ebay", `{"max_listed": "ten"}`)
	if code != 400 {
		t.Errorf("max_listed as text: %d %s", code, body)
	}
	var list []struct {
		ID      string `json:"id"`
		Percent int    `json:"safety_buffer_percent"`
	}
	if err := json.Unmarshal(ts.wantCall("GET", "/api/v1/channels", "", 200), &list); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(list) != "[{amazon 50} {webshop 0}]" {
		t.Errorf("channels = %v", list)
	}

	// MUG: 10 on hand. Amazon keeps back ceil(50% of 10) = 5 units.
	body = ts.wantCall("POST", "/api/v1/ring-fences",
		`{"sku": "MUG", "channel_id": "webshop", "qty": 3, "starts_at": "2020-01-01T10:00:00+01:00"}`, 201)
	var fence struct {
		ID       int64  `json:"id"`
		StartsAt string `json:"starts_at"`
	}
	if err := json.Unmarshal(body, &fence); err != nil || fence.StartsAt != "2020-01-01T09:00:00Z" {
		t.Fatalf("fence %s: %v", body, err)
	}
	ts.wantAvailability("MUG", 10, map[string]int64{"amazon": 2, "webshop": 10})

	code, body = ts.call("POST", "/api/v1/ring-fences", `{"sku": "MUG", "channel_id": "nowhere", "qty": 3}`)
	if msg := errorText(t, body); code != 400 || !strings.Contains(msg, `channel_id: "nowhere"`) {
		t.Errorf("fence for unknown channel: %d %s", code, msg)
	}

	ts.wantCall("DELETE", fmt.Sprintf("/api/v1/ring-fences/%d", fence.ID), "", 200)
	ts.wantAvailability("MUG", 10, map[string]int64{"amazon": 5, "webshop": 10})
	ts.wantCall("DELETE", "/api/v1/ring-fences/999", "", 404)
	ts.wantCall("GET", "/api/v1/stock/BOWL/availability", "", 404)

	body = ts.wantCall("GET", fmt.Sprintf("/api/v1/audit?entity=ring_fence&id=%d", fence.ID), "", 200)
	if !strings.Contains(string(body), `"action":"ring_fence.end"`) {
		t.Errorf("audit of the fence: %s", body)
	}
	var outbox []struct {
		ChannelID string `json:"channel_id"`
		SKU       string `json:"sku"`
		ATS       int64  `json:"available_to_sell"`
	}
	if err := json.Unmarshal(ts.wantCall("GET", "/api/v1/outbox?limit=1000", "", 200), &outbox); err != nil {
		t.Fatal(err)
	}
	if last := outbox[len(outbox)-1]; last.ChannelID != "amazon" || last.SKU != "MUG" || last.ATS != 5 {
		t.Errorf("last outbox row %+v, want amazon MUG 5", last)
	}
}

func (ts *testServer) wantAvailability(sku string, available int64, ats map[string]int64) {
	ts.t.Helper()
	var a struct {
		Available int64            `json:"available"`
		ATS       map[string]int64 `json:"available_to_sell"`
	}
	body := ts.wantCall("GET", "/api/v1/stock/"+sku+"/availability", "", 200)
	if err := json.Unmarshal(body, &a); err != nil {
		ts.t.Fatal(err)
	}
	if a.Available != available || fmt.Sprint(a.ATS) != fmt.Sprint(ats) {
		ts.t.Errorf("availability of %s = %s, want available %d and %v", sku, body, available, ats)
	}
}

// TestStockAlerts: the dashboard hears when an allocation leaves a SKU low,
// then out.
func TestStockAlerts(t *testing.T) {
	ts := startServer(t)
	page := ts.open("/ws/dashboard")
	page.next("scans") // the greeting is over, so the page is subscribed

	ts.wantCall("POST", "/api/v1/orders", channelOrder("amazon", "A-1", "MUG", 5), 201)
	if a := nextAlert(t, page); a != (stockAlert{"stock_alert", "MUG", "low", 5}) {
		t.Errorf("alert = %+v, want MUG low at 5", a)
	}
	ts.wantCall("POST", "/api/v1/orders", channelOrder("amazon", "A-2", "MUG", 5), 201)
	if a := nextAlert(t, page); a != (stockAlert{"stock_alert", "MUG", "out", 0}) {
		t.Errorf("alert = %+v, want MUG out", a)
	}
}

// TestStockAlertsFromAnyChange: a change made outside the API (here a stock
// import, as the CLI does into the same database) reaches the dashboard too,
// once per change of level.
func TestStockAlertsFromAnyChange(t *testing.T) {
	ts := startServer(t, func(c *server.Config) { c.PollInterval = 20 * time.Millisecond })
	page := ts.open("/ws/dashboard")
	page.next("scans")
	if _, err := ts.st.ImportStock(t.Context(), "cli", []oms.StockRow{{SKU: "CUP", Bin: "A-01-02", Qty: 3}}); err != nil {
		t.Fatal(err)
	}
	if a := nextAlert(t, page); a != (stockAlert{"stock_alert", "CUP", "low", 3}) {
		t.Errorf("alert = %+v, want CUP low at 3", a)
	}
	if _, err := ts.st.ImportStock(t.Context(), "cli", []oms.StockRow{{SKU: "CUP", Bin: "A-01-02", Qty: 0}}); err != nil {
		t.Fatal(err)
	}
	if a := nextAlert(t, page); a != (stockAlert{"stock_alert", "CUP", "out", 0}) {
		t.Errorf("alert = %+v, want CUP out", a)
	}
}

type stockAlert struct {
	Type      string `json:"type"`
	SKU       string `json:"sku"`
	Level     string `json:"level"`
	Available int64  `json:"available"`
}

func nextAlert(t *testing.T, p *wsPage) stockAlert {
	t.Helper()
	p.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var a stockAlert
		if err := p.conn.ReadJSON(&a); err != nil {
			t.Fatalf("waiting for a stock alert: %v", err)
		}
		if a.Type == "stock_alert" {
			return a
		}
	}
}

// TestConcurrentChannelOrders: 60 orders from three channels arrive at once
// for 100 units; allocation never oversells and leaves waiting only orders
// that cannot fit in what is left.
func TestConcurrentChannelOrders(t *testing.T) {
	ts := startServer(t)
	ctx := t.Context()
	if _, err := ts.st.ImportCatalog(ctx, "test", []oms.Product{{SKU: "TEA", Title: "Tea", Stocked: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.st.ImportStock(ctx, "test", []oms.StockRow{{SKU: "TEA", Bin: "B-01-01", Qty: 100}}); err != nil {
		t.Fatal(err)
	}
	channels := []string{"amazon", "ebay", "webshop"}
	for _, ch := range channels {
		ts.wantCall("PUT", "/api/v1/channels/"+ch, `{}`, 201)
	}

	const orders = 60 // 20 each of 1, 2 and 3 units: 120 asked of 100
	var wg sync.WaitGroup
	errs := make(chan error, orders)
	for i := range orders {
		wg.Go(func() {
			body := channelOrder(channels[i%3], fmt.Sprintf("C-%d", i), "TEA", 1+i%3)
			resp, err := ts.client.Post(ts.url+"/api/v1/orders", "application/json", strings.NewReader(body))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b, _ := io.ReadAll(resp.Body)
				errs <- fmt.Errorf("order %d: %d %s", i, resp.StatusCode, b)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	db, err := sql.Open("sqlite3", "file:"+ts.dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sum := func(query string) int64 {
		t.Helper()
		var n int64
		if err := db.QueryRow(query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	allocated := sum(`SELECT COALESCE(SUM(l.qty), 0) FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE l.sku = 'TEA' AND o.status = 'allocated'`)
	reserved := sum(`SELECT allocated FROM stock s JOIN products p ON p.id = s.product_id WHERE p.sku = 'TEA'`)
	inAllocations := sum(`SELECT SUM(a.qty) FROM allocations a JOIN products p ON p.id = a.product_id
		WHERE p.sku = 'TEA'`)
	smallestWaiting := sum(`SELECT COALESCE(MIN(l.qty), 1000) FROM orders o
		JOIN order_lines l ON l.order_id = o.id WHERE l.sku = 'TEA' AND o.status = 'waiting'`)
	if n := sum(`SELECT COUNT(*) FROM orders WHERE status NOT IN ('allocated', 'waiting')`); n != 0 {
		t.Errorf("%d orders are neither allocated nor waiting", n)
	}
	if allocated > 100 || reserved != allocated || inAllocations != allocated {
		t.Errorf("allocated orders hold %d, stock.allocated %d, allocations %d; want equal and <= 100",
			allocated, reserved, inAllocations)
	}
	if left := 100 - allocated; smallestWaiting <= left {
		t.Errorf("%d units left, yet an order of %d waits", left, smallestWaiting)
	}
	if n := sum(`SELECT COUNT(*) FROM stock WHERE on_hand < 0 OR allocated < 0 OR allocated > on_hand`); n != 0 {
		t.Errorf("%d stock rows out of balance", n)
	}
	left := 100 - allocated
	ts.wantAvailability("TEA", left, map[string]int64{"amazon": left, "ebay": left, "webshop": left})
	latest := sum(`SELECT available_to_sell FROM outbox WHERE channel_id = 'ebay' AND sku = 'TEA'
		ORDER BY id DESC LIMIT 1`)
	if latest != left {
		t.Errorf("last outbox row for ebay TEA says %d, want %d", latest, left)
	}
}
