package gs1

import (
	"reflect"
	"testing"
)

// roundTrip checks that a parsed message reads back the same from both of its
// written forms.
func roundTrip(t *testing.T, m Message) {
	t.Helper()
	back, err := ParseData(m.ElementString())
	if err != nil || !reflect.DeepEqual(back, m) {
		t.Fatalf("ElementString %q read back as %+v, %v; want %+v", m.ElementString(), back, err, m)
	}
	back, err = ParseBracketed(m.Bracketed())
	if err != nil || !reflect.DeepEqual(back, m) {
		t.Fatalf("Bracketed %q read back as %+v, %v; want %+v", m.Bracketed(), back, err, m)
	}
}

func FuzzParseData(f *testing.F) {
	for _, s := range []string{
		"0112345678901231", "0112345678901231\x1d10ABC\x1d17261200", "10ABC\x1d99X",
		"800302112345678900ABC", "4235285285", "891234\x1d10A", "10ABCDEFGHIJKLMNOPQRST17261231",
		"3103001234", "7007211225211231", "\x1d", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		m, err := ParseData(data)
		if err == nil {
			roundTrip(t, m)
		}
	})
}

func FuzzParseBracketed(f *testing.F) {
	for _, s := range []string{
		"(01)12345678901231(10)ABC", `(99)A\(B)`, "(10)", "(15", "()1", "(8003)02112345678900",
		"(89)X(10)Y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseBracketed(s)
		if err == nil {
			roundTrip(t, m)
		}
	})
}

func FuzzParseDigitalLink(f *testing.F) {
	for _, s := range []string{
		"https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ", "HTTPS://a/00/006141411234567890",
		"https://a/8004/9520614141234567?01=09521234543213", "https://a/253/1231231231232TEST",
		"https://a/01/12312312312333/10/A%2FB?17=261231&x=1#f", "http://a/b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		m, err := ParseDigitalLink(uri)
		if err == nil {
			roundTrip(t, m)
		}
	})
}
