package server_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/shipshape-oms/shipshape/server"
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

// browser starts headless Chromium with a fresh profile and returns a tab.
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

func demoServer(t *testing.T) *server.Server {
	dir := t.TempDir()
	srv, err := server.New(context.Background(), server.Config{Addr: "127.0.0.1:0",
		DBPath: filepath.Join(dir, "demo.db"), SpoolDir: filepath.Join(dir, "spool"), Demo: true,
		PollInterval: 100 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
	if err != nil || len(scans) != 4 || scans[1].OK || scans[1].User != "Ann" || scans[0].Code != "9520001000010" {
		t.Errorf("scans recorded by the server: %+v, %v", scans, err)
	}
	dash.do(chromedp.Poll[chromedp.Void](
		`document.querySelector('#scans').textContent.includes('9520001000010')`))

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
