package labels

import (
	"bytes"
	"fmt"
)

// MaxPassthrough is the largest courier label Passthrough accepts: 8 MiB. A
// plain 4x6 label is a few kilobytes, but one carrying a logo or a whole
// pre-rendered page as a ^GF or ~DG graphic in hex runs to megabytes; 8 MiB
// leaves room for that while keeping a mistaken upload (a PDF, a photo) from
// filling the database.
const MaxPassthrough = 8 << 20

// utf8BOM is the byte-order mark some Windows tools put at the start of a
// text file. A printer would take it for three bytes of label data.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Passthrough checks a label bought from a courier and returns the bytes to
// print: data itself, byte for byte, except that one leading UTF-8
// byte-order mark is removed. The result shares data's memory.
//
// It accepts data that looks like ZPL: after the byte-order mark and any
// leading white space, the first byte must be a ZPL command prefix ('^' or
// '~', the printer defaults), and a label format must start somewhere
// (^XA, in either case). That refuses the usual mistakes (a PDF, a PNG, an
// HTML or JSON error page saved as the label) without parsing the label.
//
// It returns an *InvalidError for empty data, data over MaxPassthrough bytes,
// or data that is not ZPL by that rule.
func Passthrough(data []byte) ([]byte, error) {
	if len(data) > MaxPassthrough {
		return nil, invalid("ZPL", "", fmt.Sprintf("is %d bytes, more than the limit of %d (8 MiB)",
			len(data), MaxPassthrough))
	}
	out := bytes.TrimPrefix(data, utf8BOM)
	text := bytes.TrimLeft(out, " \t\r\n")
	if len(text) == 0 {
		return nil, invalid("ZPL", "", "is empty")
	}
	if text[0] != '^' && text[0] != '~' {
		return nil, invalid("ZPL", "", fmt.Sprintf("does not start with a ZPL command (^ or ~) but with %s",
			quoteStart(text)))
	}
	if !hasFormatStart(text) {
		return nil, invalid("ZPL", "", "has no label format: ^XA is missing")
	}
	if start, end := lastCommand(text, 'a'), lastCommand(text, 'z'); end < start {
		// A format left open makes the printer take the next job's
		// commands as part of it.
		return nil, invalid("ZPL", "", "its last label format is not ended: ^XZ is missing "+
			"(the file may be cut short)")
	}
	return out, nil
}

// lastCommand returns the index of the last ^X<c> command in data, in
// either case, or -1.
func lastCommand(data []byte, c byte) int {
	for i := len(data) - 3; i >= 0; i-- {
		if data[i] == '^' && data[i+1]|0x20 == 'x' && data[i+2]|0x20 == c {
			return i
		}
	}
	return -1
}

// hasFormatStart reports whether data holds ^XA, in either case, the
// command that starts a label format.
func hasFormatStart(data []byte) bool {
	for i := bytes.IndexByte(data, '^'); i >= 0 && i+2 < len(data); {
		if (data[i+1]|0x20) == 'x' && (data[i+2]|0x20) == 'a' {
			return true
		}
		next := bytes.IndexByte(data[i+1:], '^')
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

// quoteStart quotes the first bytes of data for an error message, escaping
// anything that is not printable.
func quoteStart(data []byte) string {
	const n = 16
	if len(data) > n {
		return fmt.Sprintf("%q…", data[:n])
	}
	return fmt.Sprintf("%q", data)
}
