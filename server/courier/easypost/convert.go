package easypost

// EasyPost takes weights in ounces and sizes in inches, as decimals. Both
// are rounded up to a tenth, so a parcel is never declared lighter or
// smaller than it is (carriers charge the difference back). Integer
// arithmetic keeps 254 mm at exactly 10.0 inches.

// gramsPerOunceE9 is an avoirdupois ounce, 28.349523125 g, times 10^9.
const gramsPerOunceE9 = 28_349_523_125

// Ounces returns grams in ounces, rounded up to 0.1 oz; 0 for grams <= 0.
func Ounces(grams int) float64 {
	if grams <= 0 {
		return 0
	}
	tenths := (int64(grams)*10_000_000_000 + gramsPerOunceE9 - 1) / gramsPerOunceE9
	return float64(tenths) / 10
}

// Inches returns millimetres in inches, rounded up to 0.1 in; 0 for mm <= 0.
func Inches(mm int) float64 {
	if mm <= 0 {
		return 0
	}
	tenths := (int64(mm)*100 + 253) / 254
	return float64(tenths) / 10
}
