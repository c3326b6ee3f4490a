package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/shipshape-oms/shipshape/devices/printer"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/store"
)

// chromiumPath finds Debian's Chromium, which `make test` installs.
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SHIPSHAPE_SKIP_BROWSER") == "1" {
		t.Skip("no Chromium and SHIPSHAPE_SKIP_BROWSER=1")
	}
	t.Fatal("Chromium not found: run `make test`, which installs Debian's chromium package")
	return ""
}

// browser starts headless Chromium with a fresh profile and returns a tab
// whose viewport is a phone's, 412 by 915 pixels. (The window size alone is
// not enough: headless Chromium given a 412-pixel window lays pages out 500
// pixels wide.)
func browser(t *testing.T) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)), chromedp.NoSandbox, chromedp.Headless,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(412, 915),
		// The build machines have no internet: keep Chromium from trying.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	start(t, ctx)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(412, 915, chromedp.EmulatePortrait)); err != nil {
		t.Fatalf("phone viewport: %v", err)
	}
	return ctx
}

// start opens the context's tab (and the browser, for the first one). It has
// no timeout of its own: chromedp ties the tab's life to the context of its
// first run.
func start(t *testing.T, ctx context.Context) {
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
}

// demoServer starts the server with the demo warehouse on a loopback port;
// each option may change the config first.
func demoServer(t *testing.T, options ...func(*server.Config)) *server.Server {
	dir := t.TempDir()
	cfg := server.Config{Addr: "127.0.0.1:0",
		DBPath: filepath.Join(dir, "demo.db"), SpoolDir: filepath.Join(dir, "spool"), Demo: true,
		PollInterval: 100 * time.Millisecond}
	for _, o := range options {
		o(&cfg)
	}
	srv, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// tab wraps a chromedp tab with the few steps the tests need.
type tab struct {
	t   *testing.T
	ctx context.Context
}

func (b tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func (b tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// scan types a code the way a keyboard-wedge scanner does (fast keys, then
// Enter) and returns the verdict the page shows once the server answered.
func (b tab) scan(code string) (ok bool, msg string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS("#scan"), code+"\r"),
		chromedp.WaitVisible(chromedp.CSS("#verdict[data-ok]")))
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#verdict"), "data-ok"))
	if err != nil {
		b.t.Fatal(err)
	}
	return attr.Value == "true", b.text("#verdict")
}

// TestBrowserPick opens /pick in real headless Chromium against the real
// server with the demo warehouse, types scans like a wedge scanner and reads
// the server's verdicts on the page; the dashboard in a second tab follows
// live. It also checks that Chromium finds the app installable.
func TestBrowserPick(t *testing.T) {
	srv := demoServer(t)
	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/pick"),
		chromedp.SendKeys(chromedp.CSS("#picker-name"), "Ann\r"),
		chromedp.WaitVisible(chromedp.CSS("#bin")))
	b.do(chromedp.Poll[chromedp.Void](`document.querySelector('#bin').textContent.trim() === 'A-01-01'`))
	if got := b.text("#product"); got != "White Plimsolls - 39" {
		t.Errorf("#product = %q", got)
	}

	dashCtx, cancelDash := chromedp.NewContext(b.ctx)
	defer cancelDash()
	start(t, dashCtx)
	dash := tab{t: t, ctx: dashCtx}
	dash.do(chromedp.Navigate(srv.URL()+"/dashboard"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#count-picking').textContent.trim() === '1'`))

	steps := []struct {
		code, want string
		ok         bool
	}{
		{"9520001000027", "Scan bin A-01-01 first", false},
		{"A-01-01", "Bin A-01-01 confirmed", true},
		{"9520001000027", "Wrong item", false},
		{"9520001000010", "White Plimsolls - 39 1 / 1", true},
	}
	for _, s := range steps {
		ok, msg := b.scan(s.code)
		if ok != s.ok || !strings.Contains(msg, s.want) {
			t.Errorf("scan %s: page shows ok=%v %q, want ok=%v %q", s.code, ok, msg, s.ok, s.want)
		}
	}
	if got := b.text("#prompt"); got != "All lines done – press Complete" {
		t.Errorf("#prompt = %q", got)
	}
	if got := b.text("#lines"); !strings.Contains(got, "1 / 1") {
		t.Errorf("#lines = %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS("#complete")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#order').textContent.includes('SO-000002')`))
	if got := b.text("#verdict"); !strings.Contains(got, "take order SO-000001 to packing") {
		t.Errorf("after Complete, #verdict = %q", got)
	}

	scans, err := srv.Store().RecentScans(context.Background(), 10)
	// Newest first: the completion, the right item, the wrong item, the bin,
	// the item scanned before its bin.
	if err != nil || len(scans) != 5 || !strings.HasPrefix(scans[0].Code, "task ") || scans[2].OK ||
		scans[2].User != "Ann" || scans[1].Code != "9520001000010" {
		t.Errorf("scans recorded by the server: %+v, %v", scans, err)
	}
	dash.do(chromedp.Poll[chromedp.Void](
		`document.querySelector('#scans').textContent.includes('9520001000010')`))

	// A short pick by another picker puts an order in exception: the
	// dashboard lists it with the reason, live.
	ctx := context.Background()
	st := srv.Store()
	short, err := st.NextPickTask(ctx, "Bo")
	for err == nil && !short.Complete {
		var res *store.PickResult
		if res, err = st.PickShort(ctx, "Bo", "", 0); err == nil {
			short = res.Task
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CompletePickTask(ctx, "Bo"); err != nil {
		t.Fatal(err)
	}
	dash.do(chromedp.Poll[chromedp.Void](`(() => {
		const box = document.querySelector('#exceptions-box');
		const text = document.querySelector('#exceptions').textContent;
		return !box.hidden && text.includes('` + short.OrderNumber + `') && text.includes('short pick');
	})()`))
	if got := dash.text("#count-exception"); got != "1" {
		t.Errorf("#count-exception = %q", got)
	}

	b.do(chromedp.Navigate(srv.URL() + "/pick"))
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`navigator.serviceWorker.ready.then(r => r.active.scriptURL)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("service worker: %v", err)
	}
	errs, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil || len(errs.InstallabilityErrors) != 0 {
		t.Errorf("installability errors: %+v, %v", errs, err)
	}
}

// eval runs a JavaScript expression in the tab and returns its value.
func eval[T any](b tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// labelLine is what #label says once the printer took the label.
var labelLine = regexp.MustCompile(`^Label printed: tracking (LC\d{9}[A-Z]{2}) on (.+)$`)

// TestBrowserPack packs the demo's first order in real headless Chromium at a
// station whose printer is a loopback emulator: the page shows the label the
// server printed and keeps it up once the station is idle again, Reprint sends
// the same job once more, and a printer that falls silent after taking the
// label shows as a loud "not confirmed" with Reprint, and the queue lists it.
// It also checks the header fits a phone's width and a disabled button looks
// disabled.
func TestBrowserPack(t *testing.T) {
	emu := printertest.NewEmulator(t)
	srv := demoServer(t, func(c *server.Config) {
		c.Printer = emu.Addr()
		c.PrinterTimeouts = printer.Timeouts{StatusTimeout: 300 * time.Millisecond,
			ConfirmTimeout: 300 * time.Millisecond}
	})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st := srv.Store()
	task, err := st.NextPickTask(ctx, "Ann")
	if err != nil || task.OrderNumber != "SO-000001" {
		t.Fatalf("NextPickTask: %+v, %v; want the task of SO-000001", task, err)
	}
	for i, code := range []string{"A-01-01", "9520001000010"} {
		res, err := st.PickScan(ctx, "Ann", []string{"c1", "c2"}[i], code)
		if err != nil || !res.Verdict.OK {
			t.Fatalf("PickScan %s: %+v, %v", code, res, err)
		}
	}
	if done, err := st.CompletePickTask(ctx, "Ann"); err != nil || done.OrderNumber != "SO-000001" {
		t.Fatalf("CompletePickTask: %+v, %v", done, err)
	}

	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/pack?station=S1&user=Pat"),
		chromedp.WaitVisible(chromedp.CSS("#scan")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#conn').dataset.state === 'open'`))

	if got := b.text("#user"); got != "Pat at S1" {
		t.Errorf("#user = %q, want %q", got, "Pat at S1")
	}
	// At 412 px the bar is one row and the name is neither wrapped nor cut.
	if width := eval[int](b, `innerWidth`); width != 412 {
		t.Errorf("viewport is %d px wide, want 412", width)
	}
	if rows := eval[int](b, `new Set([...document.querySelectorAll('.bar > *')]
		.map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))).size`); rows != 1 {
		t.Errorf("the header's items sit at %d heights, want 1 row", rows)
	}
	if lines := eval[int](b, `(u => { const r = document.createRange(); r.selectNodeContents(u);
		return u.scrollWidth > u.clientWidth ? -1 : r.getClientRects().length; })(document.querySelector('#user'))`); lines != 1 {
		t.Errorf("#user takes %d lines at 412 px (-1: cut off), want 1", lines)
	}
	if bg := eval[string](b, `getComputedStyle(document.querySelector('#release')).backgroundColor`); bg == "rgb(255, 183, 3)" {
		t.Errorf("the disabled Print label button keeps the accent background %s", bg)
	}

	if ok, msg := b.scan("SO-000001"); !ok {
		t.Fatalf("scan SO-000001: page shows %q", msg)
	}
	b.do(chromedp.Poll[chromedp.Void](`document.querySelector('#order').textContent.trim() === 'SO-000001'`))
	if got := b.text("#pack-lines"); !strings.Contains(got, "0 / 1") {
		t.Errorf("#pack-lines = %q, want the line at 0 / 1", got)
	}
	if ok, msg := b.scan("9520001000010"); !ok {
		t.Fatalf("scan 9520001000010: page shows %q", msg)
	}

	b.do(chromedp.WaitVisible(chromedp.CSS("#label.printed")))
	text := b.text("#label")
	m := labelLine.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("#label = %q, want %s", text, labelLine)
	}
	tracking := m[1]
	if want := "tcp " + emu.Addr(); m[2] != want {
		t.Errorf("#label names printer %q, want %q", m[2], want)
	}
	jobs, err := emu.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || !bytes.Contains(jobs[0], []byte(tracking)) {
		t.Fatalf("printer got %d jobs, want 1 holding %s: %q", len(jobs), tracking, jobs)
	}

	// The station is idle again, asking for the next order, and the label
	// with its Reprint button stays until another order is opened.
	b.do(chromedp.Poll[chromedp.Void](`document.querySelector('#prompt').textContent.startsWith('Scan the next order')`))
	if got := b.text("#order"); got != "" {
		t.Errorf("idle station still shows order %q", got)
	}
	if got := b.text("#label"); got != text {
		t.Errorf("once idle, #label = %q, want %q", got, text)
	}
	if got := b.text("#carrier"); !strings.HasSuffix(got, " · SO-000001") {
		t.Errorf("once idle, #carrier = %q, want it to name SO-000001", got)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS("#reprint")))

	b.do(chromedp.Click(chromedp.CSS("#reprint")))
	jobs, err = emu.WaitJobs(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 || !bytes.Equal(jobs[1], jobs[0]) {
		t.Errorf("after Reprint the printer has %d jobs, want 2 alike: %q", len(jobs), jobs)
	}
	b.do(chromedp.Poll[chromedp.Void](`!document.querySelector('#reprint').disabled`))
	if got := b.text("#label"); got != text {
		t.Errorf("after Reprint, #label = %q, want %q", got, text)
	}

	// The printer takes the next label and falls silent: the reprint is not
	// confirmed, loudly, is listed in the queue with its own Reprint, and
	// can be tried again.
	emu.SetStateOnJob(printertest.Silent)
	b.do(chromedp.Click(chromedp.CSS("#reprint")),
		chromedp.WaitVisible(chromedp.CSS("#label.failed")),
		chromedp.Poll[chromedp.Void](`!document.querySelector('#reprint').disabled`),
		chromedp.WaitVisible(chromedp.CSS(`#jobs tr.unconfirmed button.reprint-job`)))
	failed := b.text("#label")
	if !strings.HasPrefix(failed, "Label NOT confirmed: ") || !strings.Contains(failed, emu.Addr()) ||
		!strings.HasSuffix(failed, ". Look at the printer: if no label came out, press Reprint.") {
		t.Errorf("#label = %q, want the printer's error and what to do", failed)
	}
	if bg := eval[string](b, `getComputedStyle(document.querySelector('#label')).backgroundColor`); bg != "rgb(200, 16, 46)" {
		t.Errorf("failed #label background %s, want the red rgb(200, 16, 46)", bg)
	}
}

// TestBrowserAudit opens /audit in real headless Chromium against the demo
// server: a SKU shows its ledger (the seed's import by "demo") and its
// availability per channel, and the audit trail lists and filters entries.
// Then an order placed over the API drives the SKU low, and the dashboard
// shows the stock alert, amber, live.
func TestBrowserAudit(t *testing.T) {
	const sku = "918223582"
	srv := demoServer(t)
	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/audit"),
		chromedp.WaitVisible(chromedp.CSS("#sku")),
		chromedp.SendKeys(chromedp.CSS("#sku"), sku+"\r"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#movements tr[data-reason="import"]').length > 0`))

	imports := eval[[]string](b, `[...document.querySelectorAll('#movements tr[data-reason="import"]')]
		.map(tr => [...tr.cells].map(td => td.textContent.trim()).join('|'))`)
	if len(imports) != 1 || !strings.Contains(imports[0], "|demo|import|A-01-01|+200|") {
		t.Errorf("#movements import rows = %q, want one by demo into A-01-01 of +200", imports)
	}
	avail, err := srv.Store().Availability(context.Background(), sku)
	if err != nil {
		t.Fatal(err)
	}
	rows := eval[[]string](b, `[...document.querySelectorAll('#availability tr')]
		.map(tr => [...tr.cells].map(td => td.textContent.trim()).join('|'))`)
	var want []string
	for _, ch := range slices.Sorted(maps.Keys(avail.AvailableToSell)) {
		want = append(want, fmt.Sprintf("%s|%d", ch, avail.AvailableToSell[ch]))
	}
	if len(want) == 0 || !slices.Equal(rows, want) {
		t.Errorf("#availability rows = %q, want %q", rows, want)
	}
	if got, want := b.text("#stock-summary"), fmt.Sprintf("%d on hand, %d allocated, %d available",
		avail.OnHand, avail.Allocated, avail.Available); !strings.HasSuffix(got, want) {
		t.Errorf("#stock-summary = %q, want it to end %q", got, want)
	}
	if n := eval[int](b, `document.querySelectorAll('#audit tr').length`); n == 0 {
		t.Error("#audit lists no entries")
	}
	if got := eval[string](b, `location.search`); got != "?sku="+sku {
		t.Errorf("address search %q, want ?sku=%s", got, sku)
	}

	b.do(chromedp.SendKeys(chromedp.CSS("#entity"), "order"),
		chromedp.SendKeys(chromedp.CSS("#entity-id"), "SO-000001\r"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#audit-status').textContent.includes('order SO-000001')`))
	entities := eval[[]string](b, `[...document.querySelectorAll('#audit tr')].map(tr => tr.cells[3].textContent.trim())`)
	if len(entities) == 0 {
		t.Error("#audit lists nothing for order SO-000001")
	}
	for _, e := range entities {
		if e != "order SO-000001" {
			t.Errorf("filtered #audit lists an entry of %q", e)
		}
	}

	// The dashboard, open in a second tab, hears of the SKU running low.
	dashCtx, cancelDash := chromedp.NewContext(b.ctx)
	defer cancelDash()
	start(t, dashCtx)
	dash := tab{t: t, ctx: dashCtx}
	dash.do(chromedp.Navigate(srv.URL()+"/dashboard"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#conn').dataset.state === 'open'`))

	qty := avail.Available - 3
	if qty < 1 {
		t.Fatalf("demo SKU %s has %d available, want more than 3", sku, avail.Available)
	}
	order := fmt.Sprintf(`{"channel": "webshop", "channel_order_id": "audit-1", "ship_service_level": "Standard",
		"ship_to": {"name": "Ann Example", "line1": "12 Market Street", "city": "Springfield",
			"state": "IL", "postal_code": "62704", "country": "US"},
		"lines": [{"sku": %q, "qty": %d, "price_cents": 8000}]}`, sku, qty)
	res, err := http.Post(srv.URL()+"/api/v1/orders", "application/json", strings.NewReader(order))
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ Status string }
	err = json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusCreated || created.Status != "allocated" {
		t.Fatalf("POST /api/v1/orders: %d %+v, %v; want 201 and an allocated order", res.StatusCode, created, err)
	}

	dash.do(chromedp.Poll[chromedp.Void](`document.querySelector('#stock-alerts li[data-sku="` + sku + `"]') !== null`))
	alert := `document.querySelector('#stock-alerts li[data-sku="` + sku + `"]')`
	if got := eval[string](dash, alert+`.dataset.level`); got != "low" {
		t.Errorf("stock alert level %q, want low", got)
	}
	if got := dash.text("#stock-alerts li"); !strings.Contains(got, "Low stock") || !strings.Contains(got, "3 available") {
		t.Errorf("#stock-alerts = %q, want Low stock with 3 available", got)
	}
	if c := eval[string](dash, `getComputedStyle(`+alert+`).borderLeftColor`); c != "rgb(255, 183, 3)" {
		t.Errorf("low stock alert edge %s, want the amber rgb(255, 183, 3)", c)
	}
}

// onHand is a SKU's on-hand stock in one bin, as the store has it.
func onHand(t *testing.T, srv *server.Server, sku, bin string) int64 {
	t.Helper()
	p, err := srv.Store().ProductBySKU(context.Background(), sku)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Stock {
		if s.Bin == bin {
			return s.OnHand
		}
	}
	return 0
}

// TestBrowserStock receives stock and counts a bin blind on /stock in real
// headless Chromium, scanning like a wedge scanner: the receive reaches the
// ledger, a refused one shows the server's reason, and the count's page never
// shows the figure the system holds.
func TestBrowserStock(t *testing.T) {
	const sku, bin = "918223582", "A-01-01"
	srv := demoServer(t)
	if got := onHand(t, srv, sku, bin); got != 200 {
		t.Fatalf("demo: %s in %s has %d on hand, want 200", sku, bin, got)
	}
	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/stock"),
		chromedp.SendKeys(chromedp.CSS("#worker-name"), "Cy\r"),
		chromedp.WaitVisible(chromedp.CSS("#mode-receive")),
		chromedp.Click(chromedp.CSS("#mode-receive")))

	// step scans a code that the page keeps for the next step, and waits
	// for the prompt that asks for that step.
	step := func(code, prompt string) {
		t.Helper()
		b.do(chromedp.SendKeys(chromedp.CSS("#scan"), code+"\r"),
			chromedp.Poll[chromedp.Void](`document.querySelector('#prompt').textContent === `+jsString(prompt)))
	}
	if got := b.text("#prompt"); got != "Scan the bin to receive into" {
		t.Errorf("receive: #prompt = %q", got)
	}

	step(bin, "Scan the item")
	step("NOPE", "Enter the quantity received")
	if ok, msg := b.scan("1"); ok || !strings.Contains(msg, `sku: "NOPE" is not in the catalogue`) {
		t.Errorf("receive of an unknown SKU: page shows ok=%v %q", ok, msg)
	}

	step(bin, "Scan the item")
	step(sku, "Enter the quantity received")
	if ok, msg := b.scan("5"); !ok || msg != "Received 5 × 918223582 into A-01-01" {
		t.Errorf("receive: page shows ok=%v %q", ok, msg)
	}
	if got := onHand(t, srv, sku, bin); got != 205 {
		t.Errorf("after the receive, %s in %s has %d on hand, want 205", sku, bin, got)
	}
	ms, err := srv.Store().Movements(context.Background(), sku, 1)
	if err != nil || len(ms) != 1 || ms[0].Reason != "receive" || ms[0].User != "Cy" || ms[0].Qty != 5 ||
		len(ms[0].CmdID) != 36 {
		t.Errorf("last movement of %s: %+v, %v; want a receive of 5 by Cy with a command id", sku, ms, err)
	}

	// From here on, the page must never show what the system holds.
	b.do(chromedp.Evaluate[chromedp.Void](`window.sawStock = false;
		new MutationObserver(() => {
			if (/\b20[05]\b/.test(document.body.innerText)) window.sawStock = true;
		}).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });`),
		chromedp.Click(chromedp.CSS("#mode-count")))
	if got := b.text("#prompt"); got != "Scan the bin to count" {
		t.Errorf("count: #prompt = %q", got)
	}
	const lotPrompt = "Scan the lot, or press Enter for none"
	step(bin, "Scan the item")
	step(sku, lotPrompt)
	step("", "Count them and enter the number (0 if none)")
	if ok, msg := b.scan("204"); !ok || !strings.HasPrefix(msg, "recorded") {
		t.Errorf("count: page shows ok=%v %q, want recorded…", ok, msg)
	}

	// A count of one lot compares with that lot alone: none of it is here.
	step(bin, "Scan the item")
	step(sku, lotPrompt)
	step("LOT-7", "Count them and enter the number (0 if none)")
	if got := b.text("#steps"); !strings.Contains(got, "LOT-7") {
		t.Errorf("count of a lot: #steps = %q, want the lot", got)
	}
	if ok, msg := b.scan("3"); !ok || !strings.HasPrefix(msg, "recorded") {
		t.Errorf("count of a lot: page shows ok=%v %q, want recorded…", ok, msg)
	}
	counts := map[string]store.Count{}
	for _, status := range store.CountStatuses {
		cs, err := srv.Store().CycleCounts(context.Background(), status, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			counts[c.Lot] = c
		}
	}
	if c := counts[""]; c.Counted != 204 || c.Expected != 205 || c.Counter != "Cy" {
		t.Errorf("count without a lot: %+v; want 204 counted against 205", c)
	}
	if c := counts["LOT-7"]; c.Counted != 3 || c.Expected != 0 || c.SKU != sku || c.Bin != bin {
		t.Errorf("count of LOT-7: %+v; want 3 counted against none", c)
	}
	if eval[bool](b, `window.sawStock`) {
		t.Error("the count page showed 200 or 205 at some point")
	}
	if body := eval[string](b, `document.body.innerText`); regexp.MustCompile(`\b20[05]\b`).MatchString(body) {
		t.Errorf("the count page shows on-hand stock: %q", body)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
