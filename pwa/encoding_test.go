package pwa

import "testing"

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		name, header string
		want         bool
	}{
		{"browser", "gzip, deflate, br, zstd", true},
		{"gzip alone", "gzip", true},
		{"upper case", "GZIP", true},
		{"with a weight", "br;q=1.0, gzip;q=0.8", true},
		{"refused", "gzip;q=0", false},
		{"refused with decimals", "gzip; q=0.000", false},
		{"any", "*", true},
		{"any but gzip", "*, gzip;q=0", false},
		{"any refused", "*;q=0", false},
		{"none", "", false},
		{"identity", "identity", false},
		{"other codings", "br, deflate", false},
		{"unreadable weight", "gzip;q=x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acceptsGzip(tt.header); got != tt.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}
