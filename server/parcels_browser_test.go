package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/labels"
)

// TestBrowserParcels packs an order into two parcels on /pack in real
// headless Chromium: New parcel starts parcel 2, the page lists both, a
// weight typed in kilograms is stored in grams, Read scale says there is
// no scale, and Print labels prints 1/2 and 2/2 on the station's printer.
func TestBrowserParcels(t *testing.T) {
	ts := startServer(t, quickPrinters)
	emu := printertest.NewEmulator(t)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	ts.call("POST", "/api/v1/orders", validOrder)
	ts.pick()

	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(ts.url+"/pack?station=S1&user=Pat"),
		chromedp.WaitVisible(chromedp.CSS("#scan")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#conn').dataset.state === 'open'`))
	verdict := func(code, want string) {
		t.Helper()
		b.do(chromedp.SendKeys(chromedp.CSS("#scan"), code+"\r"),
			chromedp.Poll[chromedp.Void](`document.querySelector('#verdict').textContent.includes(`+
				jsString(want)+`)`))
	}
	verdict("SO-000001", "Order SO-000001: scan each item")
	verdict("MUG", "Mug 1 / 2")
	b.do(chromedp.Poll[chromedp.Void](`document.querySelector('#parcel-rows .pc-items')?.textContent === '1 × MUG'`))
	b.do(chromedp.Click(chromedp.CSS("#new-parcel")))
	b.do(chromedp.Poll[chromedp.Void](`document.querySelectorAll('#parcel-rows tr').length === 2`))
	// MUG right after MUG would be dropped as a scanner's double trigger.
	verdict("CUP", "Cup 1 / 1")
	verdict("MUG", "Every item is packed, in 2 parcels")
	if got := b.text(`#parcel-rows tr[data-parcel="2"] .pc-items`); got != "1 × CUP, 1 × MUG" {
		t.Errorf("parcel 2 holds %q", got)
	}

	b.do(chromedp.SetValue(chromedp.CSS("#weight"), "1,2 kg"))
	b.do(chromedp.Click(chromedp.CSS("#weigh")))
	b.do(chromedp.Poll[chromedp.Void](`document.querySelector('#parcel-rows tr[data-parcel="1"] .pc-weight')` +
		`.textContent === '1.20 kg'`))
	if sess, err := ts.st.StationSession(t.Context(), "S1"); err != nil || sess.Parcels[0].WeightGrams != 1200 {
		t.Errorf("parcel 1 after 1,2 kg: %+v, %v", sess, err)
	}
	b.do(chromedp.Click(chromedp.CSS("#read-scale")))
	b.do(chromedp.Poll[chromedp.Void](`/^Scale: .*scale/.test(document.querySelector('#weigh-note').textContent)`))

	b.do(chromedp.Click(chromedp.CSS("#release")), chromedp.WaitVisible(chromedp.CSS("#label.printed")),
		chromedp.WaitVisible(chromedp.CSS("#show-add-parcel")))
	jobs, err := emu.WaitJobs(t.Context(), 2)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []string{"Parcel 1/2", "Parcel 2/2"} {
		if f := labels.Fields(jobs[k]); !slices.Contains(f, want) {
			t.Errorf("label %d: %q, want %q", k+1, f, want)
		}
	}
	if got := b.text("#carrier"); !strings.Contains(got, "parcel 2/2") {
		t.Errorf("#carrier = %q, want the last label, parcel 2/2", got)
	}
}
