package imports

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseCents(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
		err  error
	}{
		{"whole", "45", 4500, nil},
		{"one decimal", "45.5", 4550, nil},
		{"two decimals", "45.00", 4500, nil},
		{"no whole part", ".5", 50, nil},
		{"trailing point", "7.", 700, nil},
		{"zero", "0", 0, nil},
		{"leading zeros", "007.05", 705, nil},
		{"largest", "999999999999999.99", 99999999999999999, nil},
		{"too large", "1000000000000000", 0, errPriceTooLarge},
		{"three decimals", "45.505", 0, errPriceDecimals},
		{"negative", "-1.00", 0, errPriceNegative},
		{"comma", "4,50", 0, errNotPrice},
		{"letters", "4.5x", 0, errNotPrice},
		{"plus sign", "+4", 0, errNotPrice},
		{"two points", "1.2.3", 0, errNotPrice},
		{"point only", ".", 0, errNotPrice},
		{"empty", "", 0, errNotPrice},
		{"inner space", "4 50", 0, errNotPrice},
		{"exponent", "1e3", 0, errNotPrice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCents(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("parseCents(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestNormBarcode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  string
	}{
		{"EAN-13", "4006381333931", "04006381333931", ""},
		{"UPC-A", "036000291452", "00036000291452", ""},
		{"GTIN-14", "00036000291452", "00036000291452", ""},
		{"EAN-8", "96385074", "00000096385074", ""},
		{"internal code", "ABC-123", "ABC-123", ""},
		{"ten digits are an internal code", "1234567890", "1234567890", ""},
		{"wrong check digit", "4006381333932", "", "is not a valid GTIN: check digit 2 is wrong, expected 1"},
		{"space", "AB 1", "", errNotCode.Error()},
		{"pipe", "A|B", "", errNotCode.Error()},
		{"control character", "A\x1dB", "", errNotCode.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normBarcode(tt.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tt.want || gotErr != tt.err {
				t.Errorf("normBarcode(%q) = %q, %q; want %q, %q", tt.in, got, gotErr, tt.want, tt.err)
			}
		})
	}
}

func TestNormBin(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"upper-cased", "a-01_b.2", "A-01_B.2", nil},
		{"slash", "A/1", "", errNotBin},
		{"space", "A 1", "", errNotBin},
		{"non-ASCII letter", "Ä1", "", errNotBin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normBin(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("normBin(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestWooList(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"one", "a.jpg", []string{"a.jpg"}},
		{"spaces and empty items", " a.jpg ,, b.jpg,", []string{"a.jpg", "b.jpg"}},
		{"escaped comma", `a\,b.jpg, c.jpg`, []string{"a,b.jpg", "c.jpg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wooList(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wooList(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
