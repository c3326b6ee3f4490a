// Package pwa serves Shipshape's progressive web app: the picker's handheld
// page, the packing-station page, the supervisor's dashboard and audit page,
// the admin's labels page, with their JavaScript modules, style sheet, icons,
// web app manifest and service worker.
//
// Everything is embedded in the binary. At start-up the static files are
// renamed after a hash of their content (app.css becomes app.3f2a9c1b.css) so
// browsers may cache them forever; the pages, the manifest and the service
// worker keep fixed names, are revalidated on every use, and point at the
// current hashed names. The pages talk to the server over their websocket
// (/ws/...) and the audit page reads the API (/api/v1/...); this package
// serves neither.
//
// Third-party code lives under vendor/, gzip-compressed, with its licence
// notice beside it: the label renderer behind the previews, zpl-renderer-js.
// It is served as stored with Content-Encoding: gzip under a hashed name like
// the static files, and it is not precached: only the preview's Web Worker
// loads it, when someone first asks for a preview.
package pwa

//go:generate go run icons_gen.go

import (
	"bytes"
	"compress/gzip"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cache-Control values: hashed files never change under their name, while
// the pages, manifest and service worker must be revalidated so that a new
// release reaches the floor on the next load.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheRevalid   = "no-cache"
)

// pageCSP keeps the pages to their own origin: scripts, styles, images and the
// websocket ('self' covers ws: and wss: on the same host in CSP level 3).
const pageCSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; " +
	"base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

// loadSite builds the site once per process; the embedded files cannot change
// while it runs.
var loadSite = sync.OnceValues(func() (*site, error) { return buildSite(files) })

// Handler returns the handler for the app: "/", "/pick", "/pack",
// "/dashboard", "/audit", "/stock", "/labels", "/manifest.webmanifest", "/sw.js"
// and the hashed files under "/static/". Other paths get 404 and methods other than GET and HEAD get 405.
//
// It panics if the embedded files are inconsistent (a page naming a missing
// asset, a module importing one that does not exist): that is a build mistake
// the package tests catch, not a run-time condition.
func Handler() http.Handler {
	s, err := loadSite()
	if err != nil {
		panic("pwa: " + err.Error())
	}
	return s.mux
}

// AssetPaths returns the hashed URL of every static file, keyed by its path
// under static/ (for example "js/pick.js" maps to "/static/js/pick.1a2b3c4d.js").
// The map is a copy the caller may change. It panics like Handler.
func AssetPaths() map[string]string {
	s, err := loadSite()
	if err != nil {
		panic("pwa: " + err.Error())
	}
	return maps.Clone(s.paths)
}

// file is one response body with the headers that go with it.
type file struct {
	body        []byte
	contentType string
	cache       string
	etag        string
	page        bool   // an HTML page: gets the security headers too
	encoding    string // "gzip" when body is stored compressed, else ""
	lazy        bool   // loaded only when a page asks for it: not precached
}

// ServeHTTP writes the file. http.ServeContent answers If-None-Match with 304,
// which keeps the revalidation of pages and the service worker cheap.
func (f *file) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", f.cache)
	h.Set("X-Content-Type-Options", "nosniff")
	if f.page {
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("Referrer-Policy", "same-origin")
	}
	if f.encoding != "" {
		h.Set("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			f.serveDecompressed(w, r)
			return
		}
		h.Set("Content-Encoding", f.encoding)
	}
	h.Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// serveDecompressed writes a gzip-stored body as it was before compression,
// for the rare client that does not take gzip (every browser does). It has
// no ETag and no ranges: the stored ETag names the compressed bytes.
func (f *file) serveDecompressed(w http.ResponseWriter, r *http.Request) {
	zr, err := gzip.NewReader(bytes.NewReader(f.body))
	if err != nil {
		// The body was embedded at build time; the package tests read it.
		http.Error(w, "corrupt embedded file", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.Copy(w, zr) // a failed write means the client went away
	}
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: named
// with a q-value above 0, or else covered by "*" so.
func acceptsGzip(header string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			q, _ = strconv.ParseFloat(v, 64) // unreadable counts as 0: refused
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip":
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// serveStatic looks a hashed file up by its full URL path.
func (s *site) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.files[r.URL.Path] // the mux sends only /static/ paths here
	if !ok {
		http.NotFound(w, r)
		return
	}
	f.ServeHTTP(w, r)
}
