package imports

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
)

func TestShipshapeCasesAndBundles(t *testing.T) {
	got, err := ShipshapeCatalog(strings.NewReader("sku,title,price,barcodes,bin,components\n" +
		"SODA,Soda,1,036000291452|10036000291459 * 12|SODA-CASE*24,A-01,\n" +
		"GIFT,Gift,9,,, SODA*2 | MUG \n" +
		"MUG,Mug,5,,B-01,\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []oms.Product{
		{SKU: "SODA", Title: "Soda", PriceCents: 100, Stocked: true, Bin: "A-01", Row: 2,
			Barcodes: []string{"00036000291452", "10036000291459", "SODA-CASE"},
			Packs:    []oms.Pack{{Code: "10036000291459", Units: 12}, {Code: "SODA-CASE", Units: 24}}},
		{SKU: "GIFT", Title: "Gift", PriceCents: 900, Stocked: true, Row: 3,
			Components: []oms.Component{{SKU: "SODA", Qty: 2}, {SKU: "MUG", Qty: 1}}},
		{SKU: "MUG", Title: "Mug", PriceCents: 500, Stocked: true, Bin: "B-01", Row: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestShipshapeCasesAndBundlesErrors(t *testing.T) {
	const header = "sku,title,price,barcodes,bin,components\n"
	tests := []struct {
		name, input, want string
	}{
		{"case of 0", header + "A,T,1,C*0,,\n", `row 2, column "barcodes": "C*0" case size: must be at least 1`},
		{"case not a number", header + "A,T,1,C*x,,\n",
			`row 2, column "barcodes": "C*x" case size: is not a whole number of 0 or more`},
		{"case too big", header + "A,T,1,C*100001,,\n",
			`row 2, column "barcodes": "C*100001" case size: 100001 is too large (at most 100000)`},
		{"component qty 0", header + "A,T,1,,,B*0\n", `row 2, column "components": "B*0" quantity: must be at least 1`},
		{"component twice", header + "A,T,1,,,B|B*2\n", `row 2, column "components": "B*2" lists sku "B" twice`},
		{"own component", header + "A,T,1,,,A*2\n", `row 2, column "components": "A*2" is the row's own sku`},
		{"no sku", header + "A,T,1,,,*2\n", `row 2, column "components": "*2" names no sku`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ShipshapeCatalog(strings.NewReader(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
