package server_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/shipshape-oms/shipshape/demo"
	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/store"
)

// TestSeedDemo loads the shipped demo warehouse into an empty database: every
// stock item gets a bin and a quantity, and the demo orders are allocated.
// Seeding a database that already has products changes nothing.
func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := server.SeedDemo(ctx, st, log); err != nil {
		t.Fatal(err)
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts != (store.Counts{Waiting: 5}) {
		t.Errorf("counts after seeding = %+v, want 5 waiting", counts)
	}
	orders, err := st.ListOrders(ctx, store.StatusAllocated, 100)
	if err != nil || len(orders) != 5 {
		t.Fatalf("allocated orders: %d, %v", len(orders), err)
	}

	p, err := st.ProductBySKU(ctx, "918223582")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Stock) != 1 || p.Stock[0].Bin != "A-01-01" || p.Stock[0].OnHand != 200 || p.Stock[0].Allocated != 1 {
		t.Errorf("stock of 918223582 = %+v", p.Stock)
	}
	if len(p.Barcodes) != 1 || p.Barcodes[0] != "09520001000010" {
		t.Errorf("barcodes of 918223582 = %v", p.Barcodes)
	}
	noGTIN, err := st.ProductBySKU(ctx, "328223580")
	if err != nil {
		t.Fatal(err)
	}
	if len(noGTIN.Barcodes) != 1 || noGTIN.Barcodes[0][:4] != "0200" {
		t.Errorf("internal barcode of 328223580 = %v", noGTIN.Barcodes)
	}

	f, err := demo.Files.Open("catalog.csv")
	if err != nil {
		t.Fatal(err)
	}
	products, err := imports.Catalog(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range products {
		p, err := st.ProductBySKU(ctx, want.SKU)
		if err != nil || len(p.Stock) != 1 || p.Stock[0].Bin != want.Bin || p.Stock[0].OnHand < 1 {
			t.Errorf("demo product %s: stock %+v, err %v; want some in bin %s", want.SKU, p, err, want.Bin)
		}
	}

	if err := server.SeedDemo(ctx, st, log); err != nil {
		t.Fatal(err)
	}
	again, _ := st.ListOrders(ctx, "", 100)
	if len(again) != 5 {
		t.Errorf("second seed: %d orders, want 5", len(again))
	}
}
