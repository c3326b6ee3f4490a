package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/labels/scan"
)

// runBarcode runs "shipshape barcode parse" or "shipshape barcode check".
func runBarcode(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"barcode needs parse or check"}
	}
	switch args[0] {
	case "parse":
		return runBarcodeParse(ctx, args[1:], stdin, stdout, stderr)
	case "check":
		return runBarcodeCheck(args[1:], stdout, stderr)
	default:
		return usageError{fmt.Sprintf("unknown barcode command %q: want parse or check", args[0])}
	}
}

// parsedLine is what barcode parse prints for one line of input.
type parsedLine struct {
	Line int `json:"line"`
	scan.Scan
}

// runBarcodeParse decodes one scan per line of stdin and prints each as a
// JSON object on its own line. A line that does not decode prints its error
// and the tool goes on; the error returned at the end (exit status 1) counts
// them. Blank lines are skipped.
func runBarcodeParse(ctx context.Context, args []string, stdin io.Reader,
	stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("barcode parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg scan.Config
	fs.BoolVar(&cfg.RequireAIM, "require-aim", false, "refuse scans without an AIM symbology identifier")
	fs.StringVar(&cfg.AssumeAIM, "assume-aim", "", "AIM identifier to read scans without one as, e.g. ]A0")
	fs.BoolVar(&cfg.Code39Check, "code39-check", false, "Code 39 ends in a mod-43 check character")
	if rest, err := parseInterspersed(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("barcode parse reads stdin and takes only flags, got %q", rest)}
	}

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false) // Digital Link URIs hold & and =
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	n, bad := 0, 0
	for line := 1; in.Scan(); line++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if strings.TrimSpace(in.Text()) == "" {
			continue
		}
		n++
		s, err := scan.Decode(unescapeScan(in.Text()), cfg)
		if err != nil || badExtra(s) {
			bad++
		}
		if err := enc.Encode(parsedLine{Line: line, Scan: s}); err != nil {
			return fmt.Errorf("barcode parse: %w", err)
		}
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("barcode parse: reading stdin: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("barcode parse: %d of %d scans did not decode", bad, n)
	}
	return nil
}

func badExtra(s scan.Scan) bool {
	for _, x := range s.Extra {
		if x.Error != nil {
			return true
		}
	}
	return false
}

// scanEscapes are the spellings of control characters barcode parse accepts,
// since a terminal or a text file cannot easily hold them.
var scanEscapes = strings.NewReplacer(`{GS}`, "\x1d", `{RS}`, "\x1e", `{EOT}`, "\x04",
	`\r`, "\r", `\n`, "\n", `\\`, `\`)

// unescapeScan turns `\xHH`, `\r`, `\n`, `\\`, {GS}, {RS} and {EOT} in a line
// into the bytes they stand for. A backslash that starts none of these is kept.
func unescapeScan(line string) string {
	var b strings.Builder
	for {
		i := strings.Index(line, `\x`)
		if i < 0 || len(line) < i+4 {
			break
		}
		v, err := strconv.ParseUint(line[i+2:i+4], 16, 8)
		if err != nil {
			b.WriteString(scanEscapes.Replace(line[:i+2]))
			line = line[i+2:]
			continue
		}
		b.WriteString(scanEscapes.Replace(line[:i]))
		b.WriteByte(byte(v))
		line = line[i+4:]
	}
	b.WriteString(scanEscapes.Replace(line))
	return b.String()
}

// gs1Keys names the GS1 keys with a mod-10 check digit, by their length with it.
var gs1Keys = map[int]string{8: "GTIN-8", 12: "GTIN-12", 13: "GTIN-13 or GLN", 14: "GTIN-14",
	17: "GSIN", 18: "SSCC or GSRN"}

// runBarcodeCheck verifies the check digit of a GS1 key, or with --complete
// appends it to a key given without one.
func runBarcodeCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("barcode check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	complete := fs.Bool("complete", false, "NUMBER lacks its check digit: print it completed")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"barcode check needs exactly one NUMBER"}
	}

	number := strings.TrimSpace(rest[0])
	if _, err := labels.CheckDigit(number); err != nil { // only to refuse non-digits
		return fmt.Errorf("barcode check: %w", err)
	}
	width, body := len(number), number
	if *complete {
		width++
	} else {
		body = number[:len(number)-1]
	}
	name, ok := gs1Keys[width]
	if !ok {
		return fmt.Errorf("barcode check %s: %d digits with the check digit is no GS1 key length "+
			"(8, 12, 13, 14, 17 or 18)", number, width)
	}
	want, _ := labels.CheckDigit(body) // body is 7 or more digits: checked above

	if *complete {
		fmt.Fprintf(stdout, "%s%d\n", body, want)
		return nil
	}
	if got := int(number[len(number)-1] - '0'); got != want {
		fmt.Fprintf(stdout, "%s invalid (%s): check digit should be %d, not %d\n", number, name, want, got)
		return fmt.Errorf("barcode check %s: wrong check digit", number)
	}
	fmt.Fprintf(stdout, "%s valid (%s)\n", number, name)
	return nil
}
