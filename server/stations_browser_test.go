package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

// TestBrowserStations: the /stations page lists a scanner under its
// station and follows its live state as it is unplugged.
func TestBrowserStations(t *testing.T) {
	srv := demoServer(t)
	dev := newPtyScanner(t)
	req, err := http.NewRequestWithContext(t.Context(), "PUT", srv.URL()+"/api/v1/scanners/S1-serial",
		strings.NewReader(`{"station": "S1", "kind": "serial", "port": "`+dev.link+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("PUT scanner: %v %v", resp, err)
	}
	resp.Body.Close()

	b := tab{t: t, ctx: browser(t)}
	state := `document.querySelector('tr[data-scanner="S1-serial"] td[data-state]')?.dataset.state`
	b.do(chromedp.Navigate(srv.URL()+"/stations"),
		chromedp.Poll[chromedp.Void](state+` === 'online'`))
	if got := b.text(`tr[data-scanner="S1-serial"]`); !strings.HasPrefix(got, "S1") ||
		!strings.Contains(got, "serial "+dev.link) {
		t.Errorf("scanner row %q", got)
	}
	dev.unplug()
	b.do(chromedp.Poll[chromedp.Void](state + ` === 'offline'`))
}

// TestBrowserStationsForm adds a serial scanner with the page's form: the
// server stores exactly the settings chosen, and the audit trail names the
// admin who typed their name.
func TestBrowserStationsForm(t *testing.T) {
	srv := demoServer(t)
	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/stations"),
		chromedp.WaitVisible(chromedp.CSS("#scanner-form")),
		chromedp.SendKeys(chromedp.CSS("#sc-name"), "S2-serial"),
		chromedp.SendKeys(chromedp.CSS("#sc-station"), "S2"),
		chromedp.SendKeys(chromedp.CSS("#sc-device"), "/dev/ttyUSB7"),
		chromedp.SetValue(chromedp.CSS("#sc-baud"), "115200"),
		chromedp.SetValue(chromedp.CSS("#sc-suffix"), "CRLF"),
		chromedp.Click(chromedp.CSS("#sc-code39")),
		chromedp.SendKeys(chromedp.CSS("#sc-user"), "Ada"),
		chromedp.Click(chromedp.CSS(`#scanner-form button[type="submit"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#scanners-status').textContent.includes('saved')`))

	sc, err := srv.Store().ScannerByName(t.Context(), "S2-serial")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Station != "S2" || sc.Kind != "serial" || sc.Port != "/dev/ttyUSB7" || sc.Baud != 115200 ||
		sc.Suffix != "CRLF" || !sc.Code39Check || sc.RequireAIM || sc.DedupeMS != 300 || !sc.Enabled {
		t.Errorf("stored scanner %+v", sc)
	}
	entries, err := srv.Store().Audit(t.Context(), "scanner", "S2-serial", 5)
	if err != nil || len(entries) != 1 || entries[0].Actor != "Ada" {
		t.Errorf("audit of S2-serial: %+v, %v", entries, err)
	}
}

// TestBrowserStationsPrinter sets a station's printer with the page's form:
// the settings are stored, and the table shows the printer and its state as
// the server polls it.
func TestBrowserStationsPrinter(t *testing.T) {
	srv := demoServer(t)
	emu := printertest.NewEmulator(t)
	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/stations"),
		chromedp.WaitVisible(chromedp.CSS("#printer-form")),
		chromedp.SendKeys(chromedp.CSS("#sc-user"), "Ada"),
		chromedp.SendKeys(chromedp.CSS("#pr-station"), "S3"),
		chromedp.SendKeys(chromedp.CSS("#pr-addr"), "tcp:"+emu.Addr()),
		chromedp.SetValue(chromedp.CSS("#pr-dpi"), "300"),
		chromedp.Click(chromedp.CSS(`#printer-form button[type="submit"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#printers-status').textContent.includes('saved')`))

	pc, err := srv.Store().StationPrinterConfig(t.Context(), "S3")
	if err != nil || pc.Addr != "tcp:"+emu.Addr() || pc.DPI != 300 || pc.WidthMM != 104 || pc.Status != "hs" {
		t.Errorf("stored printer %+v, %v", pc, err)
	}
	if got := b.text(`tr[data-station="S3"]`); !strings.Contains(got, "300 dpi, 104 mm") {
		t.Errorf("printer row %q", got)
	}
	b.do(chromedp.Poll[chromedp.Void](
		`document.querySelector('tr[data-station="S3"] td[data-state]')?.dataset.state === 'online'`))
	emu.SetState(printertest.PaperOut)
	b.do(chromedp.Poll[chromedp.Void](
		`document.querySelector('tr[data-station="S3"] td[data-state]')?.dataset.state === 'paper out'`))
	entries, err := srv.Store().Audit(t.Context(), "station", "S3", 5)
	if err != nil || len(entries) == 0 || entries[0].Actor != "Ada" {
		t.Errorf("audit of S3: %+v, %v", entries, err)
	}
}
