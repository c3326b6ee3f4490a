package scan_test

import (
	"fmt"

	"github.com/shipshape-oms/shipshape/labels/scan"
)

func ExampleDecode() {
	// A serial scanner wraps an EAN-13 in STX ... CR LF and prefixes the
	// AIM id; the trigger also caught an EAN-8 on the same box.
	s, err := scan.Decode("\x02]E04006381333931\r\n]E402345673\r\n", scan.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Symbology, s.Payload, s.GTIN14)
	for _, x := range s.Extra {
		fmt.Println(x.Symbology, x.Payload, x.GTIN14)
	}
	// Output:
	// EAN-13 4006381333931 04006381333931
	// EAN-8 02345673 00000002345673
}

func ExampleDecode_gs1() {
	s, err := scan.Decode("]C10109506000134352172612311010A\x1d21S1", scan.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Symbology, s.Text)
	fmt.Println("gtin", s.GTIN14, "lot", s.Lot, "expiry", s.Expiry, "serial", s.Serial)
	// Output:
	// GS1-128 (01)09506000134352(17)261231(10)10A(21)S1
	// gtin 09506000134352 lot 10A expiry 2026-12-31 serial S1
}

func ExampleDecode_error() {
	_, err := scan.Decode("]E04006381333932", scan.Config{})
	fmt.Println(err)
	// Output:
	// scan "]E04006381333932": GTIN "4006381333932": check digit 2 is wrong, expected 1
}
