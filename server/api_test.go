package server_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// logBuffer collects the server's log lines; handlers log from many
// goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testServer is a real server on a loopback port with its own database and
// spool folder, and MUG (10 in A-01-01) and CUP (10 in A-01-02) in stock.
type testServer struct {
	t      *testing.T
	srv    *server.Server
	st     *store.Store
	url    string
	dbPath string
	spool  string
	logs   *logBuffer
	client *http.Client
}

func startServer(t *testing.T, options ...func(*server.Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	ts := &testServer{t: t, dbPath: filepath.Join(dir, "shipshape.db"), spool: filepath.Join(dir, "spool"),
		logs: &logBuffer{}, client: &http.Client{Timeout: 30 * time.Second}}
	log := slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cfg := server.Config{Addr: "127.0.0.1:0", DBPath: ts.dbPath, SpoolDir: ts.spool, PollInterval: time.Hour}
	for _, o := range options {
		o(&cfg)
	}
	srv, err := server.New(t.Context(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	ts.srv, ts.st, ts.url = srv, srv.Store(), srv.URL()

	ctx := t.Context()
	_, err = ts.st.ImportCatalog(ctx, "test", []oms.Product{
		{SKU: "MUG", Title: "Mug", Stocked: true}, {SKU: "CUP", Title: "Cup", Stocked: true}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.st.ImportStock(ctx, "test", []oms.StockRow{
		{SKU: "MUG", Bin: "A-01-01", Qty: 10}, {SKU: "CUP", Bin: "A-01-02", Qty: 10}})
	if err != nil {
		t.Fatal(err)
	}
	code, body := ts.call("PUT", "/api/v1/warehouse", `{"name":"Test Warehouse","line1":"1 Dock Road",
		"city":"Leeds","postal_code":"LS1 1AA","country":"gb"}`)
	if code != 200 || !strings.Contains(string(body), `"country":"GB"`) {
		t.Fatalf("set warehouse: %d %s", code, body)
	}
	return ts
}

// call makes a request and returns the status and the body.
func (ts *testServer) call(method, path, body string) (int, []byte) {
	ts.t.Helper()
	req, err := http.NewRequestWithContext(ts.t.Context(), method, ts.url+path, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, data
}

// errorText returns the "error" of a JSON error body, failing the test if
// the body is anything else.
func errorText(t *testing.T, body []byte) string {
	t.Helper()
	var e map[string]string
	if err := json.Unmarshal(body, &e); err != nil || len(e) != 1 || e["error"] == "" {
		t.Fatalf("body %s is not {\"error\": ...}", body)
	}
	return e["error"]
}

func (ts *testServer) orderCount() int {
	ts.t.Helper()
	list, err := ts.st.ListOrders(ts.t.Context(), "", 1000)
	if err != nil {
		ts.t.Fatal(err)
	}
	return len(list)
}

const validOrder = `{"channel": "web", "channel_order_id": "W-1", "placed_at": "2025-03-01T10:00:00Z",
	"ship_to": {"name": "Ada Lovelace", "line1": "1 Main Street", "city": "Leeds", "country": "GB"},
	"lines": [{"sku": "MUG", "qty": 2}, {"sku": "CUP", "qty": 1}]}`

// orderWith returns validOrder with old replaced by new; old must occur.
func orderWith(old, new string) string {
	if !strings.Contains(validOrder, old) {
		panic("validOrder has no " + old)
	}
	return strings.Replace(validOrder, old, new, 1)
}

func TestHealthz(t *testing.T) {
	ts := startServer(t)
	code, body := ts.call("GET", "/healthz", "")
	if code != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", code, body)
	}
}

func TestCreateOrderRefusesBadBodies(t *testing.T) {
	ts := startServer(t)
	tests := []struct {
		name, body, want string
	}{
		{"empty body", "", "request body"},
		{"invalid JSON", `{"channel": "web",`, "request body"},
		{"not an object", `["web", "W-1"]`, "request body"},
		{"unknown field", orderWith(`"channel_order_id"`, `"channel_order"`), `unknown field "channel_order"`},
		{"unknown nested field", orderWith(`"city"`, `"town"`), `unknown field "town"`},
		{"qty as a string", orderWith(`"qty": 2`, `"qty": "2"`), "qty"},
		{"placed_at not a time", orderWith(`"2025-03-01T10:00:00Z"`, `"yesterday"`), "placed_at"},
		{"missing channel", orderWith(`"channel": "web",`, ""), "channel: required"},
		{"missing channel_order_id", orderWith(`"channel_order_id": "W-1",`, ""), "channel_order_id: required"},
		{"missing ship_to name", orderWith(`"name": "Ada Lovelace",`, ""), "ship_to.name: required"},
		{"bad country", orderWith(`"GB"`, `"Britain"`), `ship_to.country: "BRITAIN" is not a 2-letter`},
		{"no lines", orderWith(`[{"sku": "MUG", "qty": 2}, {"sku": "CUP", "qty": 1}]`, "[]"),
			"lines: an order needs at least one line"},
		{"line without sku", orderWith(`"sku": "CUP", `, ""), "lines[1].sku: required"},
		{"zero qty", orderWith(`"qty": 1`, `"qty": 0`), "lines[1].qty: 0 is not a positive quantity"},
		{"a second JSON value after the order", validOrder + ` {"channel": "other"}`, "request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.orderCount()
			code, body := ts.call("POST", "/api/v1/orders", tt.body)
			if code != http.StatusBadRequest {
				t.Fatalf("status %d (%s), want 400", code, body)
			}
			if msg := errorText(t, body); !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
			if n := ts.orderCount(); n != before {
				t.Errorf("%d orders stored after a refused request, want %d", n, before)
			}
		})
	}
}

type orderJSON struct {
	ID             int64  `json:"id"`
	Number         string `json:"number"`
	ChannelOrderID string `json:"channel_order_id"`
	Status         string `json:"status"`
	Lines          []struct {
		SKU string `json:"sku"`
		Qty int64  `json:"qty"`
	} `json:"lines"`
}

func TestCreateOrderTwice(t *testing.T) {
	ts := startServer(t)
	want := []int{http.StatusCreated, http.StatusOK}
	var first orderJSON
	for i, status := range want {
		code, body := ts.call("POST", "/api/v1/orders", validOrder)
		if code != status {
			t.Fatalf("call %d: status %d (%s), want %d", i, code, body, status)
		}
		var o orderJSON
		if err := json.Unmarshal(body, &o); err != nil {
			t.Fatal(err)
		}
		if o.Number != "SO-000001" || o.ChannelOrderID != "W-1" || o.Status != store.StatusAllocated ||
			len(o.Lines) != 2 || o.Lines[0].SKU != "MUG" || o.Lines[0].Qty != 2 {
			t.Errorf("call %d: order %s", i, body)
		}
		if i == 0 {
			first = o
		} else if o.ID != first.ID {
			t.Errorf("second call returned order %d, first %d", o.ID, first.ID)
		}
	}
	code, body := ts.call("GET", "/api/v1/orders", "")
	var list []orderJSON
	if err := json.Unmarshal(body, &list); code != http.StatusOK || err != nil || len(list) != 1 {
		t.Errorf("GET /api/v1/orders = %d %s, want one order", code, body)
	}
	p, err := ts.st.ProductBySKU(t.Context(), "MUG")
	if err != nil || p.Stock[0].Allocated != 2 {
		t.Errorf("MUG stock %+v, %v; want 2 allocated once", p, err)
	}
}

func TestGetOrder(t *testing.T) {
	ts := startServer(t)
	if code, body := ts.call("POST", "/api/v1/orders", validOrder); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	tests := []struct {
		name, path string
		status     int
		want       string
	}{
		{"by number", "/api/v1/orders/SO-000001", http.StatusOK, `"number":"SO-000001"`},
		{"by channel order id", "/api/v1/orders/W-1", http.StatusOK, `"number":"SO-000001"`},
		{"unknown", "/api/v1/orders/SO-999999", http.StatusNotFound, `{"error":"no order SO-999999"}`},
		{"unknown product", "/api/v1/products/NOPE", http.StatusNotFound, `{"error":"no product with sku \"NOPE\""}`},
		{"bad limit", "/api/v1/orders?limit=0", http.StatusBadRequest, `limit: \"0\" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := ts.call("GET", tt.path, "")
			if code != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("GET %s = %d %s, want %d containing %s", tt.path, code, body, tt.status, tt.want)
			}
		})
	}
}

// pick picks the next task in full as ann and completes it.
func (ts *testServer) pick() {
	ts.t.Helper()
	ctx := ts.t.Context()
	task, err := ts.st.NextPickTask(ctx, "ann")
	if err != nil {
		ts.t.Fatal(err)
	}
	for _, l := range task.Lines {
		codes := []string{l.Bin}
		for range l.Qty {
			codes = append(codes, l.SKU)
		}
		for _, code := range codes {
			if res, err := ts.st.PickScan(ctx, "ann", "", code); err != nil || !res.Verdict.OK {
				ts.t.Fatalf("pick scan %s: %+v, %v", code, res, err)
			}
		}
	}
	if _, err := ts.st.CompletePickTask(ctx, "ann"); err != nil {
		ts.t.Fatal(err)
	}
}

func (ts *testServer) pack(station string, codes ...string) {
	ts.t.Helper()
	for _, code := range codes {
		res, err := ts.st.PackScan(ts.t.Context(), station, "bo", "", code)
		if err != nil || !res.Verdict.OK {
			ts.t.Fatalf("pack scan %s: %+v, %v", code, res, err)
		}
	}
}

func TestReleaseLabel(t *testing.T) {
	ts := startServer(t)
	for _, o := range []string{validOrder, orderWith(`"W-1"`, `"W-2"`)} {
		if code, body := ts.call("POST", "/api/v1/orders", o); code != http.StatusCreated {
			t.Fatalf("create: %d %s", code, body)
		}
	}
	ts.pick()
	ts.pack("S1", "SO-000001", "MUG")

	refusals := []struct {
		name, path string
		status     int
		want       string
	}{
		{"allocated, not picked", "/api/v1/orders/SO-000002/label", http.StatusConflict,
			"cannot release the label of order SO-000002: it is waiting to be picked"},
		{"picked, partly verified", "/api/v1/orders/SO-000001/label?station=S1", http.StatusConflict,
			"cannot release the label of order SO-000001: MUG verified 1 of 2, CUP verified 0 of 1"},
		{"unknown order", "/api/v1/orders/SO-000404/label", http.StatusNotFound, "no order SO-000404"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			code, body := ts.call("POST", tt.path, "")
			if code != tt.status || errorText(t, body) != tt.want {
				t.Errorf("POST %s = %d %s, want %d %q", tt.path, code, body, tt.status, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(ts.spool); len(entries) != 0 {
		t.Errorf("refused releases printed %d labels", len(entries))
	}

	ts.pack("S1", "MUG", "CUP")
	code, body := ts.call("POST", "/api/v1/orders/SO-000001/label?station=S1", "")
	var label struct {
		OrderNumber string `json:"order_number"`
		Tracking    string `json:"tracking"`
		JobID       string `json:"job_id"`
		Status      string `json:"status"`
	}
	if err := json.Unmarshal(body, &label); code != http.StatusCreated || err != nil {
		t.Fatalf("release: %d %s", code, body)
	}
	if label.OrderNumber != "SO-000001" || label.Status != "printed" ||
		!regexp.MustCompile(`^LC\d{9}GB$`).MatchString(label.Tracking) {
		t.Errorf("label %+v", label)
	}
	zpl, err := os.ReadFile(filepath.Join(ts.spool, label.JobID+".zpl"))
	if err != nil || !bytes.HasPrefix(zpl, []byte("^XA")) || !bytes.Contains(zpl, []byte(label.Tracking)) {
		t.Errorf("spooled label %q, %v; want ZPL with %s", zpl, err, label.Tracking)
	}

	code, body = ts.call("GET", "/api/v1/orders/SO-000001", "")
	var got struct {
		Order     orderJSON `json:"order"`
		Shipments []struct {
			Tracking string `json:"tracking"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal(body, &got); code != http.StatusOK || err != nil || got.Order.Status != "shipped" ||
		len(got.Shipments) != 1 || got.Shipments[0].Tracking != label.Tracking {
		t.Errorf("order after release: %d %s", code, body)
	}
	code, body = ts.call("POST", "/api/v1/orders/SO-000001/label?station=S1", "")
	if code != http.StatusConflict || !strings.Contains(errorText(t, body), "already has a label") {
		t.Errorf("second release: %d %s, want 409", code, body)
	}
}

// TestInternalErrorsAreHidden makes the database fail under the server: the
// caller gets a bare 500 and the details go to the log.
func TestInternalErrorsAreHidden(t *testing.T) {
	tests := []struct {
		name         string
		sabotage     string
		method, path string
		body         string
		secret       string
	}{
		{"write refused by a trigger",
			`CREATE TRIGGER sabotage BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'secret-7f3 disk on fire'); END`,
			"POST", "/api/v1/orders", validOrder, "secret-7f3"},
		{"table gone", `ALTER TABLE scans RENAME TO scans_secret_9c1`,
			"GET", "/api/v1/dashboard", "", "no such table: scans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t)
			db, err := sql.Open("sqlite3", "file:"+ts.dbPath+"?_busy_timeout=10000")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(tt.sabotage); err != nil {
				t.Fatal(err)
			}

			code, body := ts.call(tt.method, tt.path, tt.body)
			if code != http.StatusInternalServerError || string(body) != "{\"error\":\"internal error\"}\n" {
				t.Errorf("%s %s = %d %s, want 500 {\"error\":\"internal error\"}", tt.method, tt.path, code, body)
			}
			logs := ts.logs.String()
			if !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, tt.secret) {
				t.Errorf("the log does not hold the error %q:\n%s", tt.secret, logs)
			}
		})
	}
}

func TestSetStationPrinter(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		want       string // the answer's settings, or a part of the error
	}{
		{"host and port", `{"addr": "127.0.0.1:9100"}`, http.StatusOK, "127.0.0.1:9100 203 104 hs"},
		{"name and port", `{"addr": "printer-3.local:9100"}`, http.StatusOK, "printer-3.local:9100 203 104 hs"},
		{"tcp scheme", `{"addr": "tcp:10.0.0.5"}`, http.StatusOK, "tcp:10.0.0.5 203 104 hs"},
		{"usb", `{"addr": "usb:0a5f:0181"}`, http.StatusOK, "usb:0a5f:0181 203 104 hs"},
		{"serial", `{"addr": "serial:/dev/ttyUSB0:9600"}`, http.StatusOK, "serial:/dev/ttyUSB0:9600 203 104 hs"},
		{"default or spool", `{"addr": ""}`, http.StatusOK, " 203 104 hs"},
		{"dpi alone", `{"dpi": 300}`, http.StatusOK, "127.0.0.1:9999 300 104 hs"},
		{"all", `{"addr": "spool:s1-labels", "dpi": 600, "width_mm": 56, "status": "none"}`, http.StatusOK,
			"spool:s1-labels 600 56 none"},
		{"spool folder elsewhere", `{"addr": "spool:/etc"}`, http.StatusBadRequest,
			`addr: "spool:/etc": a spool folder must be a plain name inside the server's spool folder`},
		{"spool folder above", `{"addr": "spool:.."}`, http.StatusBadRequest, `addr: "spool:.."`},
		{"nothing", `{}`, http.StatusBadRequest, "no change: give addr, dpi, width_mm or status"},
		{"no port", `{"addr": "127.0.0.1"}`, http.StatusBadRequest, `bad printer address "127.0.0.1": want tcp:HOST:PORT`},
		{"no host", `{"addr": ":9100"}`, http.StatusBadRequest, `":9100": host is empty`},
		{"port 0", `{"addr": "127.0.0.1:0"}`, http.StatusBadRequest, `port "0": want a number from 1 to 65535`},
		{"port too big", `{"addr": "127.0.0.1:65536"}`, http.StatusBadRequest, `"127.0.0.1:65536"`},
		{"port not a number", `{"addr": "127.0.0.1:lpt"}`, http.StatusBadRequest, `"127.0.0.1:lpt"`},
		{"a URL", `{"addr": "http://127.0.0.1:9100"}`, http.StatusBadRequest, `"http://127.0.0.1:9100"`},
		{"bad usb id", `{"addr": "usb:zebra:1"}`, http.StatusBadRequest, `vendor id "zebra": want 1 to 4 hex digits`},
		{"bad dpi", `{"dpi": 200}`, http.StatusBadRequest, "dpi: 200: want 203, 300 or 600"},
		{"bad width", `{"width_mm": 300}`, http.StatusBadRequest, "width_mm: 300: want 10 to 220"},
		{"bad status", `{"status": "snmp"}`, http.StatusBadRequest, `status: "snmp": want "hs"`},
		{"dpi as text", `{"dpi": "300"}`, http.StatusBadRequest, "dpi"},
		{"unknown field", `{"address": "127.0.0.1:9100"}`, http.StatusBadRequest, `unknown field "address"`},
		{"invalid JSON", `{"addr": `, http.StatusBadRequest, "request body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startServer(t)
			const before = "127.0.0.1:9999"
			addr := before
			if _, err := ts.st.UpdateStationPrinter(t.Context(), "test", "S1",
				store.PrinterUpdate{Addr: &addr}); err != nil {
				t.Fatal(err)
			}

			code, body := ts.call("PUT", "/api/v1/stations/S1/printer", tt.body)
			stored, err := ts.st.StationPrinterConfig(t.Context(), "S1")
			if err != nil {
				t.Fatal(err)
			}
			if code != tt.status {
				t.Fatalf("status %d %s, want %d", code, body, tt.status)
			}
			if tt.status == http.StatusOK {
				var got store.PrinterConfig
				json.Unmarshal(body, &got)
				answered := fmt.Sprintf("%s %d %g %s", got.Addr, got.DPI, got.WidthMM, got.Status)
				kept := fmt.Sprintf("%s %d %g %s", stored.Addr, stored.DPI, stored.WidthMM, stored.Status)
				if answered != tt.want || kept != tt.want || got.Station != "S1" {
					t.Errorf("answered %s, stored %q; want %q", body, kept, tt.want)
				}
				return
			}
			if msg := errorText(t, body); !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
			if stored.Addr != before || stored.DPI != 203 {
				t.Errorf("a refused request changed the printer to %+v", stored)
			}
		})
	}
}

// TestWarehouseAddress: an incomplete address is refused naming the field,
// and no label is printed until the warehouse's address is set.
func TestWarehouseAddress(t *testing.T) {
	ts := startServer(t)
	code, body := ts.call("PUT", "/api/v1/warehouse", `{"name":"X","line1":"1 Road","city":"Leeds","country":"GBR"}`)
	if code != 400 || !strings.Contains(string(body), `warehouse.country: \"GBR\" is not a 2-letter ISO country code`) {
		t.Errorf("bad country: %d %s", code, body)
	}
	code, body = ts.call("GET", "/api/v1/warehouse", "")
	if code != 200 || !strings.Contains(string(body), `"name":"Test Warehouse"`) {
		t.Errorf("warehouse after a refused change: %d %s", code, body)
	}

	if _, err := ts.st.SetWarehouse(t.Context(), "test", oms.Address{}); oms.ErrorCode(err) != oms.EInvalid {
		t.Fatalf("empty address: %v", err)
	}
	fresh, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Warehouse(t.Context()); oms.ErrorCode(err) != oms.ENotFound ||
		!strings.Contains(err.Error(), "shipshape warehouse set") {
		t.Errorf("unset warehouse: %v", err)
	}
}
