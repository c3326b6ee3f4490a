package labels

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Printer head resolutions a Label can be built for, in dots per inch.
const (
	DPI203 = 203 // 8 dots/mm, the default
	DPI300 = 300 // 12 dots/mm
	DPI600 = 600 // 24 dots/mm
)

// DefaultPrintWidth is the print width assumed when Printer.Width is 0: the
// 104 mm of the common 4-inch desktop and industrial printers.
const DefaultPrintWidth Length = 104

// Length is a distance on a label in millimetres. Every position and size a
// Label takes is a Length, so one layout prints the same size at any dpi.
type Length float64

// Printer is what a Label needs to know of the printer it is for.
type Printer struct {
	DPI   int    // head resolution: 0 (meaning 203), 203, 300 or 600
	Width Length // widest the head prints; 0 means DefaultPrintWidth
	// UnicodeFont, when set, is a font file on the printer (see Font.File),
	// e.g. "E:TT0003M_.TTF", used instead of font 0 for any text that has a
	// letter font 0 lacks (Cyrillic, Arabic, Chinese…), so those labels print
	// on printers that have the font and keep font 0 elsewhere.
	UnicodeFont string
}

// Font is a ZPL font and its character size.
//
// The built-in scalable font 0 covers Latin (accented letters of Western and
// Central European languages included) and Greek, but not Cyrillic: such
// text, though sent correctly as UTF-8 under ^CI28, prints as blanks. A
// printer that holds a TrueType font with those letters prints them when the
// font is chosen by File, which writes ^A@ with the file's path (ZPL II
// Programming Guide, ^A@); Printer.UnicodeFont does that for every text that
// needs it. Nothing on the host can tell whether the printer has the file:
// a missing font prints in font 0.
type Font struct {
	Name   byte   // ZPL font name, 'A'-'Z' or '0'-'9'; '0' is the built-in scalable font
	Height Length // character height
	Width  Length // character width; 0 lets the printer scale it with the height
	// File, when set, chooses a font stored on the printer by its path, e.g.
	// "E:TT0003M_.TTF", instead of Name: drive R, E, B or A, a colon, a name of
	// letters, digits, _ and -, and the extension TTF, TTE or FNT.
	File string
}

// Label composes one ZPL label (one ^XA…^XZ format).
//
// Positions and sizes are Lengths in millimetres, written in the dots of the
// printer's resolution (8, 12 or 24 per mm), so one layout prints the same size
// on 203, 300 and 600 dpi heads. Every text and barcode field is written with
// ^FH_ hex escapes, so data can never be read as a ZPL command.
//
// A Label keeps the first error a method meets (a field off the label, a bad
// font) and Bytes returns it, so a template can add fields without checking each.
type Label struct {
	dpi    int
	ufont  string  // Printer.UnicodeFont
	dpmm   float64 // dots per mm
	width  Length
	height Length
	body   strings.Builder
	err    error
}

// NewLabel starts a label width x height millimetres in size for printer p. A
// 4x6 inch label is 101.5 x 152.25 mm (812 x 1218 dots at 203 dpi).
//
// It returns an *InvalidError for a dpi other than 0, 203, 300 or 600, a size
// that is not positive, or a label wider than the printer prints (naming both
// widths).
func NewLabel(width, height Length, p Printer) (*Label, error) {
	dpi := p.DPI
	if dpi == 0 {
		dpi = DPI203
	}
	dpmm := map[int]float64{DPI203: 8, DPI300: 12, DPI600: 24}[dpi]
	if dpmm == 0 {
		return nil, invalid("DPI", fmt.Sprint(dpi), "must be 203, 300 or 600")
	}
	if width <= 0 || height <= 0 {
		return nil, invalid("size", fmt.Sprintf("%vx%v mm", width, height), "must be positive")
	}
	printWidth := p.Width
	if printWidth == 0 {
		printWidth = DefaultPrintWidth
	}
	if width > printWidth {
		reason := fmt.Sprintf("is wider than the printer's print width of %v mm", printWidth)
		return nil, invalid("label width", fmt.Sprintf("%v mm", width), reason)
	}
	if p.UnicodeFont != "" && !validFontFile(p.UnicodeFont) {
		return nil, invalid("UnicodeFont", p.UnicodeFont, "must be a printer font file like E:TT0003M_.TTF")
	}
	return &Label{dpi: dpi, dpmm: dpmm, width: width, height: height, ufont: p.UnicodeFont}, nil
}

// DPI returns the printer resolution the label is built for.
func (l *Label) DPI() int { return l.dpi }

// Width returns the label width in printer dots (what ^PW is set to).
func (l *Label) Width() int { return l.dots(l.width) }

// Height returns the label length in printer dots (what ^LL is set to).
func (l *Label) Height() int { return l.dots(l.height) }

// Text adds one line of text with its top-left corner at (x, y).
func (l *Label) Text(x, y Length, f Font, text string) {
	text = printableText(text)
	if !l.inside("Text", text, x, y, 0, 0) || !l.validFont(f, text) {
		return
	}

	if f.Name == '0' && f.File == "" && l.ufont != "" && strings.IndexFunc(text, beyondFont0) >= 0 {
		// The printer's own proportions: a TrueType font stretched to font
		// 0's character width runs wider than font 0 does.
		f.File, f.Width = l.ufont, 0
	}
	l.origin(x, y)
	l.font(f)
	l.field(text)
}

// printableText returns text as a label prints it: invalid UTF-8 as "?",
// without what dropUnprintable removes, and with each run of white space (a
// line break pasted into one line of an address, say) as one space.
func printableText(text string) string {
	text = strings.Map(dropUnprintable, strings.ToValidUTF8(text, "?"))
	return strings.Join(strings.Fields(text), " ")
}

// dropUnprintable removes from text what a printer would draw as an empty
// box, turning tabs and line breaks into spaces: other control characters (a stray NUL or ESC pasted into an address) and the
// Unicode bidi embedding, override and isolate marks, which ZPL does not
// apply (^FH would otherwise print them as their hex escapes' bytes).
func dropUnprintable(r rune) rune {
	switch {
	case r == '\t', r == '\n', r == '\v', r == '\f', r == '\r':
		return ' ' // a line break pasted into one line of an address
	case unicode.IsControl(r), r == 0x200E, r == 0x200F,
		r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return -1
	}
	return r
}

// beyondFont0 reports whether font 0 (CG Triumvirate) has no glyph for r: it
// covers Latin, Latin Extended-A and -B and Greek, not Cyrillic or beyond.
func beyondFont0(r rune) bool {
	return r >= 0x0400
}

// font writes ^A for f; a zero width is left out so the printer scales it.
func (l *Label) font(f Font) {
	size := fmt.Sprint(l.dots(f.Height))
	if f.Width > 0 {
		size += fmt.Sprintf(",%d", l.dots(f.Width))
	}
	if f.File != "" {
		if f.Width == 0 {
			size += "," // ^A@ takes the file as its fourth parameter
		}
		fmt.Fprintf(&l.body, "^A@N,%s,%s", size, strings.ToUpper(f.File))
		return
	}
	fmt.Fprintf(&l.body, "^A%cN,%s", f.Name, size)
}

// Code128 adds a Code 128 barcode (^BC) of data with its top-left corner at
// (x, y): module is the narrowest bar, height the bar height. No human-readable
// line is printed; add it with Text where the layout wants it. The printer
// picks the Code 128 subsets itself (^BC automatic mode), so data is encoded
// as given. Data must be printable ASCII, and the symbol must fit on the
// label: Code128Width tells how wide it can get.
func (l *Label) Code128(x, y, module, height Length, data string) {
	bar, ok := l.module("Code128", module)
	if !ok {
		return
	}
	if data == "" || strings.IndexFunc(data, notPrintableASCII) >= 0 {
		l.fail(invalid("Code128", data, "must be printable ASCII and not empty"))
		return
	}
	width := l.mm(code128Modules(data) * bar)
	if !l.inside("Code128", data, x, y, width, height) {
		return
	}

	l.origin(x, y)
	fmt.Fprintf(&l.body, "^BY%d^BCN,%d,N,N,N,A", bar, l.dots(height))
	l.field(data)
}

// Box adds a rectangle (^GB) with its top-left corner at (x, y), drawn with lines
// thickness wide.
func (l *Label) Box(x, y, width, height, thickness Length) {
	if !l.inside("Box", "", x, y, width, height) {
		return
	}
	if thickness <= 0 || thickness > width || thickness > height {
		l.fail(invalid("Box thickness", fmt.Sprint(thickness), "must be above 0 and within the box's size"))
		return
	}

	l.origin(x, y)
	w, h, t := l.dots(width), l.dots(height), max(l.dots(thickness), 1)
	fmt.Fprintf(&l.body, "^GB%d,%d,%d^FS\n", max(w, t), max(h, t), t)
}

// HLine adds a horizontal line from (x, y), length long and thickness thick.
func (l *Label) HLine(x, y, length, thickness Length) {
	l.Box(x, y, length, thickness, thickness)
}

// VLine adds a vertical line from (x, y), length long and thickness thick.
func (l *Label) VLine(x, y, length, thickness Length) {
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

// dots converts millimetres to printer dots, to the nearest dot. ZPL printers
// are sold as 203, 300 and 600 dpi but lay out at exactly 8, 12 and 24 dots/mm.
func (l *Label) dots(v Length) int {
	return int(math.Round(float64(v) * l.dpmm))
}

// mm converts printer dots back to millimetres.
func (l *Label) mm(dots int) Length {
	return Length(float64(dots) / l.dpmm)
}

// module returns a barcode's narrowest element in printer dots: rounded down,
// so a symbol is never wider than its layout planned, and at least one dot.
// It fails for a module that is not positive or wider than maxModuleDots.
func (l *Label) module(what string, module Length) (int, bool) {
	return l.moduleUpTo(what, module, maxModuleDots)
}

// moduleUpTo is module for a symbology whose module can be up to most dots.
func (l *Label) moduleUpTo(what string, module Length, most int) (int, bool) {
	dots := max(int(math.Floor(float64(module)*l.dpmm+1e-9)), 1)
	if module <= 0 || dots > most {
		reason := fmt.Sprintf("must be above 0 and at most %d dots (%.3f mm) at %d dpi",
			most, float64(l.mm(most)), l.dpi)
		l.fail(invalid(what+" module", fmt.Sprintf("%v mm", module), reason))
		return 0, false
	}
	return dots, true
}

// maxModuleDots is the widest module ^BY takes; maxMatrixDots the largest
// magnification of ^BQ (ZPL II Programming Guide: 1 to 100 in current
// firmware) and module of ^BX.
const (
	maxModuleDots = 10
	maxMatrixDots = 100
)

func (l *Label) origin(x, y Length) {
	fmt.Fprintf(&l.body, "^FO%d,%d", l.dots(x), l.dots(y))
}

// field writes the field data and closes the field. ^FH_ makes the printer turn
// every _XX back into byte 0xXX, so escaped ^ and ~ print instead of starting a
// command (ZPL II Programming Guide, ^FH).
func (l *Label) field(data string) {
	l.rawField(escapeField(data))
}

// rawField writes data already escaped for ^FH_.
func (l *Label) rawField(escaped string) {
	l.body.WriteString("^FH_^FD")
	l.body.WriteString(escaped)
	l.body.WriteString("^FS\n")
}

// epsilon absorbs floating-point error when sizes in mm are compared.
const epsilon = 1e-6

func (l *Label) inside(what, value string, x, y, w, h Length) bool {
	if l.err != nil {
		return false
	}
	if x < 0 || y < 0 || w < 0 || h < 0 || x+w > l.width+epsilon || y+h > l.height+epsilon ||
		x >= l.width || y >= l.height {
		reason := fmt.Sprintf("%vx%v mm at (%v,%v) is outside the %vx%v mm label",
			roundMM(w), roundMM(h), roundMM(x), roundMM(y), l.width, l.height)
		l.fail(invalid(what, value, reason))
		return false
	}
	return true
}

// roundMM rounds v to a thousandth of a millimetre for messages.
func roundMM(v Length) Length {
	return Length(math.Round(float64(v)*1000) / 1000)
}

func (l *Label) validFont(f Font, text string) bool {
	named := (f.Name >= 'A' && f.Name <= 'Z') || (f.Name >= '0' && f.Name <= '9')
	if f.File != "" {
		named = validFontFile(f.File)
	}
	if !named || f.Height <= 0 || f.Width < 0 || l.dots(f.Height) < 1 {
		name := string(f.Name)
		if f.File != "" {
			name = f.File
		}
		reason := fmt.Sprintf("font %q %vx%v mm is not a valid ZPL font", name, f.Height, f.Width)
		l.fail(invalid("Text", text, reason))
		return false
	}
	return true
}

// validFontFile reports whether file is a printer font path ^A@ can take, and
// holds nothing that could end the command early.
func validFontFile(file string) bool {
	file = strings.ToUpper(file)
	drive, name, ok := strings.Cut(file, ":")
	if !ok || len(drive) != 1 || !strings.Contains("REBA", drive) {
		return false
	}
	base, ext, ok := strings.Cut(name, ".")
	if !ok || (ext != "TTF" && ext != "TTE" && ext != "FNT") || base == "" || len(base) > 16 {
		return false
	}
	for _, c := range base {
		if !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_' && c != '-' {
			return false
		}
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

// Code128Width returns the widest a Code 128 symbol of data can be with bars
// module wide, without its quiet zones (ten modules each side). It counts
// every character as one subset B symbol, or digit pairs as subset C when data
// is all digits: bounds the printer's automatic mode should not exceed.
func Code128Width(data string, module Length) Length {
	return Length(code128Modules(data)) * module
}

// code128Modules is Code128Width in modules.
func code128Modules(data string) int {
	symbols := len(data)
	if allDigits(data) {
		symbols = len(data)/2 + 2*(len(data)%2) // an odd last digit needs a switch to B
	}
	return symbolModules(symbols)
}

// symbolModules returns the modules of a Code 128 symbol with n data symbols:
// each is 11 modules; start and check symbols add 22, the stop 13.
func symbolModules(n int) int {
	return 11*n + 35
}

func notPrintableASCII(r rune) bool {
	return r < 0x20 || r > 0x7E
}
