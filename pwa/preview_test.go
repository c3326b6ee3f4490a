package pwa_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/pwa"
)

// rendererName is the vendored label renderer, zpl-renderer-js 3.4.0, as
// AssetPaths names it.
const rendererName = "vendor/zpl-renderer-js/index.esm.js"

// rendererSHA256 is the checksum of the package's dist/index.esm.js, which
// vendor/zpl-renderer-js/NOTICE records.
const rendererSHA256 = "ee87bbdc03f927761f5a6ab61a50b1454bfa7579a5f0da0335cd56f62dea3abf"

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestVendoredRenderer: the renderer is served gzip-compressed as stored,
// hashed and cached for good, decompressed for a client that refuses gzip,
// and is byte for byte the npm package's file, with its notice beside it.
func TestVendoredRenderer(t *testing.T) {
	srv := newServer(t)
	u := pwa.AssetPaths()[rendererName]
	if !regexp.MustCompile(`^/static/vendor/zpl-renderer-js/index\.esm\.[0-9a-f]{8}\.js$`).MatchString(u) {
		t.Fatalf("renderer URL %q", u)
	}

	res, gz := fetch(t, srv, http.MethodGet, u, http.Header{"Accept-Encoding": {"gzip, deflate, br"}})
	wantHeader(t, res, "Content-Encoding", "gzip")
	wantHeader(t, res, "Content-Type", "text/javascript; charset=utf-8")
	wantHeader(t, res, "Cache-Control", "public, max-age=31536000, immutable")
	wantHeader(t, res, "Vary", "Accept-Encoding")
	if len(gz) > 3_500_000 {
		t.Errorf("compressed renderer is %d bytes, want about 3 MB", len(gz))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	js, err := io.ReadAll(zr)
	if err != nil || sha(js) != rendererSHA256 {
		t.Errorf("decompressed renderer: %d bytes, SHA-256 %s, %v; want %s", len(js), sha(js), err, rendererSHA256)
	}

	for _, accept := range []string{"identity", "gzip;q=0", "br"} {
		res, plain := fetch(t, srv, http.MethodGet, u, http.Header{"Accept-Encoding": {accept}})
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" || sha(plain) != rendererSHA256 {
			t.Errorf("Accept-Encoding %s: status %d, Content-Encoding %q, SHA-256 %s; want the plain file",
				accept, res.StatusCode, res.Header.Get("Content-Encoding"), sha(plain))
		}
	}

	notice, err := os.ReadFile("vendor/zpl-renderer-js/NOTICE")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"zpl-renderer-js", "3.4.0", "MIT", "Fabrizio", "ingridhq/zebrash", rendererSHA256} {
		if !strings.Contains(string(notice), want) {
			t.Errorf("NOTICE does not say %s", want)
		}
	}
}

var (
	staticImport  = regexp.MustCompile(`(?m)^\s*(?:import|export)\b[^'"();]*?['"]([^'"]+)['"]`)
	dynamicImport = regexp.MustCompile(`\bimport\(\s*['"]([^'"]+)['"]`)
	workerScript  = regexp.MustCompile(`\bnew URL\(\s*['"]([^'"]+)['"]`)
)

// reachable returns every URL a module loads, itself included, following
// static and dynamic imports and worker scripts.
func reachable(get func(string) []byte, start string) map[string]bool {
	seen := map[string]bool{}
	var walk func(u string)
	walk = func(u string) {
		if seen[u] {
			return
		}
		seen[u] = true
		if strings.Contains(u, "/vendor/") {
			return // self-contained
		}
		body := get(u)
		for _, re := range []*regexp.Regexp{staticImport, dynamicImport, workerScript} {
			for _, m := range re.FindAllSubmatch(body, -1) {
				walk(string(m[1]))
			}
		}
	}
	walk(start)
	return seen
}

// TestPreviewIsLazy: the handheld pages never reach the preview code; the
// packing station imports it only when Preview is pressed; the renderer is
// loaded only by the preview's worker, which is started on demand.
func TestPreviewIsLazy(t *testing.T) {
	srv := newServer(t)
	paths := pwa.AssetPaths()
	body := func(u string) []byte {
		_, b := get(t, srv, u)
		return b
	}
	preview, worker, renderer := paths["js/preview.js"], paths["js/preview-worker.js"], paths[rendererName]

	for _, module := range []string{"js/pick.js", "js/stock.js", "js/index.js"} {
		for u := range reachable(body, paths[module]) {
			if u == preview || u == worker || u == renderer {
				t.Errorf("%s reaches %s", module, u)
			}
		}
	}
	if !reachable(body, paths["js/labels.js"])[renderer] {
		t.Error("labels.js does not reach the renderer")
	}

	pack := body(paths["js/pack.js"])
	for _, m := range staticImport.FindAllSubmatch(pack, -1) {
		if string(m[1]) == preview {
			t.Error("pack.js imports preview.js statically: the station would load it at once")
		}
	}
	if !bytes.Contains(pack, []byte(`import('`+preview+`')`)) {
		t.Errorf("pack.js does not import %s when asked", preview)
	}

	previewJS := body(preview)
	if !bytes.Contains(previewJS, []byte(`new Worker(new URL('`+worker+`', import.meta.url), { type: 'module' })`)) {
		t.Errorf("preview.js does not start %s as a module worker", worker)
	}
	if bytes.Contains(previewJS, []byte(renderer)) {
		t.Error("preview.js loads the renderer itself, not in its worker")
	}
	if !bytes.Contains(body(worker), []byte(`from '`+renderer+`'`)) {
		t.Errorf("preview-worker.js does not import %s", renderer)
	}
}
