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
	// A 50 x 25 mm bin label for a 300 dpi printer: sizes are millimetres.
	l, _ := labels.NewLabel(50, 25, labels.Printer{DPI: labels.DPI300})
	l.Text(2.5, 2.5, labels.Font{Name: '0', Height: 3.75}, "Bin A-01^")
	l.Code128(2.5, 8.75, 0.25, 10, "A-01")
	zpl, _ := l.Bytes()
	fmt.Print(string(zpl))
	// Output:
	// ^XA^CI28
	// ^PW600
	// ^LL300
	// ^LH0,0
	// ^FO30,30^A0N,45^FH_^FDBin A-01_5E^FS
	// ^FO30,105^BY3^BCN,120,N,N,N,A^FH_^FDA-01^FS
	// ^XZ
}

func ExampleBinLabel() {
	zpl, err := labels.BinLabel(labels.Bin{Code: "A-01"}, labels.Printer{DPI: labels.DPI203})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(zpl))
	// Output:
	// ^XA^CI28
	// ^PW800
	// ^LL400
	// ^LH0,0
	// ^FO24,24^A0N,22,20^FH_^FDBIN^FS
	// ^FO24,57^A0N,144,129^FH_^FDA-01^FS
	// ^FO282,216^BY3^BCN,160,N,N,N,A^FH_^FDA-01^FS
	// ^XZ
}

func ExampleShippingLabel_refused() {
	_, err := labels.ShippingLabel(labels.Shipping{
		ShipTo:   labels.Address{Name: "Ann Example", Line1: "1 Road"},
		Tracking: "SS1Z000123456GB",
		SSCC:     "106141411234567890",
	}, labels.Printer{})
	fmt.Println(err)
	// Output: shipping label: SSCC "106141411234567890": check digit 0 is wrong, expected 7
}

func ExampleFields() {
	fmt.Printf("%q\n", labels.Fields([]byte("^XA^FO0,0^FH_^FDBlue _5EXZ Ltd^FS^XZ")))
	// Output: ["Blue ^XZ Ltd"]
}
