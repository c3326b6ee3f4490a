package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/server"
)

// pictureStats is a JavaScript function that decodes every label picture in
// a preview box and returns each one's size in pixels and the fraction of
// its pixels that are dark ink (opaque and darker than mid-grey).
const pictureStats = `async (box) => {
	const out = [];
	for (const img of box.querySelectorAll('img')) {
		await img.decode();
		const c = document.createElement('canvas');
		c.width = img.naturalWidth;
		c.height = img.naturalHeight;
		const g = c.getContext('2d');
		g.drawImage(img, 0, 0);
		const d = g.getImageData(0, 0, c.width, c.height).data;
		let dark = 0;
		for (let i = 0; i < d.length; i += 4) {
			if (d[i + 3] > 128 && d[i] + d[i + 1] + d[i + 2] < 384) dark++;
		}
		out.push({ w: c.width, h: c.height, dark: dark / (c.width * c.height) });
	}
	return out;
}`

type picture struct {
	W, H int
	Dark float64
}

// previewOf waits until the preview box sel has drawn its labels and
// returns their pictures' statistics. The first preview of a page loads the
// renderer, so it may take several seconds.
func previewOf(b tab, sel string) []picture {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	state, err := chromedp.Run(ctx, chromedp.Poll[string](`(s => s === 'done' || s === 'error' ? s : false)(
		document.querySelector('`+sel+`').dataset.state)`, chromedp.WithPollingTimeout(80*time.Second)))
	if err != nil || state != "done" {
		b.t.Fatalf("preview %s: %q, %v; status %q", sel, state, err, b.text(sel+" .preview-status"))
	}
	pics, err := chromedp.Run(ctx, chromedp.Evaluate[[]picture](`(`+pictureStats+`)(document.querySelector('`+
		sel+`'))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("pictures of %s: %v", sel, err)
	}
	return pics
}

// releaseFirstOrder picks and packs the demo's first order and releases its
// label at station S1 through the API; it returns the print job's id.
func releaseFirstOrder(t *testing.T, srv *server.Server) string {
	t.Helper()
	ctx := t.Context()
	st := srv.Store()
	if _, err := st.NextPickTask(ctx, "Ann"); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"A-01-01", "9520001000010"} {
		if res, err := st.PickScan(ctx, "Ann", "", code); err != nil || !res.Verdict.OK {
			t.Fatalf("PickScan %s: %+v, %v", code, res, err)
		}
	}
	if _, err := st.CompletePickTask(ctx, "Ann"); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"SO-000001", "9520001000010"} {
		if res, err := st.PackScan(ctx, "S1", "Pat", "", code); err != nil || !res.Verdict.OK {
			t.Fatalf("PackScan %s: %+v, %v", code, res, err)
		}
	}
	res, err := http.Post(srv.URL()+"/api/v1/orders/SO-000001/label?station=S1", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		JobID string `json:"job_id"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("release SO-000001: %d, %v", res.StatusCode, err)
	}
	return out.JobID
}

// TestBrowserLabelPreview draws our own shipping label in real headless
// Chromium, on the admin's /labels page and on the packing station, from
// the ZPL the server stored: 4x6 inches at 8 dots/mm, with real ink on it.
func TestBrowserLabelPreview(t *testing.T) {
	srv := demoServer(t)
	job := releaseFirstOrder(t, srv)
	b := tab{t: t, ctx: browser(t)}

	b.do(chromedp.Navigate(srv.URL()+"/labels"),
		chromedp.WaitVisible(chromedp.CSS(`#jobs button[data-job="`+job+`"]`)))
	if row := b.text(`#jobs tr[data-job="` + job + `"]`); !strings.Contains(row, "SO-000001") {
		t.Errorf("job row %q does not name the order", row)
	}
	if n := eval[int](b, `performance.getEntriesByType('resource').filter(e => e.name.includes('/vendor/')).length`); n != 0 {
		t.Errorf("/labels loaded the renderer %d times before a preview was asked for", n)
	}
	started := time.Now()
	b.do(chromedp.Click(chromedp.CSS(`#jobs button[data-job="` + job + `"]`)))
	pics := previewOf(b, "#preview")
	t.Logf("first preview, renderer load included: %v", time.Since(started).Round(time.Millisecond))
	// ^PW812 ^LL1218 at 8 dots/mm: 101.5 x 152.25 mm.
	checkPictures(t, "/labels", pics, 812, 1218)

	b.do(chromedp.Navigate(srv.URL()+"/pack?station=S1&user=Pat"),
		chromedp.WaitVisible(chromedp.CSS("#preview-label")))
	if n := eval[int](b, `performance.getEntriesByType('resource').filter(e => e.name.includes('/preview')).length`); n != 0 {
		t.Errorf("/pack loaded the preview code %d times before Preview was pressed", n)
	}
	b.do(chromedp.Click(chromedp.CSS("#preview-label")))
	checkPictures(t, "/pack", previewOf(b, "#label-preview"), 812, 1218)
	if got := eval[string](b, `document.activeElement.id`); got != "scan" {
		t.Errorf("after Preview the focus is on #%s, want #scan for the next scan", got)
	}
}

func checkPictures(t *testing.T, where string, pics []picture, w, h int) {
	t.Helper()
	if len(pics) != 1 {
		t.Fatalf("%s: %d pictures, want 1", where, len(pics))
	}
	p := pics[0]
	if p.W != w || p.H != h || p.Dark < 0.02 || p.Dark > 0.6 {
		t.Errorf("%s: picture %dx%d with %.1f%% ink; want %dx%d with 2-60%%", where, p.W, p.H, p.Dark*100, w, h)
	}
}

// TestBrowserCourierPreviews pastes each of the 29 real courier labels into
// the admin's /labels page, one page for all, and checks that each draws
// every label with ink on it. Then it opens one file with a byte-order mark
// and prints it at a station: the printer gets the file less the mark.
func TestBrowserCourierPreviews(t *testing.T) {
	emu := printertest.NewEmulator(t)
	srv := demoServer(t, func(c *server.Config) { c.Printer = emu.Addr() })
	type labelFile struct {
		Name string `json:"name"`
		ZPL  string `json:"zpl"`
	}
	var files []labelFile
	all := courierLabels(t)
	for _, name := range slices.Sorted(maps.Keys(all)) {
		files = append(files, labelFile{name, string(all[name])})
	}
	list, err := json.Marshal(files)
	if err != nil {
		t.Fatal(err)
	}

	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/labels"), chromedp.WaitVisible(chromedp.CSS("#zpl-text")))
	type result struct {
		Name     string
		State    string
		Count    int
		Status   string
		Pictures []picture
	}
	started := time.Now()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Minute)
	defer cancel()
	results, err := chromedp.Run(ctx, chromedp.Evaluate[[]result](`(async (files) => {
		const stats = `+pictureStats+`;
		const box = document.querySelector('#preview');
		const text = document.querySelector('#zpl-text');
		const out = [];
		for (const f of files) {
			text.value = f.zpl;
			text.dispatchEvent(new Event('input'));
			box.dataset.state = '';
			document.querySelector('#preview-zpl').click();
			while (box.dataset.state !== 'done' && box.dataset.state !== 'error') {
				await new Promise((r) => setTimeout(r, 20));
			}
			out.push({ name: f.name, state: box.dataset.state, count: Number(box.dataset.count ?? 0),
				status: box.querySelector('.preview-status')?.textContent ?? '',
				pictures: await stats(box) });
		}
		return out;
	})(`+string(list)+`)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("preview of the courier labels: %v", err)
	}
	t.Logf("29 courier labels previewed in one page in %v, renderer load included",
		time.Since(started).Round(time.Millisecond))

	if len(results) != len(files) {
		t.Fatalf("%d results for %d files", len(results), len(files))
	}
	for _, r := range results {
		if r.State != "done" || r.Count < 1 || len(r.Pictures) != r.Count {
			t.Errorf("%s: state %q, %d labels, %d pictures: %s", r.Name, r.State, r.Count, len(r.Pictures), r.Status)
			continue
		}
		// Not blank: some ink, and not all of it. The sparsest is
		// BarcodeUpcA, whose UPC-A (^BU) and add-on (^BS) barcodes the
		// renderer does not draw: only their interpretation lines show.
		for i, p := range r.Pictures {
			if ink := p.Dark * float64(p.W*p.H); p.W < 100 || p.H < 100 || ink < 200 || p.Dark > 0.9 {
				t.Errorf("%s: label %d is %dx%d with %.0f dark pixels (%.2f%%), want a real picture",
					r.Name, i+1, p.W, p.H, ink, p.Dark*100)
			}
		}
	}

	// Open a BinaryKits file (it starts with a byte-order mark) and print it.
	path, err := filepath.Abs(filepath.Join(courierDir, "binarykits", "GS1-102x152.zpl"))
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#preview').dataset.state = ''`),
		chromedp.SetUploadFiles(chromedp.CSS("#zpl-file"), []string{path}))
	if pics := previewOf(b, "#preview"); len(pics) != 1 || pics[0].Dark < 0.005 {
		t.Errorf("opened file: pictures %+v, want one with ink", pics)
	}
	b.do(chromedp.SendKeys(chromedp.CSS("#print-station"), "S1"),
		chromedp.SendKeys(chromedp.CSS("#print-user"), "Ada"),
		chromedp.Click(chromedp.CSS("#print-zpl")),
		chromedp.WaitVisible(chromedp.CSS(`#print-status[data-status="printed"]`)))
	jobs, err := emu.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.TrimPrefix(all["binarykits/GS1-102x152.zpl"], bom)
	if len(jobs) != 1 || !bytes.Equal(jobs[0], want) {
		t.Errorf("printer got %d jobs, want 1 of the file's %d bytes less its byte-order mark", len(jobs), len(want))
	}
	if got := b.text("#print-status"); !strings.HasPrefix(got, "Printed at S1 as courier-1 on tcp ") {
		t.Errorf("#print-status = %q", got)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#jobs tr[data-job="courier-1"]`)))
	entries, err := srv.Store().Audit(ctx, "print_job", "courier-1", 1)
	if err != nil || len(entries) != 1 || entries[0].Actor != "Ada" {
		t.Errorf("audit of courier-1: %+v, %v; want it sent by Ada", entries, err)
	}
}
