package gs1_test

import (
	"errors"
	"fmt"

	"github.com/shipshape-oms/shipshape/labels/gs1"
)

func ExampleParseData() {
	// What a scanner sends for a GS1-128 label, after its "]C1" symbology identifier.
	m, err := gs1.ParseData("0109521234543213" + "3103001250" + "10LOT42\x1d" + "17261200")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range m.Elements {
		fmt.Printf("(%s) %s: %s", e.AI, e.Title, e.Raw)
		if e.Value != "" {
			fmt.Printf(" = %s", e.Value)
		}
		fmt.Println()
	}
	fmt.Println(m.Bracketed())
	// Output:
	// (01) GTIN: 09521234543213
	// (3103) NET WEIGHT (kg): 001250 = 1.250
	// (10) BATCH/LOT: LOT42
	// (17) USE BY or EXPIRY: 261200 = 2026-12-31
	// (01)09521234543213(3103)001250(10)LOT42(17)261200
}

func ExampleParseData_ambiguous() {
	// The GS after the lot was lost: the lot runs past its 20 characters into the
	// expiry date, and where it really ended cannot be known.
	_, err := gs1.ParseData("10ABCDEFGHIJKLMNOPQRST17261231")
	var e *gs1.Error
	if errors.As(err, &e) && e.Ambiguous {
		fmt.Println("rescan:", e.AI)
	}
	// Output:
	// rescan: 10
}

func ExampleParseData_unknownAI() {
	m, err := gs1.ParseData("0109521234543213891234")
	if errors.Is(err, gs1.ErrUnknownAI) {
		fmt.Println(m.GTIN(), len(m.Elements), m.Elements[1].Known)
	}
	// Output:
	// 09521234543213 2 false
}

func ExampleParseBracketed() {
	m, err := gs1.ParseBracketed("(01)09521234543213(10)ABC123(21)S1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", m.ElementString())
	// Output:
	// "010952123454321310ABC123\x1d21S1"
}

func ExampleParseDigitalLink() {
	m, err := gs1.ParseDigitalLink("https://id.example.com/01/09521234543213/10/ABC123?3103=000500")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Bracketed())
	_, err = gs1.ParseDigitalLink("https://id.example.com/gtin/09521234543213")
	fmt.Println(err)
	// Output:
	// (01)09521234543213(10)ABC123(3103)000500
	// gs1: "gtin": convenience alphabetic keys are not accepted; write the numeric AI /01/ instead
}

func ExampleMessage_CheckPairing() {
	m, _ := gs1.ParseBracketed("(10)ABC123")
	fmt.Println(m.CheckPairing())
	// Output:
	// gs1: (10) needs (01), (02), (03), (8006) or (8026) in the same message
}

func ExampleCheckDigit() {
	d, ok := gs1.CheckDigit("952123454321")
	fmt.Println(d, ok)
	// Output:
	// 3 true
}
