package imports

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/shipshape-oms/shipshape/server/oms"
)

func TestCatalog(t *testing.T) {
	woo, err := os.ReadFile(wooSample)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		input  string
		skus   int    // products wanted
		stock  bool   // whether the first product is Stocked
		errMsg string // wanted instead, when not ""
	}{
		{name: "woocommerce", input: string(woo), skus: 25, stock: false},
		{name: "woocommerce from windows", input: windows(string(woo)), skus: 25, stock: false},
		{name: "shipshape", input: "sku,title,price,barcodes,bin\nA,Apple,1,,\nB,Pear,,,\n", skus: 2, stock: true},
		{name: "stock file", input: "sku,bin,qty\nA,B,1\n", errMsg: "unknown catalogue format: " +
			`expected a WooCommerce product CSV (columns "Type", "SKU" and "Name") or a Shipshape ` +
			`catalogue CSV (columns "sku", "title", "price", "barcodes" and "bin")`},
		{name: "shipshape without bin", input: "sku,title,price,barcodes\nA,Apple,1,\n",
			errMsg: `missing column "bin"; the header needs "sku", "title", "price", "barcodes" and "bin"`},
		{name: "woocommerce with bad row", input: "Type,SKU,Name\nsimple,,Apple\n",
			errMsg: `row 2, column "SKU": required for a stocked product (type "simple")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := Catalog(strings.NewReader(tt.input))
			if tt.errMsg != "" {
				wantInvalid(t, err, tt.errMsg)
				return
			}
			if err != nil {
				t.Fatalf("Catalog: %v", err)
			}
			if len(ps) != tt.skus || ps[0].Stocked != tt.stock {
				t.Errorf("got %d products, first stocked %v; want %d, %v",
					len(ps), ps[0].Stocked, tt.skus, tt.stock)
			}
		})
	}
}

func TestOrders(t *testing.T) {
	flat, err := os.ReadFile(amzFlatFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := AmazonOrders(strings.NewReader(string(flat)))
	if err != nil {
		t.Fatal(err)
	}

	got, err := Orders(strings.NewReader(windows(string(flat))))
	if err != nil {
		t.Fatalf("Orders: %v", err)
	}
	if !reflect.DeepEqual(orderIDs(got), orderIDs(want)) || !reflect.DeepEqual(got[1].Lines, want[1].Lines) {
		t.Errorf("Orders = %+v\nwant %+v", got, want)
	}

	const unknown = "unknown order file format: " +
		`expected an Amazon order report (tab-separated, with columns "order-id" and "sku")`
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", "", unknown},
		{"comma separated", "order-id,sku,quantity-purchased\n1,A,1\n", unknown},
		{"tabs without sku", "order-id\tproduct\n1\tA\n", unknown},
		{"amazon with bad row", "\n" + strings.Replace(string(flat), "\tUS\t", "\tUSA\t", 1),
			`row 3, column "ship-country": "USA" is not a 2-letter ISO country code`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orders, err := Orders(strings.NewReader(tt.input))
			if orders != nil {
				t.Errorf("got %d orders with the error", len(orders))
			}
			wantInvalid(t, err, tt.want)
		})
	}
}

func TestReadErrorIsNotInvalid(t *testing.T) {
	boom := errors.New("disk on fire")
	tests := []struct {
		name  string
		parse func(io.Reader) error
	}{
		{"Catalog", func(r io.Reader) error { _, err := Catalog(r); return err }},
		{"WooCommerceCatalog", func(r io.Reader) error { _, err := WooCommerceCatalog(r); return err }},
		{"ShipshapeCatalog", func(r io.Reader) error { _, err := ShipshapeCatalog(r); return err }},
		{"Stock", func(r io.Reader) error { _, err := Stock(r); return err }},
		{"AmazonOrders", func(r io.Reader) error { _, err := AmazonOrders(r); return err }},
		{"Orders", func(r io.Reader) error { _, err := Orders(r); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse(iotest.ErrReader(boom))
			if !errors.Is(err, boom) || oms.ErrorCode(err) != oms.EInternal {
				t.Errorf("error = %v (code %q), want %v wrapped, code internal",
					err, oms.ErrorCode(err), boom)
			}
		})
	}
}
