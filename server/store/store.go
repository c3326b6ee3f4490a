// Package store keeps Shipshape's state in SQLite and is the only package with
// SQL. Every public method owns its transaction; helpers take the transaction.
// Writes go through one connection (SQLite has one writer), reads through a
// separate read-only pool, so readers never wait for a writer in WAL mode.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/shipshape-oms/shipshape/migrations"
)

// Store is an open Shipshape database.
type Store struct {
	path  string
	write *sql.DB
	read  *sql.DB

	// Now returns the current time; tests replace it.
	Now func() time.Time

	// Zone is the warehouse's time zone, in which a time given without an
	// offset (a ring fence's start, say) is read; time.Local when Open
	// returns.
	Zone *time.Location

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the SQLite database at path, in WAL mode with
// foreign keys on and a busy timeout, and applies any pending migrations. It
// fails if the database was written by a newer Shipshape than this one.
func Open(ctx context.Context, path string) (*Store, error) {
	s := &Store{path: path, Now: time.Now, Zone: time.Local}
	var err error
	if s.write, err = sql.Open("sqlite3", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.write.SetMaxOpenConns(1)
	if err := s.migrate(ctx); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if s.read, err = sql.Open("sqlite3", dsn(path, true)); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.read.SetMaxOpenConns(8)
	return s, nil
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	if readOnly {
		q.Set("_query_only", "true")
	} else {
		// BEGIN IMMEDIATE takes the write lock up front, so a transaction that
		// reads then writes never fails half-way when another process (a CLI
		// import beside the server) writes at the same time.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Close closes the database. It is safe to call more than once; a query
// running at the same time fails with an error rather than racing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = errors.Join(s.read.Close(), s.write.Close())
	})
	return s.closeErr
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// now returns the time to store, RFC 3339 in UTC.
//
// TODO: RFC3339Nano drops trailing zeros of the fraction, so two times in
// the same second do not always sort as text in time order ("05.1Z" after
// "05.12Z"). Queries order by id where order matters; a fixed-width layout
// needs every stored time and every comparison with other layouts moved
// together.
func (s *Store) now() string {
	return s.Now().UTC().Format(time.RFC3339Nano)
}

// tx runs fn in a write transaction, committing if fn returns nil.
//
// TODO: every write is its own transaction and fsync. The architecture calls
// for one writer that applies every waiting command in one transaction (group
// commit), which matters once hundreds of handhelds scan at once; it needs a
// benchmark against this simple form first.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	for _, name := range names {
		num, _, found := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !found || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", name)
		}
		body, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// LatestVersion is the highest schema version this build knows.
func LatestVersion() int {
	ms, err := loadMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var have int
		err := tx.QueryRowContext(ctx,
			`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have)
		if err != nil {
			return fmt.Errorf("migrate: read version: %w", err)
		}
		if latest := ms[len(ms)-1].version; have > latest {
			return fmt.Errorf("schema version %d is newer than this Shipshape knows (%d): "+
				"use a newer shipshape binary", have, latest)
		}
		for _, m := range ms {
			if m.version <= have {
				continue
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migrate: apply %s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?, ?)`,
				m.version, m.name, s.now()); err != nil {
				return fmt.Errorf("migrate: record %s: %w", m.name, err)
			}
		}
		return nil
	})
}

// SchemaVersion returns the database's recorded schema version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// nextSeq increments and returns the named sequence.
func nextSeq(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `INSERT INTO sequences (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`, name).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sequence %s: %w", name, err)
	}
	return v, nil
}

// audit appends one row to the audit trail.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, actor, action, entity, id, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, entity, entity_id, detail)
		VALUES (?, ?, ?, ?, ?, ?)`, s.now(), actor, action, entity, id, detail)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return nil
}

// isConstraint reports whether err is a SQLite constraint violation (CHECK,
// UNIQUE, FOREIGN KEY): the database refusing a change the code should have
// refused first.
func isConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}

// AuditEntry is one row of the audit trail: who did what to which entity,
// when, and the detail of why or how.
type AuditEntry struct {
	At       string `json:"at"`
	Actor    string `json:"actor"`
	Action   string `json:"action"`
	Entity   string `json:"entity"`
	EntityID string `json:"entity_id"`
	Detail   string `json:"detail"`
}

// Audit returns the latest limit entries of the audit trail, newest first,
// only those of one entity kind (and id) when given.
func (s *Store) Audit(ctx context.Context, entity, entityID string, limit int) ([]AuditEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT at, actor, action, entity, entity_id, detail FROM audit
		WHERE (?1 = '' OR entity = ?1) AND (?2 = '' OR entity_id = ?2) ORDER BY id DESC LIMIT ?3`,
		entity, entityID, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var a AuditEntry
		if err := rows.Scan(&a.At, &a.Actor, &a.Action, &a.Entity, &a.EntityID, &a.Detail); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// queryIDs runs a query that selects one integer column and returns its
// values; the rows are closed before it returns, so the caller may query
// again for each id.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
