package scanner

import (
	"slices"
	"strings"
	"testing"
)

func TestSerialFramer(t *testing.T) {
	tests := []struct {
		name    string
		suffix  string
		writes  []string
		want    []string
		pending string // left for a gap to end
	}{
		{name: "one byte at a time", suffix: "\r", writes: []string{"T", "es", "t\r"},
			want: []string{"Test"}},
		{name: "two in one read", suffix: "\r", writes: []string{"A\rB\r"}, want: []string{"A", "B"}},
		{name: "CRLF split between reads", suffix: "\r\n", writes: []string{"Test\r", "\nNe"},
			want: []string{"Test"}, pending: "Ne"},
		{name: "CR inside a CRLF scan kept", suffix: "\r\n", writes: []string{"A\rB\r\n"},
			want: []string{"A\rB"}},
		{name: "LF", suffix: "\n", writes: []string{"12\n34\n"}, want: []string{"12", "34"}},
		{name: "control bytes kept", suffix: "\r", writes: []string{"\x02]C1\x1d01\x1e\x04\r"},
			want: []string{"\x02]C1\x1d01\x1e\x04"}},
		{name: "empty scans skipped", suffix: "\r", writes: []string{"\r\rX\r"}, want: []string{"X"}},
		{name: "no suffix waits for the gap", writes: []string{"AB\r", "C"}, pending: "AB\rC"},
		{name: "overlong scan cut", suffix: "\r",
			writes: []string{strings.Repeat("x", serialMaxScan), "yz"},
			want:   []string{strings.Repeat("x", serialMaxScan)}, pending: "yz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &serialFramer{suffix: []byte(tt.suffix)}
			var got []string
			for _, w := range tt.writes {
				got = append(got, f.feed([]byte(w))...)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("scans = %q, want %q", got, tt.want)
			}
			rest, ok := f.flush()
			if rest != tt.pending || ok != (tt.pending != "") || f.pending() != 0 {
				t.Fatalf("flush = %q, %v (then %d pending); want %q", rest, ok, f.pending(), tt.pending)
			}
		})
	}
}
