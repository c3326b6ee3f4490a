package printer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSpoolPrint(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool", "station-1") // not there yet
	s := NewSpool(dir)
	job := []byte("\xef\xbb\xbf^XA^CI28\r\n^FH_^FDZoë_5E^FS^XZ")

	if err := s.Print(context.Background(), "job-42", job); err != nil {
		t.Fatal(err)
	}

	assertDir(t, dir, "job-42.zpl")
	path := filepath.Join(dir, "job-42.zpl")
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(job) {
		t.Fatalf("file holds %q, %v; want %q", got, err, job)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("file mode = %v, %v; want 0644", info.Mode(), err)
	}
	if got, want := s.String(), "spool "+dir; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

func TestSpoolReprintReplaces(t *testing.T) {
	dir := t.TempDir()
	s := NewSpool(dir)
	for _, data := range []string{"^XA^FDfirst, longer^FS^XZ", "^XA^FDsecond^FS^XZ"} {
		if err := s.Print(context.Background(), "job-1", []byte(data)); err != nil {
			t.Fatal(err)
		}
	}

	assertDir(t, dir, "job-1.zpl")
	got, err := os.ReadFile(filepath.Join(dir, "job-1.zpl"))
	if err != nil || string(got) != "^XA^FDsecond^FS^XZ" {
		t.Fatalf("file holds %q, %v; want the second job", got, err)
	}
}

func TestSpoolBadJobID(t *testing.T) {
	tests := []struct {
		name string
		id   string
	}{
		{name: "empty", id: ""},
		{name: "parent directory", id: "../escape"},
		{name: "dot dot alone", id: ".."},
		{name: "dot dot inside", id: "job..1"},
		{name: "subdirectory", id: "a/b"},
		{name: "backslash", id: `a\b`},
		{name: "absolute", id: "/etc/passwd"},
		{name: "hidden like a temporary file", id: ".job"},
		{name: "NUL", id: "job\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "spool")

			err := NewSpool(dir).Print(context.Background(), tt.id, []byte("^XA^XZ"))
			if !errors.Is(err, ErrBadJobID) {
				t.Fatalf("err = %v, want ErrBadJobID", err)
			}
			assertDir(t, root) // nothing written, not even the spool directory
		})
	}
}

func TestSpoolCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	err := NewSpool(dir).Print(ctx, "job-1", []byte("^XA^XZ"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	assertDir(t, dir)
}

// TestSpoolFailureLeavesNoFile makes the final rename fail: the temporary
// file must not be left behind.
func TestSpoolFailureLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "job-1.zpl"), 0o755); err != nil {
		t.Fatal(err)
	}

	err := NewSpool(dir).Print(context.Background(), "job-1", []byte("^XA^XZ"))
	if err == nil {
		t.Fatal("Print over a directory: no error")
	}
	assertDir(t, dir, "job-1.zpl")
}

// assertDir fails unless dir holds exactly the named entries.
func assertDir(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s holds %q, want %q", dir, got, want)
	}
}
