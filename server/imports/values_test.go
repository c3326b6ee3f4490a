package imports

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// errText returns err's message, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestParseCents(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
		err  string
	}{
		{"whole", "45", 4500, ""},
		{"one decimal", "45.5", 4550, ""},
		{"two decimals", "45.00", 4500, ""},
		{"no whole part", ".5", 50, ""},
		{"trailing point", "7.", 700, ""},
		{"zero", "0", 0, ""},
		{"leading zeros", "007.05", 705, ""},
		{"many leading zeros", "000000000000000000000000012.34", 1234, ""},
		{"largest", "100000000.00", 10000000000, ""},
		{"one cent too large", "100000000.01", 0, "100000000.01 is too large (at most 100000000.00)"},
		{"too large for int64", "92233720368547758.08", 0,
			"92233720368547758.08 is too large (at most 100000000.00)"},
		{"very many digits", "123456789012345678901234567890", 0,
			"123456789012345678901234... (30 digits) is too large (at most 100000000.00)"},
		{"three decimals", "45.505", 0, errPriceDecimals.Error()},
		{"negative", "-1.00", 0, errPriceNegative.Error()},
		{"comma", "4,50", 0, errNotPrice.Error()},
		{"letters", "4.5x", 0, errNotPrice.Error()},
		{"plus sign", "+4", 0, errNotPrice.Error()},
		{"two points", "1.2.3", 0, errNotPrice.Error()},
		{"point only", ".", 0, errNotPrice.Error()},
		{"empty", "", 0, errNotPrice.Error()},
		{"inner space", "4 50", 0, errNotPrice.Error()},
		{"exponent", "1e3", 0, errNotPrice.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCents(tt.in)
			if got != tt.want || errText(err) != tt.err {
				t.Errorf("parseCents(%q) = %d, %q; want %d, %q", tt.in, got, errText(err), tt.want, tt.err)
			}
		})
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int64
		want  int64
		err   string
	}{
		{"zero", "0", 10, 0, ""},
		{"leading zeros", "0007", 10, 7, ""},
		{"at the limit", "1000000000", maxStockQty, 1000000000, ""},
		{"above the limit", "1000000001", maxStockQty, 0, "1000000001 is too large (at most 1000000000)"},
		{"largest int64", "9223372036854775807", maxStockQty, 0,
			"9223372036854775807 is too large (at most 1000000000)"},
		{"above int64", "99999999999999999999", maxStockQty, 0,
			"99999999999999999999 is too large (at most 1000000000)"},
		{"order quantity", "100001", maxOrderQty, 0, "100001 is too large (at most 100000)"},
		{"empty", "", 10, 0, errNotCount.Error()},
		{"negative", "-1", 10, 0, errNotCount.Error()},
		{"fraction", "1.5", 10, 0, errNotCount.Error()},
		{"plus sign", "+1", 10, 0, errNotCount.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCount(tt.in, tt.limit)
			if got != tt.want || errText(err) != tt.err {
				t.Errorf("parseCount(%q, %d) = %d, %q; want %d, %q",
					tt.in, tt.limit, got, errText(err), tt.want, tt.err)
			}
		})
	}
}

func TestQuoteShort(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", `a "b"`, `"a \"b\""`},
		{"64 characters", strings.Repeat("é", 64), `"` + strings.Repeat("é", 64) + `"`},
		{"65 characters", strings.Repeat("é", 65), `"` + strings.Repeat("é", 64) + `"... (65 characters)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := oms.QuoteShort(tt.in); got != tt.want {
				t.Errorf("oms.QuoteShort(%q) = %s, want %s", tt.in, got, tt.want)
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
		{"tote code", "tote-07", "", errToteCode.Error()},
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
		{"tote code", "Tote-01", "", errToteCode},
		{"tote without a dash", "TOTE01", "TOTE01", nil},
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
