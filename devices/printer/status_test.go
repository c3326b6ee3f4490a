package printer

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// hs builds an answer laid out as in the ZPL II Programming Guide's ~HS.
func hs(one, two, three string) string {
	return "\x02" + one + "\x03\r\n\x02" + two + "\x03\r\n\x02" + three + "\x03\r\n"
}

const (
	okOne   = "030,0,0,1218,000,0,0,0,000,0,0,0"
	okTwo   = "001,0,0,0,1,2,6,0,00000000,1,000"
	okThree = "1234,0"
)

func TestParseHostStatus(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     Status
		problems []string
	}{
		{name: "ready", in: hs(okOne, okTwo, okThree),
			want: Status{CommSettings: 30, LabelLengthDots: 1218, FunctionSettings: 1, ThermalTransfer: true,
				PrintMode: 2, PrintWidthMode: 6, Password: "1234"}},
		{name: "paper out and paused", in: hs("030,1,1,1218,002,0,0,0,000,0,0,0", okTwo, okThree),
			want: Status{CommSettings: 30, PaperOut: true, Paused: true, LabelLengthDots: 1218,
				FormatsInBuffer: 2, FunctionSettings: 1, ThermalTransfer: true, PrintMode: 2,
				PrintWidthMode: 6, Password: "1234"},
			problems: []string{"paper out", "paused"}},
		{name: "head open, ribbon out, batch running",
			in: hs("030,0,0,0812,000,0,0,0,000,0,0,0", "001,0,1,1,1,2,6,0,00000012,1,003", "1234,1"),
			want: Status{CommSettings: 30, LabelLengthDots: 812, FunctionSettings: 1, HeadOpen: true,
				RibbonOut: true, ThermalTransfer: true, PrintMode: 2, PrintWidthMode: 6,
				LabelsRemaining: 12, GraphicsStored: 3, Password: "1234", StaticRAM: true},
			problems: []string{"head open", "ribbon out"}},
		{name: "every other flag of string 1",
			in: hs("030,0,0,1218,000,1,1,1,000,1,1,1", okTwo, okThree),
			want: Status{CommSettings: 30, LabelLengthDots: 1218, BufferFull: true, DiagnosticMode: true,
				PartialFormat: true, CorruptRAM: true, UnderTemperature: true, OverTemperature: true,
				FunctionSettings: 1, ThermalTransfer: true, PrintMode: 2, PrintWidthMode: 6, Password: "1234"},
			problems: []string{"receive buffer full", "unfinished format in the buffer", "diagnostic mode",
				"configuration lost", "head too cold", "head too hot"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHostStatus([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Raw = tt.in
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if p := got.Problems(); !slices.Equal(p, tt.problems) {
				t.Errorf("Problems() = %q, want %q", p, tt.problems)
			}
			if got.Ready() != (len(tt.problems) == 0) {
				t.Errorf("Ready() = %v with problems %q", got.Ready(), tt.problems)
			}
		})
	}
}

func TestParseHostStatusMalformed(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "0 bytes hold only 0 of 3 strings"},
		{"two strings", "\x02" + okOne + "\x03\r\n\x02" + okTwo + "\x03\r\n", "hold only 2 of 3"},
		{"cut in the third", "\x02" + okOne + "\x03\r\n\x02" + okTwo + "\x03\r\n\x0212", "string 3 has no ETX"},
		{"no CR LF", strings.Replace(hs(okOne, okTwo, okThree), "\x03\r\n", "\x03", 1),
			"string 1 does not end with ETX CR LF"},
		{"junk before", "x" + hs(okOne, okTwo, okThree), `string 1 starts with 'x'`},
		{"extra bytes", hs(okOne, okTwo, okThree) + "\x02", "1 extra bytes after the third string"},
		{"two answers", hs(okOne, okTwo, okThree) + hs(okOne, okTwo, okThree), "extra bytes"},
		{"too few fields", hs("030,0,0,1218", okTwo, okThree), "string 1: 4 fields, want 12"},
		{"too many fields", hs(okOne, okTwo+",0", okThree), "string 2: 12 fields, want 11"},
		{"flag not 0 or 1", hs("030,2,0,1218,000,0,0,0,000,0,0,0", okTwo, okThree),
			`string 1: field b (2): "2" is not 0 or 1`},
		{"head flag", hs(okOne, "001,0,Y,0,1,2,6,0,00000000,1,000", okThree), `field o (3): "Y" is not 0 or 1`},
		{"length not a number", hs("030,0,0,12a8,000,0,0,0,000,0,0,0", okTwo, okThree),
			`field d (4): "12a8" is not a number`},
		{"negative count", hs("030,0,0,1218,-01,0,0,0,000,0,0,0", okTwo, okThree), `field e (5): "-01"`},
		{"string 3 fields", hs(okOne, okTwo, "1234"), "string 3: 1 fields, want 2"},
		{"stx inside", "\x02030\x02" + hs(okOne, okTwo, okThree)[1:], "second STX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHostStatus([]byte(tt.in))
			if !errors.Is(err, ErrBadStatus) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrBadStatus saying %q", err, tt.want)
			}
		})
	}
}
