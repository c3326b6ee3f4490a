package imports_test

import (
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/oms"
)

func ExampleShipshapeCatalog() {
	const file = `sku,title,price,barcodes,bin
TEE-RED-M,"T-shirt, red, M",12.50,5012345678900|TEE-RED-M,a-01-03
MUG-1,Mug,7,036000291452,
`
	products, err := imports.ShipshapeCatalog(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range products {
		fmt.Printf("%s %q %d cents, bin %q, barcodes %q\n",
			p.SKU, p.Title, p.PriceCents, p.Bin, p.Barcodes)
	}
	// Output:
	// TEE-RED-M "T-shirt, red, M" 1250 cents, bin "A-01-03", barcodes ["05012345678900" "TEE-RED-M"]
	// MUG-1 "Mug" 700 cents, bin "", barcodes ["00036000291452"]
}

func ExampleStock() {
	const file = `sku,bin,qty
TEE-RED-M,A-01-03,12
MUG-1,A-01-04,two
`
	_, err := imports.Stock(strings.NewReader(file))
	fmt.Println(oms.ErrorCode(err))
	fmt.Println(oms.ErrorMessage(err))
	// Output:
	// invalid
	// import stock: row 3, column "qty": "two" is not a whole number of 0 or more
}
