package labels_test

import (
	"fmt"

	"github.com/shipshape-oms/shipshape/labels"
)

func ExampleNormalizeGTIN() {
	for _, scanned := range []string{"036000291452", "0036000291452", "036000291453"} {
		key, err := labels.NormalizeGTIN(scanned)
		if err != nil {
			fmt.Println("refused:", err)
			continue
		}
		fmt.Println(key)
	}
	// Output:
	// 00036000291452
	// 00036000291452
	// refused: GTIN "036000291453": check digit 3 is wrong, expected 2
}

func ExampleInternalBarcode() {
	code, _ := labels.InternalBarcode(42)
	fmt.Println(code)
	// Output: 2000000000428
}

func ExampleLabel() {
	l, _ := labels.NewLabel(400, 200, labels.DPI203)
	l.Text(20, 20, labels.Font{Name: '0', Height: 30}, "Bin A-01^")
	l.Code128(20, 70, 2, 80, "A-01")
	zpl, _ := l.Bytes()
	fmt.Print(string(zpl))
	// Output:
	// ^XA^CI28
	// ^PW400
	// ^LL200
	// ^LH0,0
	// ^FO20,20^A0N,30^FH_^FDBin A-01_5E^FS
	// ^FO20,70^BY2^BCN,80,N,N,N,A^FH_^FDA-01^FS
	// ^XZ
}

func ExampleFields() {
	fmt.Printf("%q\n", labels.Fields([]byte("^XA^FO0,0^FH_^FDBlue _5EXZ Ltd^FS^XZ")))
	// Output: ["Blue ^XZ Ltd"]
}
