package scan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// FuzzDecode: Decode never panics, framing never reaches a payload, framing
// added around any input changes nothing, and GS1 data re-encodes from its
// elements.
func FuzzDecode(f *testing.F) {
	for _, row := range readScanData(f) {
		f.Add(row.data)
	}
	for _, seed := range []string{"\x02000122521\r", "]E04006381333931\r\n]E402345673", "]A1CODE 39R",
		"(01)09506000134352(10)ABC", "\x1d0109506000134352", "]U1[)>\x1e06\x1d9N1\x1e\x04"} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, raw string) {
		s, err := Decode(raw, Config{})
		if (err == nil) != (s.Error == nil) {
			t.Fatalf("error %v but Scan.Error %v", err, s.Error)
		}
		framed, _ := Decode("\x02\r"+raw+"\x03\r\n", Config{})
		if !reflect.DeepEqual(s, framed) {
			t.Fatalf("framing changed the result:\n%+v\n%+v", s, framed)
		}
		for _, x := range append([]Scan{s}, s.Extra...) {
			checkPayload(t, x)
		}
	})
}

// checkPayload asserts the properties of one decoded code.
func checkPayload(t *testing.T, s Scan) {
	t.Helper()
	p := s.Payload
	// A Code 39 payload may end in a control character that was data before
	// its check character, which is not framing.
	if p != "" && (isFraming(p[0]) || (isFraming(p[len(p)-1]) && s.Symbology != "Code 39")) {
		t.Fatalf("payload %q keeps framing", p)
	}
	if s.Error != nil || !s.GS1 || isDigitalLink(s.Payload) || strings.HasPrefix(s.Payload, "(") {
		return
	}

	// The elements, written back, are the data less its separators.
	var plain, sep []string
	for _, e := range s.Elements {
		plain = append(plain, e.AI+e.Raw)
		sep = append(sep, e.AI+e.Raw)
	}
	if got, want := strings.Join(plain, ""), strings.ReplaceAll(s.Payload, "\x1d", ""); got != want {
		t.Fatalf("elements re-encode to %q, data was %q", got, want)
	}

	// With a separator after every element they parse to the same elements.
	m, err := gs1.ParseData(strings.Join(sep, "\x1d"))
	if err != nil || !reflect.DeepEqual(m.Elements, s.Elements) {
		t.Fatalf("re-encoded %q: %v, %v; want %v", strings.Join(sep, "\x1d"), m.Elements, err, s.Elements)
	}
}
