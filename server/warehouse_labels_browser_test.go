package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserWarehouseLabels previews a bin label of the demo warehouse on
// the admin's /labels page in real headless Chromium, and then a badge,
// whose QR code the page also shows as the server's PNG.
func TestBrowserWarehouseLabels(t *testing.T) {
	srv := demoServer(t)
	b := tab{t: t, ctx: browser(t)}

	b.do(chromedp.Navigate(srv.URL()+"/labels"), chromedp.WaitVisible(chromedp.CSS("#wh-code")),
		chromedp.SendKeys(chromedp.CSS("#wh-code"), "A-01-03"),
		chromedp.Click(chromedp.CSS("#wh-preview")))
	// 100 x 50 mm at 8 dots/mm: ^PW800 ^LL400.
	checkPictures(t, "bin label", previewOf(b, "#preview"), 800, 400)
	if got := b.text("#preview .preview-status"); !strings.HasPrefix(got, "bin label A-01-03: 1 label,") {
		t.Errorf("preview status %q, want it to name bin label A-01-03", got)
	}
	if hidden := eval[bool](b, `document.querySelector('#badge-qr').hidden`); !hidden {
		t.Error("a bin label shows a badge QR code")
	}

	b.do(chromedp.Evaluate[chromedp.Void](`(() => {
			const kind = document.querySelector('#wh-kind');
			kind.value = 'badge';
			kind.dispatchEvent(new Event('change'));
			document.querySelector('#wh-code').value = 'Ann';
			document.querySelector('#preview').dataset.state = '';
		})()`),
		chromedp.Click(chromedp.CSS("#wh-preview")))
	// 86 x 54 mm: ^PW688 ^LL432.
	checkPictures(t, "badge label", previewOf(b, "#preview"), 688, 432)

	b.do(chromedp.WaitVisible(chromedp.CSS(`#badge-qr[data-state="done"]`)))
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	stats := `(` + pictureStats + `)(document.querySelector('#badge-qr'))`
	qr, err := chromedp.Run(ctx, chromedp.Evaluate[[]picture](stats, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// A QR code is dark modules on white, about half of each inside its
	// quiet zone.
	if len(qr) != 1 || qr[0].W != 256 || qr[0].H != 256 || qr[0].Dark < 0.2 || qr[0].Dark > 0.7 {
		t.Errorf("badge QR pictures %+v, want one 256x256 with 20-70%% ink", qr)
	}
	if got := b.text("#badge-qr-caption"); got != "Badge of Ann, for a screen: the code is USER-ANN." {
		t.Errorf("badge caption %q", got)
	}
}
