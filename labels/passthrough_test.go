package labels_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/labels"
)

// courierDir holds real courier labels: zebrash's test labels, and
// BinaryKits.Zpl's, which were saved with a UTF-8 byte-order mark.
const courierDir = "../../shared/data/zpl"

// courierFiles returns the paths of every real courier label, failing the
// test unless there are the 29 the suite was written for.
func courierFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(courierDir, "*", "*.zpl"))
	if err != nil || len(files) != 29 {
		t.Fatalf("courier labels in %s: %d files, %v; want 29", courierDir, len(files), err)
	}
	return files
}

func TestPassthroughCourierLabels(t *testing.T) {
	bom := []byte{0xEF, 0xBB, 0xBF}
	withBOM := 0
	for _, path := range courierFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := data
			if bytes.HasPrefix(data, bom) {
				want = data[len(bom):]
				withBOM++
			}
			got, err := labels.Passthrough(data)
			if err != nil {
				t.Fatalf("Passthrough: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Passthrough changed the label: %d bytes in, %d out, want %d", len(data), len(got), len(want))
			}
		})
	}
	if withBOM != 6 {
		t.Errorf("%d labels start with a byte-order mark, want the 6 of binarykits", withBOM)
	}
}

func TestPassthrough(t *testing.T) {
	big := append([]byte("^XA^GFA,1,1,1,"), bytes.Repeat([]byte("F"), labels.MaxPassthrough)...)
	atLimit := append(bytes.Clone(big[:labels.MaxPassthrough-3]), "^XZ"...)
	tests := []struct {
		name string
		in   []byte
		want []byte // nil when refused
		err  string // what the error says
	}{
		{"plain", []byte("^XA^FO50,50^FDHi^FS^XZ"), []byte("^XA^FO50,50^FDHi^FS^XZ"), ""},
		{"byte-order mark removed", []byte("\xEF\xBB\xBF^XA^XZ\r\n"), []byte("^XA^XZ\r\n"), ""},
		{"only one byte-order mark removed", []byte("\xEF\xBB\xBF\xEF\xBB\xBF^XA^XZ"), nil,
			`does not start with a ZPL command (^ or ~) but with "\ufeff^XA^XZ"`},
		{"leading white space kept", []byte("\r\n \t^XA^XZ"), []byte("\r\n \t^XA^XZ"), ""},
		{"tilde command first", []byte("~JO^XA^XZ"), []byte("~JO^XA^XZ"), ""},
		{"lower case", []byte("^xa^fdx^fs^xz"), []byte("^xa^fdx^fs^xz"), ""},
		{"binary bytes kept", []byte("^XA^GFB,2,2,1,\x00\xff^XZ"), []byte("^XA^GFB,2,2,1,\x00\xff^XZ"), ""},
		{"bytes after the last ^XZ kept", []byte("^XA^XZ\x1a"), []byte("^XA^XZ\x1a"), ""},
		{"at the size limit", atLimit, atLimit, ""},
		{"empty", nil, nil, "ZPL: is empty"},
		{"byte-order mark alone", []byte("\xEF\xBB\xBF"), nil, "ZPL: is empty"},
		{"white space alone", []byte(" \r\n"), nil, "ZPL: is empty"},
		{"over the size limit", big[:labels.MaxPassthrough+1], nil,
			"ZPL: is 8388609 bytes, more than the limit of 8388608 (8 MiB)"},
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), nil, `but with "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1"…`},
		{"PNG", []byte("\x89PNG\r\n\x1a\n"), nil, `but with "\x89PNG\r\n\x1a\n"`},
		{"HTML error page", []byte("<html><body>^XA</body></html>"), nil, `but with "<html><body>^XA<"…`},
		{"JSON", []byte(`{"error": "label expired"}`), nil, `but with "{\"error\": \"label"…`},
		{"graphic download without a format", []byte("~DGR:LOGO.GRF,2,1,FFFF"), nil,
			"ZPL: has no label format: ^XA is missing"},
		{"caret at the very end", []byte("~JO^"), nil, "ZPL: has no label format: ^XA is missing"},
		{"^X without A", []byte("^XZ^XB^X"), nil, "ZPL: has no label format: ^XA is missing"},
		{"cut short", []byte("^XA^FDa^FS^XZ^XA^FDb"), nil,
			"ZPL: its last label format is not ended: ^XZ is missing (the file may be cut short)"},
		{"device commands after the last format kept", []byte("^XA^XZ~JA"), []byte("^XA^XZ~JA"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := labels.Passthrough(tt.in)
			if tt.want != nil {
				if err != nil || !bytes.Equal(got, tt.want) {
					t.Errorf("Passthrough = %q, %v; want %q", short(got), err, short(tt.want))
				}
				return
			}
			var invalid *labels.InvalidError
			if !errors.As(err, &invalid) || invalid.Field != "ZPL" || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Passthrough error %v, want an *InvalidError saying %s", err, tt.err)
			}
			if got != nil {
				t.Errorf("Passthrough returned %d bytes with its error", len(got))
			}
		})
	}
}

// short keeps a failure message readable when a case holds megabytes.
func short(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

func ExamplePassthrough() {
	// A courier's label saved by a Windows tool starts with a byte-order mark.
	data := []byte("\xEF\xBB\xBF^XA^FO50,50^A0N,40^FDParcel 1/1^FS^XZ")
	zpl, err := labels.Passthrough(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n", zpl)

	_, err = labels.Passthrough([]byte("%PDF-1.7"))
	fmt.Println(err)
	// Output:
	// ^XA^FO50,50^A0N,40^FDParcel 1/1^FS^XZ
	// ZPL: does not start with a ZPL command (^ or ~) but with "%PDF-1.7"
}
