package labels

import (
	"fmt"
	"strings"
)

// Printer head resolutions a Label can be built for, in dots per inch.
const (
	DPI203 = 203 // 8 dots/mm, the default
	DPI300 = 300 // 12 dots/mm
	DPI600 = 600 // 24 dots/mm
)

// Font is a ZPL font (^A) and its character size in design dots.
//
// TODO: only fonts named by one letter or digit can be chosen. The built-in
// font 0 of many printers has no Cyrillic or Greek glyphs, so such text, though
// sent correctly as UTF-8, prints as blanks; it needs a Unicode font loaded on
// the printer and selected by file name (^A@), which Label cannot do yet.
type Font struct {
	Name   byte // ZPL font name, 'A'-'Z' or '0'-'9'; '0' is the built-in scalable font
	Height int  // character height
	Width  int  // character width; 0 lets the printer scale it with the height
}

// Label composes one ZPL label (one ^XA…^XZ format).
//
// Positions and sizes are given in design dots: dots of a 203 dpi (8 dots/mm)
// printer. The label scales them to its own resolution when it writes them, so one
// layout prints the same physical size on 203, 300 and 600 dpi heads. Every text
// and barcode field is written with ^FH_ hex escapes, so data can never be read as
// a ZPL command.
//
// A Label keeps the first error a method meets (a field off the label, a bad
// font) and Bytes returns it, so a template can add fields without checking each.
type Label struct {
	dpi    int
	width  int // design dots
	height int // design dots
	body   strings.Builder
	err    error
}

// NewLabel starts a label width x height design dots in size for a printer of dpi
// dots per inch; dpi 0 means 203. A 4x6 inch label is 812 x 1218.
//
// It returns an *InvalidError for a dpi other than 0, 203, 300 or 600, or a size
// that is not positive.
func NewLabel(width, height, dpi int) (*Label, error) {
	if dpi == 0 {
		dpi = DPI203
	}
	if dpi != DPI203 && dpi != DPI300 && dpi != DPI600 {
		return nil, invalid("DPI", fmt.Sprint(dpi), "must be 203, 300 or 600")
	}
	if width <= 0 || height <= 0 {
		return nil, invalid("size", fmt.Sprintf("%dx%d", width, height), "must be positive")
	}
	return &Label{dpi: dpi, width: width, height: height}, nil
}

// DPI returns the printer resolution the label is built for.
func (l *Label) DPI() int { return l.dpi }

// Width returns the label width in printer dots (what ^PW is set to).
func (l *Label) Width() int { return l.dots(l.width) }

// Height returns the label length in printer dots (what ^LL is set to).
func (l *Label) Height() int { return l.dots(l.height) }

// Text adds one line of text with its top-left corner at (x, y).
func (l *Label) Text(x, y int, f Font, text string) {
	if !l.inside("Text", text, x, y, 0, 0) || !l.validFont(f, text) {
		return
	}

	l.origin(x, y)
	if f.Width > 0 {
		fmt.Fprintf(&l.body, "^A%cN,%d,%d", f.Name, l.dots(f.Height), l.dots(f.Width))
	} else {
		fmt.Fprintf(&l.body, "^A%cN,%d", f.Name, l.dots(f.Height))
	}
	l.field(text)
}

// Code128 adds a Code 128 barcode (^BC) of data with its top-left corner at
// (x, y): module is the narrowest bar in design dots, height the bar height. No
// human-readable line is printed; add it with Text where the layout wants it.
// The printer picks the Code 128 subsets itself (^BC automatic mode), so data is
// encoded as given. Data must be printable ASCII, and the symbol must fit on the
// label: Code128Width tells how wide it can get.
func (l *Label) Code128(x, y, module, height int, data string) {
	if module < 1 || module > l.maxModule() {
		reason := fmt.Sprintf("must be 1 to %d dots at %d dpi", l.maxModule(), l.dpi)
		l.fail(invalid("Code128 module", fmt.Sprint(module), reason))
		return
	}
	if data == "" || strings.IndexFunc(data, notPrintableASCII) >= 0 {
		l.fail(invalid("Code128", data, "must be printable ASCII and not empty"))
		return
	}
	if !l.inside("Code128", data, x, y, Code128Width(data, module), height) {
		return
	}

	l.origin(x, y)
	fmt.Fprintf(&l.body, "^BY%d^BCN,%d,N,N,N,A", l.dots(module), l.dots(height))
	l.field(data)
}

// Box adds a rectangle (^GB) with its top-left corner at (x, y), drawn with lines
// thickness dots wide.
func (l *Label) Box(x, y, width, height, thickness int) {
	if !l.inside("Box", "", x, y, width, height) {
		return
	}
	if thickness < 1 || thickness > width || thickness > height {
		l.fail(invalid("Box thickness", fmt.Sprint(thickness), "must be 1 to the box's size"))
		return
	}

	l.origin(x, y)
	fmt.Fprintf(&l.body, "^GB%d,%d,%d^FS\n", l.dots(width), l.dots(height), l.dots(thickness))
}

// HLine adds a horizontal line from (x, y), length dots long and thickness thick.
func (l *Label) HLine(x, y, length, thickness int) {
	l.Box(x, y, length, thickness, thickness)
}

// VLine adds a vertical line from (x, y), length dots long and thickness thick.
func (l *Label) VLine(x, y, length, thickness int) {
	l.Box(x, y, thickness, length, thickness)
}

// Bytes returns the finished ZPL document: ^XA^CI28 (fields are UTF-8), the
// label size, every field in the order added, ^XZ. It returns the first error a
// method met, an *InvalidError, instead of a label that would print wrong.
func (l *Label) Bytes() ([]byte, error) {
	if l.err != nil {
		return nil, l.err
	}

	var b strings.Builder
	fmt.Fprintf(&b, "^XA^CI28\n^PW%d\n^LL%d\n^LH0,0\n", l.Width(), l.Height())
	b.WriteString(l.body.String())
	b.WriteString("^XZ\n")
	return []byte(b.String()), nil
}

// dots converts design dots (8 per mm) to printer dots. ZPL printers are sold as
// 203, 300 and 600 dpi but lay out at exactly 8, 12 and 24 dots/mm.
func (l *Label) dots(d int) int {
	switch l.dpi {
	case DPI300:
		return d * 12 / 8
	case DPI600:
		return d * 24 / 8
	}
	return d
}

// maxModule returns the widest Code 128 module, in design dots, that is still
// at most 10 printer dots, the most ^BY takes.
func (l *Label) maxModule() int {
	module := 10
	for l.dots(module) > 10 {
		module--
	}
	return module
}

func (l *Label) origin(x, y int) {
	fmt.Fprintf(&l.body, "^FO%d,%d", l.dots(x), l.dots(y))
}

// field writes the field data and closes the field. ^FH_ makes the printer turn
// every _XX back into byte 0xXX, so escaped ^ and ~ print instead of starting a
// command (ZPL II Programming Guide, ^FH).
func (l *Label) field(data string) {
	l.body.WriteString("^FH_^FD")
	l.body.WriteString(escapeField(data))
	l.body.WriteString("^FS\n")
}

func (l *Label) inside(what, value string, x, y, w, h int) bool {
	if l.err != nil {
		return false
	}
	if x < 0 || y < 0 || w < 0 || h < 0 || x+w > l.width || y+h > l.height ||
		x >= l.width || y >= l.height {
		reason := fmt.Sprintf("%dx%d at (%d,%d) is outside the %dx%d label",
			w, h, x, y, l.width, l.height)
		l.fail(invalid(what, value, reason))
		return false
	}
	return true
}

func (l *Label) validFont(f Font, text string) bool {
	named := (f.Name >= 'A' && f.Name <= 'Z') || (f.Name >= '0' && f.Name <= '9')
	if !named || f.Height < 1 || f.Width < 0 {
		reason := fmt.Sprintf("font %q %dx%d is not a valid ZPL font", f.Name, f.Height, f.Width)
		l.fail(invalid("Text", text, reason))
		return false
	}
	return true
}

func (l *Label) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// escapeField hex-escapes every byte the printer would not print as itself: the
// command prefixes ^ and ~, the escape character _ itself, and control bytes.
// Other bytes, UTF-8 included, pass through for ^CI28. Invalid UTF-8 becomes "?".
func escapeField(s string) string {
	s = strings.ToValidUTF8(s, "?")

	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '^' || c == '~' || c == '_' || c < 0x20 || c == 0x7F {
			fmt.Fprintf(&b, "_%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Code128Width returns the most design dots a Code 128 symbol of data can take
// with bars module dots wide, without its quiet zones (ten modules each side).
// It counts every character as one subset B symbol, or digit pairs as subset C
// when data is all digits: bounds the printer's automatic mode should not exceed.
func Code128Width(data string, module int) int {
	symbols := len(data)
	if allDigits(data) {
		symbols = len(data)/2 + 2*(len(data)%2) // an odd last digit needs a switch to B
	}
	// Each symbol is 11 modules; start and check symbols add 22, the stop 13.
	return (11*symbols + 35) * module
}

func notPrintableASCII(r rune) bool {
	return r < 0x20 || r > 0x7E
}
