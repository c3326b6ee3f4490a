package store_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/store"
)

func TestOpenFreshDatabase(t *testing.T) {
	f := newFixture(t)

	latest := store.LatestVersion()
	if latest < 1 {
		t.Fatalf("LatestVersion() = %d, want at least 1", latest)
	}
	v, err := f.st.SchemaVersion(f.ctx)
	if err != nil || v != latest {
		t.Fatalf("SchemaVersion() = %d, %v; want %d", v, err, latest)
	}
	db := f.raw()
	if n := count(t, db, `SELECT COUNT(*) FROM schema_migrations`); n != latest {
		t.Errorf("schema_migrations has %d rows, want %d", n, latest)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'stock'`); n != 1 {
		t.Errorf("table stock exists %d times, want 1", n)
	}
	empty, err := f.st.IsEmpty(f.ctx)
	if err != nil || !empty {
		t.Errorf("IsEmpty() = %v, %v; want true", empty, err)
	}
}

func TestReopenIsNoOp(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	before := schemaDump(t, f.path)

	st, err := store.Open(f.ctx, f.path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	v, err := st.SchemaVersion(f.ctx)
	if err != nil || v != store.LatestVersion() {
		t.Errorf("SchemaVersion() after reopen = %d, %v; want %d", v, err, store.LatestVersion())
	}
	if _, err := st.ProductBySKU(f.ctx, "MUG"); err != nil {
		t.Errorf("product stored before reopening: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if after := schemaDump(t, f.path); after != before {
		t.Errorf("reopening changed the schema or its migrations:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// schemaDump returns the schema and the recorded migrations, times included.
func schemaDump(t *testing.T, path string) string {
	t.Helper()
	db := rawDB(t, path)
	defer db.Close()
	return dump(t, db, "sqlite_schema", "schema_migrations")
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	f := newFixture(t)
	f.st.Close()
	latest := store.LatestVersion()
	newer := latest + 41
	db := f.raw()
	if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, '0042_future.sql', '2030-01-01T00:00:00Z')`,
		newer); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db, "schema_migrations")

	st, err := store.Open(f.ctx, f.path)
	if err == nil {
		st.Close()
		t.Fatal("Open accepted a database with a newer schema")
	}
	for _, want := range []string{fmt.Sprintf("schema version %d", newer), fmt.Sprintf("(%d)", latest),
		filepath.Base(f.path)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if st != nil {
		t.Errorf("Open returned a store with its error")
	}
	if after := dump(t, db, "schema_migrations"); after != before {
		t.Errorf("refused Open changed schema_migrations:\n%s\nwant:\n%s", after, before)
	}
}

func TestDatabaseIsInWALMode(t *testing.T) {
	f := newFixture(t)
	var mode string
	if err := f.raw().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}
