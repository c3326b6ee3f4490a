package pwa

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
)

//go:embed static pages worker/sw.js vendor/*/*.gz
var files embed.FS

// site is everything Handler serves, built once from the embedded files.
type site struct {
	mux   *http.ServeMux
	paths map[string]string // name under static/ -> hashed URL
	files map[string]*file  // URL path -> what is served there
}

// pages maps each page's URL to its template under pages/.
var pages = map[string]string{
	"/":          "index.html",
	"/pick":      "pick.html",
	"/pack":      "pack.html",
	"/dashboard": "dashboard.html",
	"/audit":     "audit.html",
	"/stock":     "stock.html",
	"/labels":    "labels.html",
	"/stations":  "stations.html",
	"/manifests": "manifests.html",
}

const (
	manifestURL = "/manifest.webmanifest"
	workerURL   = "/sw.js"
)

// contentTypes lists every kind of file static/ may hold; anything else is
// refused at build so that no file goes out with a guessed type.
var contentTypes = map[string]string{
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".png":  "image/png",
	".svg":  "image/svg+xml",
	".html": "text/html; charset=utf-8",
}

// buildSite hashes the static files, renders the pages, the manifest and the
// service worker, and routes them. It fails on a file of unknown type, a
// module import or page reference that names a missing file, and an import
// cycle.
func buildSite(fsys fs.FS) (*site, error) {
	h, err := hashStatic(fsys)
	if err != nil {
		return nil, err
	}
	s := &site{mux: http.NewServeMux(), paths: h.paths, files: h.static}

	for route, name := range pages {
		if s.files[route], err = renderPage(fsys, name, s.paths); err != nil {
			return nil, err
		}
	}
	if s.files[manifestURL], err = renderManifest(s.paths); err != nil {
		return nil, err
	}
	// Everything so far but the vendored files is the shell the worker
	// precaches: those are large and loaded only when a page asks for them.
	shell := maps.Clone(s.files)
	maps.DeleteFunc(shell, func(_ string, f *file) bool { return f.lazy })
	if s.files[workerURL], err = renderWorker(fsys, shell); err != nil {
		return nil, err
	}

	for route := range pages {
		pattern := "GET " + route
		if route == "/" {
			pattern = "GET /{$}"
		}
		s.mux.Handle(pattern, s.files[route])
	}
	s.mux.Handle("GET "+manifestURL, s.files[manifestURL])
	s.mux.Handle("GET "+workerURL, s.files[workerURL])
	s.mux.HandleFunc("GET /static/", s.serveStatic)
	return s, nil
}

// newFile wraps a body, tagging it with a hash of its content.
func newFile(body []byte, contentType, cache string) *file {
	return &file{body: body, contentType: contentType, cache: cache, etag: `"` + digest(body, 16) + `"`}
}

// digest is the first n hex digits of the SHA-256 of b.
func digest(b []byte, n int) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:n]
}

// hasher renames the files under static/ after their content. A module's
// hash covers its imports' hashed names, so a change to ws.js renames every
// module that imports it too and no browser can pair a new module with a
// stale dependency.
type hasher struct {
	raw      map[string][]byte // name under static/ -> original content
	gzipped  map[string]bool   // vendored files, stored and served gzip-compressed
	paths    map[string]string
	static   map[string]*file
	visiting map[string]bool // modules whose imports are being resolved
}

func hashStatic(fsys fs.FS) (*hasher, error) {
	h := &hasher{
		raw:      map[string][]byte{},
		gzipped:  map[string]bool{},
		paths:    map[string]string{},
		static:   map[string]*file{},
		visiting: map[string]bool{},
	}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		h.raw[strings.TrimPrefix(p, "static/")] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read static files: %w", err)
	}
	if err := h.readVendored(fsys); err != nil {
		return nil, err
	}

	for _, name := range slices.Sorted(maps.Keys(h.raw)) {
		if err := h.add(name); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// readVendored adds the third-party files under vendor/, each stored
// gzip-compressed as NAME.gz, as if they were static/vendor/NAME: a module
// imports one as '../vendor/NAME'. Their licence notices stay beside them
// and are not served.
func (h *hasher) readVendored(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "vendor/*/*.gz")
	if err != nil {
		return fmt.Errorf("read vendored files: %w", err)
	}
	for _, p := range names {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read vendored files: %w", err)
		}
		name := strings.TrimSuffix(p, ".gz")
		h.raw[name], h.gzipped[name] = b, true
	}
	return nil
}

// add hashes one file, after the modules it imports.
func (h *hasher) add(name string) error {
	if _, done := h.paths[name]; done {
		return nil
	}
	ext := path.Ext(name)
	ctype, ok := contentTypes[ext]
	if !ok {
		return fmt.Errorf("static file %s: unknown type %q", name, ext)
	}
	if h.visiting[name] {
		return fmt.Errorf("static file %s: import cycle", name)
	}
	h.visiting[name] = true
	defer delete(h.visiting, name)

	body := h.raw[name]
	if ext == ".js" && !h.gzipped[name] {
		var err error
		if body, err = h.rewriteImports(name, body); err != nil {
			return err
		}
	}

	hash := digest(body, 8)
	url := "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext
	h.paths[name] = url
	f := &file{body: body, contentType: ctype, cache: cacheImmutable, etag: `"` + hash + `"`}
	if h.gzipped[name] {
		f.encoding, f.lazy = "gzip", true
	}
	h.static[url] = f
	return nil
}

// importSpec finds relative module specifiers in static imports
// (import x from './a.js', import './a.js', export * from './a.js'), dynamic
// ones (import('./a.js')) and a module worker's script
// (new Worker(new URL('./a.js', import.meta.url))). Our modules keep to
// these forms.
var importSpec = regexp.MustCompile(`(?:\bfrom|\bimport|\bnew URL)\s*\(?\s*['"](\.\.?/[^'"\s]+)['"]`)

// rewriteImports replaces each relative specifier in module name with the
// imported module's hashed URL.
func (h *hasher) rewriteImports(name string, body []byte) ([]byte, error) {
	var out bytes.Buffer
	last := 0
	for _, m := range importSpec.FindAllSubmatchIndex(body, -1) {
		start, end := m[2], m[3]
		dep := path.Join(path.Dir(name), string(body[start:end]))
		if _, ok := h.raw[dep]; !ok {
			return nil, fmt.Errorf("module %s: import %q: no such file", name, body[start:end])
		}
		if err := h.add(dep); err != nil {
			return nil, fmt.Errorf("module %s: %w", name, err)
		}
		out.Write(body[last:start])
		out.WriteString(h.paths[dep])
		last = end
	}
	out.Write(body[last:])
	return out.Bytes(), nil
}

// renderPage executes one page template. The templates call {{asset "name"}}
// for a file's hashed URL; an unknown name fails the build.
func renderPage(fsys fs.FS, name string, paths map[string]string) (*file, error) {
	funcs := template.FuncMap{"asset": func(n string) (string, error) {
		u, ok := paths[n]
		if !ok {
			return "", fmt.Errorf("no static file %q", n)
		}
		return u, nil
	}}
	t, err := template.New(name).Funcs(funcs).ParseFS(fsys, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse pages: %w", err)
	}

	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, nil); err != nil {
		return nil, fmt.Errorf("render page %s: %w", name, err)
	}
	f := newFile(b.Bytes(), contentTypes[".html"], cacheRevalid)
	f.page = true
	return f, nil
}

// renderWorker prepends the cache version and the list of files to precache
// to worker/sw.js. The version is a hash of every precached URL and its
// content, so any change to the shell installs a new worker and a new cache.
func renderWorker(fsys fs.FS, shell map[string]*file) (*file, error) {
	src, err := fs.ReadFile(fsys, "worker/sw.js")
	if err != nil {
		return nil, fmt.Errorf("read service worker: %w", err)
	}

	urls := slices.Sorted(maps.Keys(shell))
	var sums bytes.Buffer
	for _, u := range urls {
		fmt.Fprintf(&sums, "%s %s\n", u, shell[u].etag)
	}
	list, err := json.MarshalIndent(urls, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode precache list: %w", err)
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "const VERSION = %q;\nconst SHELL = %s;\n\n", digest(sums.Bytes(), 12), list)
	b.Write(src)
	return newFile(b.Bytes(), contentTypes[".js"], cacheRevalid), nil
}
