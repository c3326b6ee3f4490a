package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

func TestCheck(t *testing.T) {
	ctx := t.Context()
	db := filepath.Join(t.TempDir(), "shipshape.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.ImportCatalog(ctx, "test", []oms.Product{{SKU: "MUG", Title: "Mug", Stocked: true, Bin: "A-01-01"}})
	if err == nil {
		_, err = st.ImportStock(ctx, "test", []oms.StockRow{{SKU: "MUG", Bin: "A-01-01", Qty: 5},
			{SKU: "MUG", Bin: "B-01-01", Qty: 2}})
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := Run(context.Background(), []string{"check", "--db", db}, &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("check of a clean database: %v", err)
	}
	if got := out.String(); got != "ok: 2 stock rows match their movements\n" {
		t.Errorf("check printed %q", got)
	}

	err = Run(context.Background(), []string{"check", "--db", db + ".typo"}, &out, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("check of a missing database: %v", err)
	}
	if _, statErr := os.Stat(db + ".typo"); statErr == nil {
		t.Errorf("check created %s.typo", db)
	}

	raw, err := sql.Open("sqlite3", "file:"+db+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE stock SET on_hand = 9 WHERE bin_id = (SELECT id FROM bins WHERE code = 'B-01-01')`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = Run(context.Background(), []string{"check", "--db", db}, &out, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "1 stock balances do not match") {
		t.Errorf("check of a corrupted database: %v, want an error (exit 1)", err)
	}
	if got := out.String(); got != "MUG in B-01-01: on hand 9, movements sum to 2\n" {
		t.Errorf("check printed %q", got)
	}
}
