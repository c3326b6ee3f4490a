package store

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// TestConnectionsEnforceForeignKeys checks what the store's connections
// really do: foreign_keys is a per-connection setting, so it is read on
// several connections of each pool and on a separate connection opened with
// the store's settings, and then broken on purpose.
func TestConnectionsEnforceForeignKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shipshape.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	separate, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer separate.Close()

	pools := []struct {
		name  string
		db    *sql.DB
		conns int
	}{
		{"write pool", s.write, 1},
		{"read pool", s.read, 3},
		{"separate connection", separate, 1},
	}
	for _, p := range pools {
		t.Run(p.name, func(t *testing.T) {
			for i := range p.conns {
				conn, err := p.db.Conn(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close() // held, so the next Conn is another connection
				var fk int
				var mode string
				if err := conn.QueryRowContext(t.Context(), `PRAGMA foreign_keys`).Scan(&fk); err != nil {
					t.Fatal(err)
				}
				if err := conn.QueryRowContext(t.Context(), `PRAGMA journal_mode`).Scan(&mode); err != nil {
					t.Fatal(err)
				}
				if fk != 1 || mode != "wal" {
					t.Errorf("connection %d: foreign_keys = %d, journal_mode = %q; want 1, wal", i, fk, mode)
				}
			}
		})
	}

	_, err = s.write.ExecContext(t.Context(),
		`INSERT INTO barcodes (code, product_id, kind) VALUES ('00000000000017', 999, 'other')`)
	var se sqlite3.Error
	if !errors.As(err, &se) || se.ExtendedCode != sqlite3.ErrConstraintForeignKey {
		t.Errorf("barcode of a missing product: err = %v, want a foreign key constraint error", err)
	}
	if !isConstraint(err) {
		t.Errorf("isConstraint(%v) = false", err)
	}
}

func TestReadPoolCannotWrite(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "shipshape.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.read.ExecContext(t.Context(), `INSERT INTO bins (code) VALUES ('A-01-01')`)
	if err == nil {
		t.Fatal("the read-only pool wrote a row")
	}
	var n int
	if err := s.write.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM bins`).Scan(&n); err != nil || n != 0 {
		t.Errorf("bins = %d, %v; want 0", n, err)
	}
}
