package store_test

import (
	"database/sql"
	"io/fs"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/London on a machine without a zone database

	"github.com/shipshape-oms/shipshape/migrations"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// TestRingFenceLocalTimes: a time without an offset is read in the
// warehouse's zone, across both changes of the clocks in Europe/London.
func TestRingFenceLocalTimes(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	f.st.Zone = london
	f.catalog(stocked("MUG", "A-01-01"))
	f.channel(store.Channel{ID: "webshop"})
	tests := []struct {
		name, in, want, err string
	}{
		{"winter", "2026-12-05T08:00", "2026-12-05T08:00:00Z", ""},
		{"space and seconds", "2026-12-05 08:00:30", "2026-12-05T08:00:30Z", ""},
		{"summer", "2026-07-01 08:00", "2026-07-01T07:00:00Z", ""},
		{"offset wins", "2026-07-01T08:00:00Z", "2026-07-01T08:00:00Z", ""},
		{"before spring forward", "2027-03-28T00:30", "2027-03-28T00:30:00Z", ""},
		{"skipped hour", "2027-03-28T01:30", "", `"2027-03-28T01:30" does not exist in Europe/London`},
		{"after spring forward", "2027-03-28T02:30", "2027-03-28T01:30:00Z", ""},
		{"before fall back", "2026-10-25T00:30", "2026-10-24T23:30:00Z", ""},
		{"repeated hour", "2026-10-25 01:30", "", "happens twice in Europe/London (the clocks go back " +
			"then): give it with an offset, +01:00 or +00:00"},
		{"repeated hour with offset", "2026-10-25T01:30:00+00:00", "2026-10-25T01:30:00Z", ""},
		{"after fall back", "2026-10-25T02:00", "2026-10-25T02:00:00Z", ""},
		{"date only", "2026-10-25", "", "nor a local time such as 2026-12-05T08:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fence, err := f.st.AddRingFence(f.ctx, "test", store.RingFenceInput{SKU: "MUG",
				ChannelID: "webshop", Qty: 1, StartsAt: tc.in})
			if tc.err != "" {
				wantErr(t, err, oms.EInvalid, "starts_at: ", tc.err)
				return
			}
			if err != nil || fence.StartsAt != tc.want {
				t.Errorf("starts_at %q stored as %q, %v; want %q", tc.in, fence.StartsAt, err, tc.want)
			}
		})
	}
}

// TestRingFenceEndAcrossClockChange: a fence from Saturday 18:00 to Sunday
// 18:00 local over the autumn change lasts 25 hours.
func TestRingFenceEndAcrossClockChange(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	f.st.Zone = london
	f.catalog(stocked("MUG", "A-01-01"))
	f.channel(store.Channel{ID: "webshop"})
	fence, err := f.st.AddRingFence(f.ctx, "test", store.RingFenceInput{SKU: "MUG", ChannelID: "webshop",
		Qty: 2, StartsAt: "2026-10-24 18:00", EndsAt: "2026-10-25 18:00"})
	if err != nil || fence.StartsAt != "2026-10-24T17:00:00Z" || fence.EndsAt == nil ||
		*fence.EndsAt != "2026-10-25T18:00:00Z" {
		t.Fatalf("fence %+v, %v", fence, err)
	}
}

// TestMigrationKeepsOrders: a database at version 5 with orders, lines,
// stock and a pick task is upgraded; every row keeps its id and the
// references stay whole.
func TestMigrationKeepsOrders(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	f.stock(row("MUG", "A-01-01", 5))
	f.order("W-1", line("MUG", 2))
	f.order("W-2", line("MUG", 1))
	f.task("ann")
	f.st.Close()

	// An old database: the same rows under the schema of version 5.
	old := rawDB(t, f.path+".old")
	names, err := fs.Glob(migrations.FS, "000[1-5]_*.sql")
	if err != nil || len(names) != 5 {
		t.Fatalf("migrations 1-5: %v, %v", names, err)
	}
	exec(t, old, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL)`)
	for i, name := range names {
		body, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		exec(t, old, string(body))
		exec(t, old, `INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')`, i+1, name)
	}
	exec(t, old, `ATTACH DATABASE ? AS cur`, f.path)
	for _, table := range []string{"products", "bins", "channels", "stock", "movements", "orders",
		"order_lines", "allocations", "pick_tasks", "pick_lines", "audit"} {
		cols := "*"
		switch table { // columns the version 8 schema added
		case "stock":
			cols = "product_id, bin_id, on_hand, allocated"
		case "allocations":
			cols = "id, order_line_id, product_id, bin_id, qty"
		}
		exec(t, old, `INSERT INTO main.`+table+` SELECT `+cols+` FROM cur.`+table)
	}
	exec(t, old, `DETACH DATABASE cur`)
	before := dump(t, old, "orders", "order_lines", "pick_tasks")
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(f.ctx, f.path+".old")
	if err != nil {
		t.Fatalf("open version 5 database: %v", err)
	}
	defer st.Close()
	db := rawDB(t, f.path+".old")
	if after := dump(t, db, "orders", "order_lines", "pick_tasks"); after != before {
		t.Errorf("migration changed orders:\n%s\nwant:\n%s", after, before)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("%d foreign key violations after the migration", n)
	}
	res, err := st.CancelOrder(f.ctx, "sam", "SO-000002", "test")
	if err != nil || res.Order.Status != store.StatusCancelled {
		t.Errorf("cancel after migration: %+v, %v", res, err)
	}
	var sqlText string
	if err := db.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'orders'`).Scan(&sqlText); err != nil ||
		!strings.Contains(sqlText, "'cancelled'") {
		t.Errorf("orders schema %q, %v", sqlText, err)
	}
}

func exec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%.60s: %v", query, err)
	}
}
