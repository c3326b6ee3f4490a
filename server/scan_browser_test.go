package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWedgeGS1 types a GS1-128 scan into /pick the way a keyboard-wedge
// scanner with AIM identifiers does, sending GS as Ctrl+]. The field must
// keep the separator, or the lot (10) would run on into the GTIN: the server
// reads lot LOTX and GTIN 09520001000010 and counts the item.
func TestBrowserWedgeGS1(t *testing.T) {
	srv := demoServer(t)
	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/pick"),
		chromedp.SendKeys(chromedp.CSS("#picker-name"), "Ann\r"),
		chromedp.WaitVisible(chromedp.CSS("#bin")))
	b.do(chromedp.Poll[chromedp.Void](`document.querySelector('#bin').textContent.trim() === 'A-01-01'`))
	if ok, msg := b.scan("]C0A-01-01"); !ok || msg != "Bin A-01-01 confirmed" {
		t.Fatalf("bin with AIM id: ok=%v %q", ok, msg)
	}

	b.do(chromedp.Focus(chromedp.CSS("#scan")),
		chromedp.KeyEvent("]C110LOTX"),
		chromedp.KeyEvent("]", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("0109520001000010\r"),
		chromedp.WaitVisible(chromedp.CSS("#verdict[data-ok]")))
	if got := b.text("#verdict"); !strings.Contains(got, "White Plimsolls - 39 1 / 1") {
		t.Errorf("GS1-128 scan: #verdict = %q", got)
	}

	scans, err := srv.Store().RecentScans(context.Background(), 1)
	if err != nil || len(scans) != 1 || scans[0].Code != "(10)LOTX(01)09520001000010" || !scans[0].OK {
		t.Errorf("recorded scan %+v, %v; want (10)LOTX(01)09520001000010 accepted", scans, err)
	}
}
