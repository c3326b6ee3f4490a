package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// runBarcodeIn runs "shipshape barcode ARGS" with stdin and returns stdout.
func runBarcodeIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := runBarcode(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), err
}

func TestBarcodeParse(t *testing.T) {
	tests := []struct {
		name, stdin, args, out, errText string
	}{
		{"EAN-13 in STX...CR, EAN-8, blank line skipped",
			`\x02]E04006381333931\r` + "\n]E402345673\r\n\n",
			"",
			`{"line":1,"symbology":"EAN-13","aim":"]E0","payload":"4006381333931","text":"4006381333931",` +
				`"gtin14":"04006381333931"}` + "\n" +
				`{"line":2,"symbology":"EAN-8","aim":"]E4","payload":"02345673","text":"02345673",` +
				`"gtin14":"00000002345673"}` + "\n",
			""},
		{"an invalid line is printed and counted",
			"]E04006381333932\n]Q1OK\n",
			"",
			`{"line":1,"symbology":"EAN-13","aim":"]E0","error":{"data":"]E04006381333932","aim":"]E0",` +
				`"field":"GTIN","value":"4006381333932","reason":"check digit 2 is wrong, expected 1",` +
				`"rescan":false}}` + "\n" +
				`{"line":2,"symbology":"QR","aim":"]Q1","payload":"OK","text":"OK"}` + "\n",
			"barcode parse: 1 of 2 scans did not decode"},
		{"envelope control characters spelled three ways",
			`]U1[)>{RS}06\x1d9N123` + "\x1e{EOT}\n",
			"",
			`{"line":1,"symbology":"MaxiCode","aim":"]U1","payload":"[)>\u001e06\u001d9N123\u001e\u0004",` +
				`"text":"[)>\u001e06\u001d9N123\u001e\u0004"}` + "\n",
			""},
		{"several codes from one trigger",
			`A1\r\nB2`,
			"",
			`{"line":1,"symbology":"text","payload":"A1","text":"A1",` +
				`"extra":[{"symbology":"text","payload":"B2","text":"B2"}]}` + "\n",
			""},
		{"Code 39 with its check character configured",
			"]A0CODE 39R\n",
			"--code39-check",
			`{"line":1,"symbology":"Code 39","aim":"]A0","payload":"CODE 39","text":"CODE 39"}` + "\n",
			""},
		{"AIM required",
			"4006381333931\n",
			"--require-aim",
			`{"line":1,"error":{"data":"4006381333931",` +
				`"reason":"no symbology identifier: this scanner must send AIM ids","rescan":false}}` + "\n",
			"barcode parse: 1 of 1 scans did not decode"},
		{"GS1-128",
			"]C101095060001343521726123110ABC\n",
			"",
			`{"line":1,"symbology":"GS1-128","aim":"]C1","payload":"01095060001343521726123110ABC",` +
				`"text":"(01)09506000134352(17)261231(10)ABC","gs1":true,"elements":[` +
				`{"ai":"01","title":"GTIN","raw":"09506000134352","known":true},` +
				`{"ai":"17","title":"USE BY or EXPIRY","raw":"261231","value":"2026-12-31","known":true},` +
				`{"ai":"10","title":"BATCH/LOT","raw":"ABC","known":true}],` +
				`"gtin14":"09506000134352","lot":"ABC","expiry":"2026-12-31"}` + "\n",
			""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"parse"}, strings.Fields(tc.args)...)
			out, err := runBarcodeIn(t, tc.stdin, args...)
			if out != tc.out {
				t.Errorf("stdout\n%s\nwant\n%s", out, tc.out)
			}
			assertErrText(t, err, tc.errText)
		})
	}
}

func TestBarcodeCheck(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		out     string
		errText string
	}{
		{"valid GTIN-13", []string{"4006381333931"}, "4006381333931 valid (GTIN-13 or GLN)\n", ""},
		{"valid GTIN-8", []string{"02345673"}, "02345673 valid (GTIN-8)\n", ""},
		{"valid UPC-A", []string{"036000291452"}, "036000291452 valid (GTIN-12)\n", ""},
		{"valid SSCC", []string{"106141412345678908"}, "106141412345678908 valid (SSCC or GSRN)\n", ""},
		{"wrong check digit", []string{"4006381333932"},
			"4006381333932 invalid (GTIN-13 or GLN): check digit should be 1, not 2\n",
			"barcode check 4006381333932: wrong check digit"},
		{"complete a GTIN-13", []string{"--complete", "400638133393"}, "4006381333931\n", ""},
		{"complete an SSCC, flag after", []string{"10614141234567890", "--complete"},
			"106141412345678908\n", ""},
		{"not a key length", []string{"12345"}, "",
			"barcode check 12345: 5 digits with the check digit is no GS1 key length"},
		{"letters", []string{"40063813339X1"}, "",
			`barcode check: digits "40063813339X1": has a non-digit 'X' at position 12`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runBarcodeIn(t, "", append([]string{"check"}, tc.args...)...)
			if out != tc.out {
				t.Errorf("stdout %q, want %q", out, tc.out)
			}
			assertErrText(t, err, tc.errText)
		})
	}
}

func TestBarcodeUsage(t *testing.T) {
	for _, tc := range []struct{ args, errText string }{
		{"", "barcode needs parse or check"},
		{"scan", `unknown barcode command "scan"`},
		{"check", "barcode check needs exactly one NUMBER"},
		{"check 1 2", "barcode check needs exactly one NUMBER"},
		{"parse file.txt", "barcode parse reads stdin and takes only flags"},
		{"parse --bogus", "flag provided but not defined: -bogus"},
	} {
		_, err := runBarcodeIn(t, "", strings.Fields(tc.args)...)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.errText) {
			t.Errorf("barcode %s: %v, want a usage error containing %q", tc.args, err, tc.errText)
		}
	}

	var out bytes.Buffer
	if err := Run(context.Background(), []string{"help"}, &out, &bytes.Buffer{}); err != nil ||
		!strings.Contains(out.String(), "shipshape barcode parse") {
		t.Errorf("help lacks barcode: %v", err)
	}
}

func assertErrText(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("error %v", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("error %v, want one containing %q", err, want)
	}
}
