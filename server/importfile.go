package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/shipshape-oms/shipshape/demo"
	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// ImportKinds are the kinds of file Import reads.
var ImportKinds = []string{"catalog", "stock", "orders"}

// Import parses a catalogue, stock or orders file and stores it in one
// transaction: a file with any bad row stores nothing and the error names
// the row, column and value. actor is recorded in the audit trail.
func Import(ctx context.Context, st *store.Store, kind, actor string, r io.Reader) (store.ImportResult, error) {
	var none store.ImportResult
	switch kind {
	case "catalog":
		ps, err := imports.Catalog(r)
		if err != nil {
			return none, err
		}
		return st.ImportCatalog(ctx, actor, ps)
	case "stock":
		rows, err := imports.Stock(r)
		if err != nil {
			return none, err
		}
		return st.ImportStock(ctx, actor, rows)
	case "orders":
		orders, err := imports.Orders(r)
		if err != nil {
			return none, err
		}
		return st.ImportOrders(ctx, actor, orders)
	default:
		return none, fmt.Errorf("unknown import kind %q: want catalog, stock or orders", kind)
	}
}

// SeedDemo loads the demo warehouse (catalogue, stock, orders) when the
// database has no products yet, and does nothing otherwise.
func SeedDemo(ctx context.Context, st *store.Store, log *slog.Logger) error {
	empty, err := st.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	if _, err := st.SetWarehouse(ctx, "demo", demoWarehouse); err != nil {
		return fmt.Errorf("demo warehouse: %w", err)
	}
	if err := SeedDemoServices(ctx, st); err != nil {
		return fmt.Errorf("demo courier services: %w", err)
	}
	files := map[string]string{"catalog": "catalog.csv", "stock": "stock.csv", "orders": "orders.tsv"}
	var orders store.ImportResult
	for _, kind := range ImportKinds {
		if orders, err = seedFile(ctx, st, kind, files[kind]); err != nil {
			return err
		}
	}
	log.Info("demo warehouse seeded", "orders", orders.Created, "allocated", orders.Allocated)
	return nil
}

// demoWarehouse is the demo's fictional sender address.
var demoWarehouse = oms.Address{Name: "Shipshape Demo Warehouse", Line1: "1 Dock Road",
	City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}

func seedFile(ctx context.Context, st *store.Store, kind, name string) (store.ImportResult, error) {
	f, err := demo.Files.Open(name)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("demo %s: %w", kind, err)
	}
	defer f.Close()
	res, err := Import(ctx, st, kind, "demo", f)
	if err != nil {
		return res, fmt.Errorf("demo %s: %w", kind, err)
	}
	return res, nil
}
