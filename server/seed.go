package server

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/shipshape-oms/shipshape/demo"
	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/store"
)

// SeedDemo loads the demo warehouse (catalogue, stock, orders) when the
// database has no products yet, and does nothing otherwise.
func SeedDemo(ctx context.Context, st *store.Store, log *slog.Logger) error {
	empty, err := st.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	f, err := demo.Files.Open("catalog.csv")
	if err != nil {
		return fmt.Errorf("demo catalogue: %w", err)
	}
	defer f.Close()
	products, err := imports.Catalog(f)
	if err != nil {
		return fmt.Errorf("demo catalogue: %w", err)
	}
	if _, err := st.ImportCatalog(ctx, "demo", products); err != nil {
		return fmt.Errorf("demo catalogue: %w", err)
	}
	sf, err := demo.Files.Open("stock.csv")
	if err != nil {
		return fmt.Errorf("demo stock: %w", err)
	}
	defer sf.Close()
	rows, err := imports.Stock(sf)
	if err != nil {
		return fmt.Errorf("demo stock: %w", err)
	}
	if _, err := st.ImportStock(ctx, "demo", rows); err != nil {
		return fmt.Errorf("demo stock: %w", err)
	}
	of, err := demo.Files.Open("orders.tsv")
	if err != nil {
		return fmt.Errorf("demo orders: %w", err)
	}
	defer of.Close()
	orders, err := imports.Orders(of)
	if err != nil {
		return fmt.Errorf("demo orders: %w", err)
	}
	res, err := st.ImportOrders(ctx, "demo", orders)
	if err != nil {
		return fmt.Errorf("demo orders: %w", err)
	}
	log.Info("demo warehouse seeded", "products", len(products), "stock_rows", len(rows),
		"orders", res.Created, "allocated", res.Allocated)
	return nil
}
