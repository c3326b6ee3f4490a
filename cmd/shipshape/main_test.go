package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/labels"
)

const sharedData = "../../../shared/data"

// app is a running `shipshape serve` in this process, on a loopback port,
// with its own SQLite file and a loopback TCP listener as its label printer.
type app struct {
	t       *testing.T
	url     string
	db      string
	printer *printertest.Emulator
}

func startApp(t *testing.T) *app {
	t.Helper()
	dir := t.TempDir()
	a := &app{t: t, db: filepath.Join(dir, "shipshape.db"), printer: printertest.NewEmulator(t)}
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", a.db,
			"--spool", filepath.Join(dir, "spool"), "--printer", a.printer.Addr(),
			"--log-level", "warn"}, w, io.Discard)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	url := regexp.MustCompile(`picker:\s+(http://\S+)/pick`)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := url.FindStringSubmatch(sc.Text()); m != nil {
			a.url = m[1]
			break
		}
	}
	if a.url == "" {
		t.Fatal("serve did not print its URL")
	}
	go io.Copy(io.Discard, out)
	a.run("warehouse", "set", "--name", "Shipshape Test Warehouse", "--line1", "1 Dock Road",
		"--city", "Springfield", "--state", "IL", "--postal-code", "62701", "--country", "us")
	return a
}

// run runs a CLI command against the app's database while it serves.
func (a *app) run(args ...string) string {
	a.t.Helper()
	var out, errb bytes.Buffer
	args = append([]string{args[0], args[1], "--db", a.db}, args[2:]...)
	if err := Run(context.Background(), args, &out, &errb); err != nil {
		a.t.Fatalf("shipshape %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// call makes an HTTP request and decodes the JSON answer into v (if not nil).
func (a *app) call(method, path, body string, v any) int {
	a.t.Helper()
	req, err := http.NewRequest(method, a.url+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			a.t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// ws is one page's websocket.
type ws struct {
	t    *testing.T
	conn *websocket.Conn
	n    int
}

func (a *app) dial(path string) *ws {
	a.t.Helper()
	u := "ws" + strings.TrimPrefix(a.url, "http") + path
	conn, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		a.t.Fatalf("dial %s: %v", path, err)
	}
	a.t.Cleanup(func() { conn.Close() })
	return &ws{t: a.t, conn: conn}
}

// msg is any message the server sends; fields unused by a type stay zero.
type msg struct {
	Type     string `json:"type"`
	OK       bool   `json:"ok"`
	Message  string `json:"message"`
	CmdID    string `json:"cmd_id"`
	Tracking string `json:"tracking"`
	Status   string `json:"status"`
	Task     *struct {
		OrderNumber string `json:"order_number"`
		Complete    bool   `json:"complete"`
		Lines       []struct {
			Bin    string `json:"bin"`
			SKU    string `json:"sku"`
			Qty    int    `json:"qty"`
			Picked int    `json:"picked"`
		} `json:"lines"`
	} `json:"task"`
	Session *struct {
		OrderNumber string `json:"order_number"`
		Status      string `json:"status"`
	} `json:"session"`
}

// next reads messages until one of the given type arrives.
func (w *ws) next(typ string) msg {
	w.t.Helper()
	w.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var m msg
		if err := w.conn.ReadJSON(&m); err != nil {
			w.t.Fatalf("waiting for %q: %v", typ, err)
		}
		if m.Type == typ {
			return m
		}
	}
}

func (w *ws) send(typ, code string) string {
	w.t.Helper()
	w.n++
	id := typ + "-" + strings.ReplaceAll(code, " ", "_") + "-" + string(rune('a'+w.n%26)) + time.Now().Format("150405.000000000")
	if err := w.conn.WriteJSON(map[string]string{"type": typ, "id": id, "code": code}); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// scan sends a scan and returns the server's verdict on it.
func (w *ws) scan(code string) msg {
	w.t.Helper()
	id := w.send("scan", code)
	v := w.next("verdict")
	if v.CmdID != id {
		w.t.Fatalf("verdict for %s, want one for %s", v.CmdID, id)
	}
	return v
}

func (a *app) barcode(sku string) string {
	a.t.Helper()
	var p struct {
		Barcodes []string `json:"barcodes"`
	}
	if code := a.call("GET", "/api/v1/products/"+sku, "", &p); code != 200 || len(p.Barcodes) == 0 {
		a.t.Fatalf("product %s: status %d, barcodes %v", sku, code, p.Barcodes)
	}
	return strings.TrimPrefix(p.Barcodes[0], "0") // scanned as an EAN-13
}

// TestEndToEnd imports the real WooCommerce catalogue and Amazon order
// report with the CLI while the server runs, plays a picker and a packer over
// real websockets, and checks the exact label the printer received.
func TestEndToEnd(t *testing.T) {
	a := startApp(t)
	if code := a.call("GET", "/healthz", "", nil); code != 200 {
		t.Fatalf("healthz: %d", code)
	}

	out := a.run("import", "catalog", sharedData+"/catalog/woocommerce/sample_products.csv")
	if !strings.Contains(out, "25 created") {
		t.Errorf("catalog import: %q", out)
	}
	stock := filepath.Join(t.TempDir(), "stock.csv")
	os.WriteFile(stock, []byte("sku,bin,qty\nwoo-hoodie-blue-logo,B-02-01,3\nwoo-beanie,A-01-02,5\n"+
		"woo-cap,A-01-01,4\nwoo-sunglasses,C-01-01,1\n"), 0o644)
	a.run("import", "stock", stock)
	out = a.run("import", "orders", sharedData+"/orders/amazon/flat-file-orders-layout_synthetic.tsv")
	if !strings.Contains(out, "3 created") || !strings.Contains(out, "3 orders allocated") {
		t.Errorf("orders import: %q", out)
	}
	again := a.run("import", "orders", sharedData+"/orders/amazon/flat-file-orders-layout_synthetic.tsv")
	if !strings.Contains(again, "0 created") || !strings.Contains(again, "3 unchanged") {
		t.Errorf("second orders import is not idempotent: %q", again)
	}

	dash := a.dial("/ws/dashboard")
	if c := dash.next("counts"); !strings.Contains(c.Type, "counts") {
		t.Fatalf("dashboard: %+v", c)
	}

	picker := a.dial("/ws/pick?user=Ann")
	task := picker.next("task").Task
	if task.OrderNumber != "SO-000001" || len(task.Lines) != 1 || task.Lines[0].Bin != "B-02-01" ||
		task.Lines[0].SKU != "woo-hoodie-blue-logo" || task.Lines[0].Qty != 1 {
		t.Fatalf("first task: %+v", task)
	}
	picker.send("complete", "")
	if e := picker.next("error"); !strings.Contains(e.Message, "not picked yet") {
		t.Errorf("early complete: %q", e.Message)
	}
	hoodie := a.barcode("woo-hoodie-blue-logo")
	if v := picker.scan(hoodie); v.OK || !strings.Contains(v.Message, "Scan bin B-02-01 first") {
		t.Errorf("item before bin: %+v", v)
	}
	if v := picker.scan("b-02-01"); !v.OK {
		t.Errorf("bin: %+v", v)
	}
	if v := picker.scan(a.barcode("woo-cap")); v.OK || !strings.Contains(v.Message, "Wrong item") {
		t.Errorf("wrong item: %+v", v)
	}
	if v := picker.scan(hoodie); !v.OK || v.Message != "Hoodie - Blue, Yes 1 / 1" {
		t.Errorf("right item: %+v", v)
	}
	if task := picker.next("task").Task; !task.Complete || task.Lines[0].Picked != 1 {
		t.Errorf("task after pick: %+v", task)
	}
	picker.send("complete", "")
	if d := picker.next("task_done"); !strings.Contains(d.Message, "SO-000001") {
		t.Errorf("task_done: %+v", d)
	}
	if next := picker.next("task").Task; next.OrderNumber != "SO-000002" {
		t.Errorf("next task: %+v", next)
	}

	packer := a.dial("/ws/pack?station=S1&user=Bo")
	packer.next("idle")
	if v := packer.scan("111-0000001-0000001"); !v.OK {
		t.Fatalf("open order at station: %+v", v)
	}
	var refused map[string]string
	if code := a.call("POST", "/api/v1/orders/SO-000001/label?station=S1", "", &refused); code != 409 ||
		!strings.Contains(refused["error"], "woo-hoodie-blue-logo verified 0 of 1") {
		t.Errorf("early label release: %d %v", code, refused)
	}
	if v := packer.scan(a.barcode("woo-cap")); v.OK || !strings.Contains(v.Message, "Not in order SO-000001") {
		t.Errorf("wrong item at packing: %+v", v)
	}
	if v := packer.scan("0" + hoodie); !v.OK { // the GTIN-14 form of the same number
		t.Errorf("right item at packing: %+v", v)
	}
	label := packer.next("label")
	if label.Status != "printed" || !regexp.MustCompile(`^LC\d{9}US$`).MatchString(label.Tracking) {
		t.Fatalf("label: %+v", label)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	jobs, err := a.printer.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	zpl := string(jobs[0])
	if strings.Count(zpl, "^XA") != 1 || strings.Count(zpl, "^XZ") != 1 {
		t.Errorf("want one ^XA...^XZ label, got:\n%s", zpl)
	}
	fields := strings.Join(labels.Fields(jobs[0]), "\n")
	for _, want := range []string{label.Tracking, "SO-000001", "Test Recipient One", "100 Example Street",
		"Springfield, IL 62701", "Parcel 1/1"} {
		if !strings.Contains(fields, want) {
			t.Errorf("label lacks %q; fields:\n%s", want, fields)
		}
	}

	var got struct {
		Order struct {
			Status string `json:"status"`
		} `json:"order"`
		Shipments []struct {
			Tracking string `json:"tracking"`
		} `json:"shipments"`
	}
	a.call("GET", "/api/v1/orders/SO-000001", "", &got)
	if got.Order.Status != "shipped" || len(got.Shipments) != 1 || got.Shipments[0].Tracking != label.Tracking {
		t.Errorf("order after label: %+v", got)
	}
	if len(a.printer.Jobs()) != 1 {
		t.Errorf("printer got %d jobs, want 1", len(a.printer.Jobs()))
	}
}

// TestAPIOrderLabelEscaping sends an order through the JSON API whose
// company is ZPL that would end the label and print 50 copies if it were not
// escaped, picks it into a tote, packs it from the tote, and checks the
// printer got exactly one label with the text printed as text.
func TestAPIOrderLabelEscaping(t *testing.T) {
	a := startApp(t)
	catalog := filepath.Join(t.TempDir(), "catalog.csv")
	os.WriteFile(catalog, []byte("sku,title,price,barcodes,bin\n"+
		"MUG-1,Mug,7.50,036000291452,A-01-01\nTEE-1,Tee,12,,B-01-01\n"), 0o644)
	a.run("import", "catalog", catalog)
	stock := filepath.Join(t.TempDir(), "stock.csv")
	os.WriteFile(stock, []byte("sku,bin,qty\nMUG-1,A-01-01,2\nTEE-1,B-01-01,1\n"), 0o644)
	a.run("import", "stock", stock)

	order := `{"channel":"webshop","channel_order_id":"1001","ship_service_level":"Standard",
		"ship_to":{"name":"Zoë Дина","company":"Blue ^XZ^XA^PQ50^XZ Ltd","line1":"7 Harbour Way",
		"city":"Łódź","postal_code":"90-001","country":"pl"},
		"lines":[{"sku":"TEE-1","qty":1},{"sku":"MUG-1","qty":2,"price_cents":1500}]}`
	var created struct {
		Number string `json:"number"`
		Status string `json:"status"`
	}
	if code := a.call("POST", "/api/v1/orders", order, &created); code != 201 ||
		created.Number != "SO-000001" || created.Status != "allocated" {
		t.Fatalf("create order: %d %+v", code, created)
	}
	if code := a.call("POST", "/api/v1/orders", order, &created); code != 200 || created.Number != "SO-000001" {
		t.Fatalf("same order again: %d %+v", code, created)
	}

	picker := a.dial("/ws/pick?user=Cy")
	task := picker.next("task").Task
	if len(task.Lines) != 2 || task.Lines[0].Bin != "A-01-01" || task.Lines[1].Bin != "B-01-01" {
		t.Fatalf("lines not in bin order: %+v", task.Lines)
	}
	for _, code := range []string{"tote-7", "A-01-01", "036000291452", "0036000291452", "B-01-01", "TEE-1"} {
		if v := picker.scan(code); !v.OK {
			t.Fatalf("pick scan %s: %+v", code, v)
		}
	}
	picker.send("complete", "")
	picker.next("task_done")

	packer := a.dial("/ws/pack?station=S2&user=Di")
	packer.next("idle")
	for _, code := range []string{"TOTE-7", "TEE-1", "00036000291452", "036000291452"} {
		if v := packer.scan(code); !v.OK {
			t.Fatalf("pack scan %s: %+v", code, v)
		}
	}
	label := packer.next("label")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	jobs, err := a.printer.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	zpl := string(jobs[0])
	if strings.Count(zpl, "^XA") != 1 || strings.Count(zpl, "^XZ") != 1 || strings.Contains(zpl, "^PQ") {
		t.Fatalf("company name was not escaped:\n%s", zpl)
	}
	fields := strings.Join(labels.Fields(jobs[0]), "\n")
	for _, want := range []string{"Blue ^XZ^XA^PQ50^XZ Ltd", "Zoë Дина", "Łódź", label.Tracking} {
		if !strings.Contains(fields, want) {
			t.Errorf("label lacks %q; fields:\n%s", want, fields)
		}
	}
}
