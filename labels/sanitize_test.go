package labels

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestTextDropsUnprintable checks that control characters and bidi marks,
// which a printer would draw as boxes, never reach a text field, while other
// text (accents, Cyrillic, an escaped caret) is kept as given.
func TestTextDropsUnprintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"X \x00\x07\x1b", "X"},
		{"\u202eevil\u202c", "evil"},
		{"a\u200eb\u2067c\u2069", "abc"},
		{"Zoë Дина ^XZ", "Zoë Дина ^XZ"},
		{"tab\there\r\n", "tab here"},
		{"  two  spaces ", "two spaces"},
	}
	for _, tt := range tests {
		l, err := NewLabel(50, 20, Printer{})
		if err != nil {
			t.Fatal(err)
		}
		l.Text(1, 1, Font{Name: '0', Height: 3}, tt.in)
		zpl, err := l.Bytes()
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if got := Fields(zpl); !reflect.DeepEqual(got, []string{tt.want}) {
			t.Errorf("Text(%q) prints %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestErrorsClipLongValues checks that an error quotes at most the start of
// a huge value, cut on a character boundary.
func TestErrorsClipLongValues(t *testing.T) {
	l, err := NewLabel(50, 20, Printer{})
	if err != nil {
		t.Fatal(err)
	}
	l.Code128(1, 1, 0.25, 10, strings.Repeat("é", 3000))
	_, err = l.Bytes()
	var bad *InvalidError
	if !errors.As(err, &bad) {
		t.Fatalf("Bytes() = %v, want an *InvalidError", err)
	}
	if len(bad.Value) > maxQuoted+len("…") || !strings.HasSuffix(bad.Value, "…") ||
		!strings.HasPrefix(bad.Value, "éé") || !strings.Contains(err.Error(), "printable ASCII") {
		t.Errorf("error value %q (%d bytes), error %q", bad.Value, len(bad.Value), err)
	}
}
