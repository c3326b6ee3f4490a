package oms

import (
	"strings"
	"testing"
)

// TestValidateRefusesUnprintableAddress: an address within every field limit
// that still cannot fit on a label is refused at intake, with the reason.
func TestValidateRefusesUnprintableAddress(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("Abcdefghijklmnopqr ", 5)) // 94 characters, 3 lines of 35
	o := OrderInput{Channel: "web", ChannelOrderID: "1",
		ShipTo: Address{Name: long, Company: long, Line1: long, Line2: long, Line3: long,
			City: strings.Repeat("C", 60), State: strings.Repeat("S", 60), PostalCode: "12345", Country: "GB"},
		Lines: []OrderLineInput{{SKU: "MUG", Qty: 1}}}
	err := o.Validate()
	if ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), "ship_to: needs") ||
		!strings.Contains(err.Error(), "fit on the label") {
		t.Fatalf("Validate = %v, want ship_to refused as too long for the label", err)
	}
	o.ShipTo = Address{Name: "Ann", Line1: long, City: "Leeds", Country: "GB"}
	if err := o.Validate(); err != nil {
		t.Errorf("a long but printable address: %v", err)
	}
}
