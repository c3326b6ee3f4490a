package imports

import (
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// productRows returns the Row of each product.
func productRows(ps []oms.Product) []int {
	rows := make([]int, len(ps))
	for i, p := range ps {
		rows[i] = p.Row
	}
	return rows
}

// stockRowNumbers returns the Row of each stock row.
func stockRowNumbers(rs []oms.StockRow) []int {
	rows := make([]int, len(rs))
	for i, r := range rs {
		rows[i] = r.Row
	}
	return rows
}

func TestRowNumbers(t *testing.T) {
	tests := []struct {
		name  string
		parse func(input string) ([]int, error)
		input string
		want  []int
	}{
		{
			name: "shipshape catalogue",
			parse: func(in string) ([]int, error) {
				ps, err := ShipshapeCatalog(strings.NewReader(in))
				return productRows(ps), err
			},
			input: "sku,title,price,barcodes,bin,description\n" + // 1
				"\n" + // 2
				"A,Apple,1,,,\"Crisp\n" + // 3
				"and red\"\n" + // 4
				"\n" + // 5
				",,,,,\n" + // 6: all blank, skipped
				"B,Pear,,,,one line\n" + // 7
				"C,Plum,,,,\"\"\"Quoted\"\"\n" + // 8
				"\n" + // 9: inside the quotes
				"three lines\"\n", // 10
			want: []int{3, 7, 8},
		},
		{
			name: "header after a blank line",
			parse: func(in string) ([]int, error) {
				ps, err := Catalog(strings.NewReader(in))
				return productRows(ps), err
			},
			input: "\nsku,title,price,barcodes,bin\nA,Apple,1,,\n",
			want:  []int{3},
		},
		{
			name: "stock",
			parse: func(in string) ([]int, error) {
				rs, err := Stock(strings.NewReader(in))
				return stockRowNumbers(rs), err
			},
			input: "sku,bin,qty,note\n" + // 1
				"A,B-1,1,\"counted\n" + // 2
				"twice\"\n" + // 3
				"\n" + // 4
				"\n" + // 5
				"A,B-2,2,\n", // 6
			want: []int{2, 6},
		},
		{
			name: "woocommerce",
			parse: func(in string) ([]int, error) {
				ps, err := WooCommerceCatalog(strings.NewReader(in))
				return productRows(ps), err
			},
			input: "Type,SKU,Name,Description\n" + // 1
				"\n" + // 2
				"simple,S1,One,\"Line one\n" + // 3
				"\n" + // 4: inside the quotes
				"line three\"\n" + // 5
				"simple,S2,Two,\n" + // 6
				"\n" + // 7
				"variable,,No SKU,\n" + // 8: skipped, nothing can refer to it
				"simple,S3,Three,x\n", // 9
			want: []int{3, 6, 9},
		},
	}
	for _, tt := range tests {
		for name, input := range map[string]string{"unix": tt.input, "windows": windows(tt.input)} {
			t.Run(tt.name+" "+name, func(t *testing.T) {
				got, err := tt.parse(input)
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("rows = %v, want %v", got, tt.want)
				}
			})
		}
	}
}

func TestNotUTF8(t *testing.T) {
	flat, err := os.ReadFile(amzFlatFile)
	if err != nil {
		t.Fatal(err)
	}
	// Latin-1 spellings of "Tw\u00f6" and "Caf\u00e9": one byte per letter.
	amazon := strings.Replace(string(flat), "Test Recipient Two", "Test Recipient Tw\xf6", 1)
	products := func(parse func(io.Reader) ([]oms.Product, error)) func(string) (int, error) {
		return func(in string) (int, error) {
			ps, err := parse(strings.NewReader(in))
			return len(ps), err
		}
	}
	shipshape, catalog, woo := products(ShipshapeCatalog), products(Catalog), products(WooCommerceCatalog)
	stock := func(in string) (int, error) {
		rows, err := Stock(strings.NewReader(in))
		return len(rows), err
	}
	orders := func(in string) (int, error) {
		got, err := Orders(strings.NewReader(in))
		return len(got), err
	}

	const fix = "not valid UTF-8 (save the file as UTF-8)"
	tests := []struct {
		name  string
		parse func(string) (int, error)
		input string
		want  string
	}{
		{"shipshape catalogue", shipshape,
			"sku,title,price,barcodes,bin\nTEA,Tea,1,,\nCAFE,Caf\xe9,2,,\n",
			`row 3, column "title": ` + fix},
		{"column no parser reads", catalog,
			"sku,title,price,barcodes,bin,colour\nA,Apple,1,,,rouge\nB,Pear,1,,,vert p\xe2le\n",
			`row 3, column "colour": ` + fix},
		{"column without a name", shipshape,
			"sku,title,price,barcodes,bin,\nA,Apple,1,,,\xe9\n",
			`row 2, column 6: ` + fix},
		{"header", shipshape,
			"sku,title,price,barcodes,bin,d\xe9tails\nA,Apple,1,,,\n",
			`row 1, column 6: ` + fix},
		{"UTF-16 file", shipshape,
			"\xff\xfes\x00k\x00u\x00\n\x00",
			`row 1, column 1: ` + fix},
		{"stock", stock,
			"sku,bin,qty\nA,B-1,1\nA,\xc0-1,1\n",
			`row 3, column "bin": ` + fix},
		{"woocommerce", woo,
			"Type,SKU,Name\nsimple,S1,One\nsimple,S2,Cr\xe8me\n",
			`row 3, column "Name": ` + fix},
		{"amazon", orders, amazon,
			`row 3, column "recipient-name": ` + fix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.parse(tt.input)
			if n != 0 {
				t.Errorf("got %d records with the error", n)
			}
			wantInvalid(t, err, tt.want)
		})
	}
}
