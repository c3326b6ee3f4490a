// Package courier holds the couriers Shipshape can ship with. For now that is
// the built-in local courier: the warehouse's own vans or customer
// collections, which needs no outside service.
package courier

import (
	"fmt"
	"strings"
)

// Local issues tracking numbers for the warehouse's own deliveries.
type Local struct {
	Country string // ISO 3166-1 alpha-2 of the warehouse, the numbers' suffix
}

// Name is the carrier name printed on labels.
func (Local) Name() string { return "Local courier" }

// Tracking returns the tracking number for a serial: the UPU S10 layout
// (two letters, eight digits, a check digit, the country), so a mistyped
// number is caught by its check digit. It panics for serials outside
// 1..99999999, which the store's counter never reaches in practice.
func (l Local) Tracking(serial int64) string {
	if serial < 1 || serial > 99_999_999 {
		panic(fmt.Sprintf("courier: serial %d out of range", serial))
	}
	digits := fmt.Sprintf("%08d", serial)
	country := strings.ToUpper(l.Country)
	if len(country) != 2 {
		country = "XX"
	}
	return "LC" + digits + fmt.Sprint(S10CheckDigit(digits)) + country
}

// S10CheckDigit returns the check digit of an S10 serial of eight digits
// (UPU standard S10, weights 8 6 4 2 3 5 9 7, modulus 11).
func S10CheckDigit(digits string) int {
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i := range weights {
		sum += int(digits[i]-'0') * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 0
	case 11:
		return 5
	default:
		return c
	}
}
