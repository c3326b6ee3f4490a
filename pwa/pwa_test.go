package pwa_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/pwa"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(pwa.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// fetch does one request and returns the response with its body read.
func fetch(t *testing.T, srv *httptest.Server, method, urlPath string,
	header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+urlPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, urlPath, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, urlPath, err)
	}
	return res, body
}

func get(t *testing.T, srv *httptest.Server, urlPath string) (*http.Response, []byte) {
	t.Helper()
	res, body := fetch(t, srv, http.MethodGet, urlPath, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", urlPath, res.StatusCode)
	}
	return res, body
}

func wantHeader(t *testing.T, res *http.Response, name, want string) {
	t.Helper()
	if got := res.Header.Get(name); got != want {
		t.Errorf("%s: %s = %q, want %q", res.Request.URL.Path, name, got, want)
	}
}

var staticRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

func TestPages(t *testing.T) {
	srv := newServer(t)
	paths := pwa.AssetPaths()
	served := map[string]bool{}
	for _, u := range paths {
		served[u] = true
	}

	tests := []struct {
		path   string
		module string
		ids    []string // what the browser tests and the scripts rely on
	}{
		{"/", "js/index.js", nil},
		{"/pick", "js/pick.js", []string{
			"picker-name", "start", "scan", "prompt", "verdict", "bin", "product", "sku",
			"qty", "lines", "short", "short-yes", "short-no", "complete", "conn", "flash",
			"order", "task-head", "tote", "tote-part",
		}},
		{"/pack", "js/pack.js", []string{
			"station", "packer-name", "start", "scan", "prompt", "verdict", "order",
			"ship-to", "pack-lines", "label", "reprint", "carrier", "release", "cancel", "conn",
			"flash", "preview-label", "label-preview",
		}},
		{"/dashboard", "js/dashboard.js", []string{
			"count-waiting", "count-picking", "count-packing", "count-shipped",
			"count-exception", "scans", "conn", "stock-alerts",
		}},
		{"/audit", "js/audit.js", []string{
			"sku", "movements", "availability", "audit", "entity", "entity-id", "conn",
		}},
		{"/stock", "js/stock.js", []string{
			"worker-name", "start", "mode-receive", "mode-move", "mode-count", "scan", "prompt",
			"verdict", "steps", "retry", "restart", "logout", "conn", "flash",
		}},
		{"/labels", "js/labels.js", []string{
			"jobs", "jobs-status", "zpl-form", "zpl-file", "zpl-text", "dpmm", "preview-zpl",
			"print-form", "print-station", "print-user", "print-zpl", "print-status", "preview", "conn",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := get(t, srv, tt.path)
			wantHeader(t, res, "Content-Type", "text/html; charset=utf-8")
			wantHeader(t, res, "Cache-Control", "no-cache")
			page := string(body)

			if !strings.Contains(page, `<link rel="manifest" href="/manifest.webmanifest">`) {
				t.Error("page does not link the manifest")
			}
			script := fmt.Sprintf(`<script type="module" src="%s"></script>`, paths[tt.module])
			if !strings.Contains(page, script) {
				t.Errorf("page does not load %s as %s", tt.module, paths[tt.module])
			}
			if !strings.Contains(page, `href="`+paths["css/app.css"]+`"`) {
				t.Error("page does not link the style sheet")
			}

			refs := staticRef.FindAllStringSubmatch(page, -1)
			if len(refs) < 3 {
				t.Fatalf("page names %d static files, want at least 3", len(refs))
			}
			for _, ref := range refs {
				if !served[ref[1]] {
					t.Errorf("page names %s, which is not a hashed asset", ref[1])
				}
				get(t, srv, ref[1])
			}

			for _, id := range tt.ids {
				if !strings.Contains(page, `id="`+id+`"`) {
					t.Errorf("page has no element #%s", id)
				}
			}
		})
	}
}

func TestAssets(t *testing.T) {
	srv := newServer(t)
	paths := pwa.AssetPaths()

	types := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
		".png": "image/png",
	}
	for _, name := range []string{
		"js/ws.js", "js/sound.js", "js/scanner.js", "js/ui.js", "js/index.js",
		"js/pick.js", "js/pack.js", "js/dashboard.js", "js/audit.js", "js/stock.js", "css/app.css",
		"js/labels.js", "js/preview.js", "js/preview-worker.js", rendererName,
		"icons/icon-192.png", "icons/icon-512.png", "icons/maskable-192.png",
		"icons/maskable-512.png",
	} {
		if _, ok := paths[name]; !ok {
			t.Errorf("AssetPaths has no %s", name)
		}
	}

	for name, u := range paths {
		ext := path.Ext(name)
		base := strings.TrimSuffix(name, ext)
		hashed := regexp.MustCompile(`^/static/` + regexp.QuoteMeta(base) + `\.([0-9a-f]{8})` +
			regexp.QuoteMeta(ext) + `$`)
		m := hashed.FindStringSubmatch(u)
		if m == nil {
			t.Errorf("%s: URL %s is not /static/%s.<8 hex>%s", name, u, base, ext)
			continue
		}

		// Ask for gzip outright, so that the client hands over the vendored
		// file's bytes as they are sent, which is what its URL names.
		res, body := fetch(t, srv, http.MethodGet, u, http.Header{"Accept-Encoding": {"gzip"}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", u, res.StatusCode)
		}
		wantHeader(t, res, "Cache-Control", "public, max-age=31536000, immutable")
		wantHeader(t, res, "Content-Type", types[ext])
		wantHeader(t, res, "X-Content-Type-Options", "nosniff")
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:])[:8]; got != m[1] {
			t.Errorf("%s: URL hash %s, content hash %s", name, m[1], got)
		}
	}
}

func TestNotServed(t *testing.T) {
	srv := newServer(t)
	paths := pwa.AssetPaths()
	wrongHash := strings.Replace(paths["js/pick.js"], "pick.", "pick.0", 1)

	tests := []struct {
		name   string
		method string
		path   string
		status int
	}{
		{"unhashed module", http.MethodGet, "/static/js/pick.js", http.StatusNotFound},
		{"unknown hash", http.MethodGet, wrongHash, http.StatusNotFound},
		{"unknown page", http.MethodGet, "/picking", http.StatusNotFound},
		{"api is not ours", http.MethodGet, "/api/orders", http.StatusNotFound},
		{"post to a page", http.MethodPost, "/pick", http.StatusMethodNotAllowed},
		{"head of a page", http.MethodHead, "/pick", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := fetch(t, srv, tt.method, tt.path, nil)
			if res.StatusCode != tt.status {
				t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
			}
		})
	}
}

// importSpec finds the specifier of every static or dynamic import.
var importSpec = regexp.MustCompile(`(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]`)

func TestModuleImportsAreHashed(t *testing.T) {
	srv := newServer(t)
	paths := pwa.AssetPaths()
	served := map[string]bool{}
	for _, u := range paths {
		served[u] = true
	}

	for name, u := range paths {
		if path.Ext(name) != ".js" {
			continue
		}
		_, body := get(t, srv, u)
		for _, m := range importSpec.FindAllStringSubmatch(string(body), -1) {
			if !served[m[1]] {
				t.Errorf("%s imports %q, which is not a hashed asset", name, m[1])
			}
		}
	}

	_, pick := get(t, srv, paths["js/pick.js"])
	for _, dep := range []string{"js/ws.js", "js/ui.js", "js/scanner.js"} {
		if !bytes.Contains(pick, []byte(`'`+paths[dep]+`'`)) {
			t.Errorf("pick.js does not import %s as %s", dep, paths[dep])
		}
	}
}

func TestRevalidated(t *testing.T) {
	srv := newServer(t)

	tests := []struct {
		path        string
		contentType string
	}{
		{"/sw.js", "text/javascript; charset=utf-8"},
		{"/manifest.webmanifest", "application/manifest+json"},
		{"/", "text/html; charset=utf-8"},
		{"/pack", "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, _ := get(t, srv, tt.path)
			wantHeader(t, res, "Cache-Control", "no-cache")
			wantHeader(t, res, "Content-Type", tt.contentType)

			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			again, body := fetch(t, srv, http.MethodGet, tt.path, http.Header{"If-None-Match": {etag}})
			if again.StatusCode != http.StatusNotModified || len(body) != 0 {
				t.Errorf("revalidation: status %d with %d bytes, want 304 and none",
					again.StatusCode, len(body))
			}
		})
	}
}

type manifest struct {
	Name            string `json:"name"`
	ShortName       string `json:"short_name"`
	StartURL        string `json:"start_url"`
	Scope           string `json:"scope"`
	Display         string `json:"display"`
	ThemeColor      string `json:"theme_color"`
	BackgroundColor string `json:"background_color"`
	Icons           []struct {
		Src     string `json:"src"`
		Sizes   string `json:"sizes"`
		Type    string `json:"type"`
		Purpose string `json:"purpose"`
	} `json:"icons"`
}

func TestManifest(t *testing.T) {
	srv := newServer(t)
	_, body := get(t, srv, "/manifest.webmanifest")
	var m manifest
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}

	for _, f := range []struct{ field, got, want string }{
		{"name", m.Name, "Shipshape"},
		{"short_name", m.ShortName, "Shipshape"},
		{"start_url", m.StartURL, "/pick"},
		{"scope", m.Scope, "/"},
		{"display", m.Display, "standalone"},
		{"theme_color", m.ThemeColor, "#0d1b2a"},
		{"background_color", m.BackgroundColor, "#0d1b2a"},
	} {
		if f.got != f.want {
			t.Errorf("manifest %s = %q, want %q", f.field, f.got, f.want)
		}
	}

	var found []string
	for _, ic := range m.Icons {
		if ic.Type != "image/png" {
			t.Errorf("icon %s: type %q", ic.Src, ic.Type)
		}
		res, png := get(t, srv, ic.Src)
		wantHeader(t, res, "Content-Type", "image/png")
		checkIcon(t, ic.Src, png, ic.Sizes, ic.Purpose)
		found = append(found, ic.Purpose+" "+ic.Sizes)
	}
	slices.Sort(found)
	want := []string{"any 192x192", "any 512x512", "maskable 192x192", "maskable 512x512"}
	if !slices.Equal(found, want) {
		t.Errorf("icons %q, want %q", found, want)
	}
}

// checkIcon decodes a PNG and checks its size and its corners: a maskable
// icon must bleed to the edges, an "any" icon has transparent rounded corners.
func checkIcon(t *testing.T, src string, data []byte, sizes, purpose string) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Errorf("icon %s: %v", src, err)
		return
	}
	b := img.Bounds()
	if got := fmt.Sprintf("%dx%d", b.Dx(), b.Dy()); got != sizes {
		t.Errorf("icon %s is %s, manifest says %s", src, got, sizes)
	}

	_, _, _, corner := img.At(b.Min.X, b.Min.Y).RGBA()
	_, _, _, centre := img.At(b.Dx()/2, b.Dy()/2).RGBA()
	wantCorner := uint32(0)
	if purpose == "maskable" {
		wantCorner = 0xffff
	}
	if corner != wantCorner || centre != 0xffff {
		t.Errorf("icon %s (%s): alpha %#x at the corner and %#x in the centre, want %#x and 0xffff",
			src, purpose, corner, centre, wantCorner)
	}
}

var (
	workerVersion = regexp.MustCompile(`(?m)^const VERSION = "([0-9a-f]{12})";$`)
	workerShell   = regexp.MustCompile(`(?s)const SHELL = (\[.*?\]);`)
)

func TestServiceWorker(t *testing.T) {
	srv := newServer(t)
	_, body := get(t, srv, "/sw.js")
	sw := string(body)

	if workerVersion.FindStringSubmatch(sw) == nil {
		t.Error("sw.js has no VERSION of 12 hex digits")
	}
	m := workerShell.FindStringSubmatch(sw)
	if m == nil {
		t.Fatal("sw.js has no SHELL list")
	}
	var shell []string
	if err := json.Unmarshal([]byte(m[1]), &shell); err != nil {
		t.Fatalf("SHELL: %v", err)
	}

	want := []string{"/", "/pick", "/pack", "/dashboard", "/audit", "/stock", "/labels", "/manifest.webmanifest"}
	paths := pwa.AssetPaths()
	for name, u := range paths {
		if name != rendererName {
			want = append(want, u)
		}
	}
	if slices.Contains(shell, paths[rendererName]) {
		t.Errorf("SHELL precaches the label renderer %s", paths[rendererName])
	}
	for _, u := range want {
		if !slices.Contains(shell, u) {
			t.Errorf("SHELL lacks %s", u)
		}
	}
	for _, u := range shell {
		if strings.HasPrefix(u, "/api/") || strings.HasPrefix(u, "/ws/") {
			t.Errorf("SHELL precaches %s", u)
		}
		get(t, srv, u) // addAll fails the install if any entry fails
	}

	for _, s := range []string{"addEventListener('fetch'", "'/api/'", "'/ws/'", "caches.delete"} {
		if !strings.Contains(sw, s) {
			t.Errorf("sw.js lacks %s", s)
		}
	}
}

func TestPageSecurityHeaders(t *testing.T) {
	srv := newServer(t)
	res, _ := get(t, srv, "/pick")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	wantHeader(t, res, "X-Content-Type-Options", "nosniff")
}

// TestPageMarkup checks the markup the scripts start from: what is hidden
// until the server says otherwise, and the words one file quotes from another.
func TestPageMarkup(t *testing.T) {
	srv := newServer(t)
	paths := pwa.AssetPaths()
	page := func(p string) string {
		_, body := get(t, srv, p)
		return string(body)
	}
	_, packJS := get(t, srv, paths["js/pack.js"])
	_, stockJS := get(t, srv, paths["js/stock.js"])

	tests := []struct {
		what string
		in   string
		want string
	}{
		// Reprint shows once a label has been, and is named as the failure
		// message names it.
		{"/pack", page("/pack"), `<button id="reprint" type="button" hidden>Reprint</button>`},
		{"/pack", page("/pack"), `<p id="label" role="status" hidden></p>`},
		{"pack.js", string(packJS), "Fix the printer, then press Reprint."},
		{"pack.js", string(packJS), "reprint: 'Reprint'"},
		{"pack.js", string(packJS), "link.send('reprint', { job_id: lastLabel.job_id })"},
		// No order, no heading; no tote, no "· tote".
		{"/pick", page("/pick"), `<h2 id="task-head" hidden>Order <span id="order"></span>` +
			`<span id="tote-part" hidden> · tote <span id="tote"></span></span></h2>`},
		// The scan log is a table, one column per field.
		{"/dashboard", page("/dashboard"), `<tr><th scope="col">Time</th><th scope="col">Who</th>` +
			`<th scope="col">Code</th><th scope="col">Result</th></tr>`},
		{"/dashboard", page("/dashboard"), `<tbody id="scans"></tbody>`},
		// Stock alerts arrive over the socket into an empty list.
		{"/dashboard", page("/dashboard"), `<ul id="stock-alerts" class="alerts"`},
		// The audit page is reachable from the start page and the dashboard,
		// and says that it only reads.
		{"/", page("/"), `<a href="/audit">`},
		{"/dashboard", page("/dashboard"), `<a href="/audit">`},
		{"/audit", page("/audit"), "Read-only: nothing here can be edited or deleted."},
		{"/audit", page("/audit"), `<tr><th scope="col">Time</th><th scope="col">User</th>` +
			`<th scope="col">Reason</th><th scope="col">Bin</th><th scope="col" class="num">Qty</th>` +
			`<th scope="col">Reference</th><th scope="col">Detail</th></tr>`},
		{"/audit", page("/audit"), `<tr><th scope="col">Time</th><th scope="col">Who</th>` +
			`<th scope="col">Action</th><th scope="col">Entity</th><th scope="col">Detail</th></tr>`},
		{"/audit", page("/audit"), `<tbody id="movements"></tbody>`},
		{"/audit", page("/audit"), `<tbody id="audit"></tbody>`},
		// Stock work is reachable from the start page; the Send again button
		// waits for a command that got no answer, and stock.js names it so.
		{"/", page("/"), `<a href="/stock">`},
		{"/stock", page("/stock"), `<button id="retry" class="primary" type="button" hidden>Send again</button>`},
		{"stock.js", string(stockJS), "Press Send again: it counts only once."},
		// Every command carries a fresh command id and the worker's name.
		{"stock.js", string(stockJS), "const body = { ...values, id: newId() };"},
		{"stock.js", string(stockJS), "'X-Shipshape-User': user"},
		{"stock.js", string(stockJS), "import { newId } from '" + paths["js/ws.js"] + "';"},
	}
	for _, tt := range tests {
		if !strings.Contains(tt.in, tt.want) {
			t.Errorf("%s lacks %s", tt.what, tt.want)
		}
	}
}
