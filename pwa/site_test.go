package pwa

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// testFS is the smallest tree buildSite accepts: the four pages, the icons
// the manifest names, a worker and two modules, one importing the other.
func testFS() fstest.MapFS {
	fsys := fstest.MapFS{
		"worker/sw.js":     {Data: []byte("self.addEventListener('fetch', () => {});\n")},
		"static/js/dep.js": {Data: []byte("export const answer = 42;\n")},
		"static/js/main.js": {
			Data: []byte("import { answer } from './dep.js';\nconsole.log(answer);\n"),
		},
		"static/js/other.js":            {Data: []byte("export {};\n")},
		"static/icons/icon-192.png":     {Data: []byte("a")},
		"static/icons/icon-512.png":     {Data: []byte("b")},
		"static/icons/maskable-192.png": {Data: []byte("c")},
		"static/icons/maskable-512.png": {Data: []byte("d")},
	}
	for _, name := range pages {
		fsys["pages/"+name] = &fstest.MapFile{
			Data: []byte(`<script type="module" src="{{asset "js/main.js"}}"></script>`),
		}
	}
	return fsys
}

var versionLine = regexp.MustCompile(`const VERSION = "([0-9a-f]+)";`)

// build builds a site and returns it with its service worker's version.
func build(t *testing.T, fsys fstest.MapFS) (*site, string) {
	t.Helper()
	s, err := buildSite(fsys)
	if err != nil {
		t.Fatalf("buildSite: %v", err)
	}
	worker := s.files[workerURL]
	m := versionLine.FindSubmatch(worker.body)
	if m == nil {
		t.Fatalf("worker has no VERSION:\n%s", worker.body)
	}
	return s, string(m[1])
}

func TestImportsAreRewritten(t *testing.T) {
	s, _ := build(t, testFS())
	main := string(s.files[s.paths["js/main.js"]].body)
	want := "import { answer } from '" + s.paths["js/dep.js"] + "';"
	if !strings.Contains(main, want) {
		t.Errorf("main.js is\n%s\nwant it to contain %s", main, want)
	}
}

func TestChangeRenamesImportersAndWorker(t *testing.T) {
	before, v1 := build(t, testFS())

	changed := testFS()
	changed["static/js/dep.js"] = &fstest.MapFile{Data: []byte("export const answer = 43;\n")}
	after, v2 := build(t, changed)

	tests := []struct {
		name    string
		renamed bool
	}{
		{"js/dep.js", true},
		{"js/main.js", true}, // it imports dep.js by its hashed name
		{"js/other.js", false},
		{"icons/icon-192.png", false},
	}
	for _, tt := range tests {
		if got := before.paths[tt.name] != after.paths[tt.name]; got != tt.renamed {
			t.Errorf("%s: renamed %v, want %v (%s, then %s)",
				tt.name, got, tt.renamed, before.paths[tt.name], after.paths[tt.name])
		}
	}
	if v1 == v2 {
		t.Errorf("worker version stayed %s after a module changed", v1)
	}

	_, again := build(t, testFS())
	if again != v1 {
		t.Errorf("worker version %s, then %s for the same files", v1, again)
	}
}

func TestPageChangeRenewsWorker(t *testing.T) {
	_, v1 := build(t, testFS())
	changed := testFS()
	changed["pages/pick.html"] = &fstest.MapFile{Data: []byte(`<p>new</p>`)}
	_, v2 := build(t, changed)
	if v1 == v2 {
		t.Errorf("worker version stayed %s after a page changed", v1)
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		content string
		wantErr string
	}{
		{"missing import", "static/js/main.js", "import './gone.js';", `import "./gone.js": no such file`},
		{"import cycle", "static/js/dep.js", "import './main.js';", "import cycle"},
		{"unknown type", "static/data.bin", "x", `unknown type ".bin"`},
		{"missing asset in page", "pages/pack.html", `{{asset "js/gone.js"}}`, `no static file "js/gone.js"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testFS()
			fsys[tt.path] = &fstest.MapFile{Data: []byte(tt.content)}
			_, err := buildSite(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("buildSite error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
