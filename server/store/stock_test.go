package store_test

import (
	"errors"
	"testing"

	"github.com/mattn/go-sqlite3"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// stockedWithOrder is a fixture with MUG: 5 on hand in A-01-01, 3 of them
// allocated to order SO-000001, and GIFT, a product that is not stocked.
func stockedWithOrder(t *testing.T) *fixture {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"), oms.Product{SKU: "GIFT", Title: "Gift card"})
	f.stock(row("MUG", "A-01-01", 5))
	f.order("W-1", line("MUG", 3))
	f.wantStock("MUG", "A-01-01", 5, 3)
	return f
}

func TestImportStockRefusedChangesNothing(t *testing.T) {
	tests := []struct {
		name string
		rows []oms.StockRow
		want []string
	}{
		{"unknown SKU", []oms.StockRow{row("MUG", "A-01-02", 7), row("NOPE", "A-01-01", 1)},
			[]string{"row 3", `"NOPE"`, "not in the catalogue"}},
		{"SKU not stocked", []oms.StockRow{row("MUG", "A-01-01", 9), row("GIFT", "B-01-01", 1)},
			[]string{"row 3", `"GIFT"`, "not a stock item"}},
		{"below what is allocated", []oms.StockRow{row("MUG", "A-01-01", 2)},
			[]string{"row 2", "qty 2", `"MUG"`, "A-01-01", "3 already allocated"}},
		{"negative", []oms.StockRow{row("MUG", "A-01-02", 4), row("MUG", "B-01-01", -1)},
			[]string{"row 3", "-1", `"MUG"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := stockedWithOrder(t)
			db := f.raw()
			before := dump(t, db, tables...)

			_, err := f.st.ImportStock(f.ctx, "test", tt.rows)
			wantErr(t, err, oms.EInvalid, tt.want...)
			if after := dump(t, db, tables...); after != before {
				t.Errorf("a refused import changed the database:\n%s\nwant:\n%s", after, before)
			}
		})
	}
}

func TestImportStockCounts(t *testing.T) {
	f := newFixture(t)
	f.catalog(stocked("MUG", "A-01-01"))
	res := f.stock(row("MUG", "A-01-01", 4), row("MUG", "B-02-01", 1))
	// A-01-01 has a stock row from the catalogue's default bin; B-02-01 is new.
	if res != (store.ImportResult{Created: 1, Updated: 1}) {
		t.Errorf("first stock import: %+v, want 1 created, 1 updated", res)
	}
	res = f.stock(row("MUG", "A-01-01", 4), row("MUG", "B-02-01", 0))
	if res != (store.ImportResult{Updated: 1, Unchanged: 1}) {
		t.Errorf("second stock import: %+v, want 1 updated, 1 unchanged", res)
	}
	f.wantStock("MUG", "A-01-01", 4, 0)
	f.wantStock("MUG", "B-02-01", 0, 0)
	if n := count(t, f.raw(), `SELECT COUNT(*) FROM audit WHERE action = 'stock.set'`); n != 3 {
		t.Errorf("%d stock.set audit rows, want 3 (one per change)", n)
	}
}

func TestImportStockDownToAllocated(t *testing.T) {
	f := stockedWithOrder(t)
	f.stock(row("MUG", "A-01-01", 3))
	f.wantStock("MUG", "A-01-01", 3, 3)
}

// TestDatabaseRefusesBadRows goes around the store with raw SQL on a
// separate connection: the schema itself must refuse impossible states.
func TestDatabaseRefusesBadRows(t *testing.T) {
	f := stockedWithOrder(t)
	f.task("ann")
	db := f.raw()
	tests := []struct {
		name string
		sql  string
	}{
		{"negative on hand", `UPDATE stock SET on_hand = -1, allocated = 0`},
		{"allocated above on hand", `UPDATE stock SET allocated = on_hand + 1`},
		{"negative allocated", `UPDATE stock SET allocated = -1`},
		{"verified above qty", `UPDATE order_lines SET verified = qty + 1`},
		{"picked and short above qty", `UPDATE pick_lines SET picked = qty, short = 1`},
		{"unknown order status", `UPDATE orders SET status = 'lost'`},
		{"stock of a missing product", `INSERT INTO stock (product_id, bin_id, on_hand) VALUES (999, 1, 1)`},
		{"audit row changed", `UPDATE audit SET actor = 'someone else'`},
		{"audit row deleted", `DELETE FROM audit`},
	}
	before := dump(t, db, tables...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.Exec(`PRAGMA foreign_keys = ON`); err != nil {
				t.Fatal(err)
			}
			_, err := db.Exec(tt.sql)
			var se sqlite3.Error
			if !errors.As(err, &se) || se.Code != sqlite3.ErrConstraint {
				t.Errorf("%s: err = %v, want a constraint error", tt.sql, err)
			}
		})
	}
	if after := dump(t, db, tables...); after != before {
		t.Errorf("refused statements changed the database:\n%s\nwant:\n%s", after, before)
	}
}
