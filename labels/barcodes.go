package labels

import (
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// GS1-128 (ZPL II Programming Guide, ^BC, table "Code 128 Invocation
// Characters"): in ^BC's mode N the field data carries the Code 128 symbols
// themselves, so the builder chooses the subsets and places every FNC1.
const (
	startC      = ">;"
	fnc1        = ">8"
	toSubsetB   = ">6" // from subset C
	toSubsetC   = ">5" // from subset B
	literalGT   = ">0" // a ">" in subset B
	maxGS1Chars = 48   // GS1 General Specifications: data characters in one symbol
)

// GS1128 adds a GS1-128 barcode of elements at (x, y): Code 128 starting with
// FNC1, each element string's AI and value, and an FNC1 after every
// variable-length value that is not last. The printer gets the symbols
// already chosen (^BC mode N with invocation codes: start C, >8 for FNC1,
// subset switches), so no firmware guesswork is involved. No human-readable
// line is printed; GS1Bracketed gives the text to print under it.
//
// It records an *InvalidError (returned by Bytes) for an element whose AI is
// not 2 to 4 digits, whose value is empty or holds a character GS1 does not
// allow, an SSCC (00) or GTIN (01, 02) with a wrong length or check digit,
// more than 48 data characters, or a symbol that does not fit.
func (l *Label) GS1128(x, y, module, height Length, elements []gs1.Element) {
	bar, ok := l.module("GS1128", module)
	if !ok {
		return
	}
	if err := checkElements(elements); err != nil {
		l.fail(err)
		return
	}
	data, symbols := gs1Code128(elements)
	text := GS1Bracketed(elements)
	if !l.inside("GS1128", text, x, y, l.mm(symbolModules(symbols)*bar), height) {
		return
	}

	l.origin(x, y)
	fmt.Fprintf(&l.body, "^BY%d^BCN,%d,N,N,N,N", bar, l.dots(height))
	l.field(data)
}

// GS1Bracketed returns elements as people read them: "(00)006141411234567890".
func GS1Bracketed(elements []gs1.Element) string {
	var b strings.Builder
	for _, e := range elements {
		b.WriteString("(" + e.AI + ")" + e.Raw)
	}
	return b.String()
}

// gs1Code128 returns the ^BC field data for elements and how many data
// symbols (FNC1s and subset switches included) it makes.
func gs1Code128(elements []gs1.Element) (string, int) {
	var enc code128Encoder
	enc.b.WriteString(startC)
	enc.subsetC = true
	enc.fnc1()
	for i, e := range elements {
		enc.text(e.AI + e.Raw)
		if i < len(elements)-1 && !predefinedLength(e.AI) {
			enc.fnc1()
		}
	}
	return enc.b.String(), enc.symbols
}

// code128Encoder writes Code 128 symbols as ^BC mode N field data, using
// subset C for runs of digits and subset B for everything else.
type code128Encoder struct {
	b       strings.Builder
	subsetC bool
	symbols int
}

func (e *code128Encoder) fnc1() {
	e.b.WriteString(fnc1)
	e.symbols++
}

// text encodes s: in subset C while digits come in pairs, switching to B
// for anything else and back to C for a run of four or more digits (or two
// that end the run of text), the switch that saves symbols.
func (e *code128Encoder) text(s string) {
	for i := 0; i < len(s); {
		run := digitRun(s[i:])
		switch {
		case e.subsetC && run >= 2:
			e.b.WriteString(s[i : i+2])
			i += 2
		case e.subsetC:
			e.switchTo(false)
		case run >= 4 && run%2 == 0, run == 2 && i+2 == len(s):
			e.switchTo(true)
		default:
			e.char(s[i])
			i++
		}
		e.symbols++
	}
}

func (e *code128Encoder) switchTo(subsetC bool) {
	if subsetC {
		e.b.WriteString(toSubsetC)
	} else {
		e.b.WriteString(toSubsetB)
	}
	e.subsetC = subsetC
}

// char writes one subset B character; ">" is written with its invocation
// code, as a bare one would start one.
func (e *code128Encoder) char(c byte) {
	if c == '>' {
		e.b.WriteString(literalGT)
		return
	}
	e.b.WriteByte(c)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// predefinedLength reports whether an AI starting with these two digits has a
// length fixed by the GS1 General Specifications (the table of predefined
// lengths, figure 5.10.1-2), so needs no FNC1 after its value.
func predefinedLength(ai string) bool {
	switch ai[:2] {
	case "00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18",
		"19", "20", "31", "32", "33", "34", "35", "36", "41":
		return true
	}
	return false
}

// checkElements validates elements for a GS1 symbol.
func checkElements(elements []gs1.Element) error {
	if len(elements) == 0 {
		return invalid("GS1", "", "needs at least one element")
	}
	total := 0
	for _, e := range elements {
		if err := checkElement(e); err != nil {
			return err
		}
		total += len(e.AI) + len(e.Raw)
	}
	if total > maxGS1Chars {
		reason := fmt.Sprintf("has %d data characters, GS1 allows %d", total, maxGS1Chars)
		return invalid("GS1", GS1Bracketed(elements), reason)
	}
	return nil
}

func checkElement(e gs1.Element) error {
	field := "GS1 (" + e.AI + ")"
	switch {
	case len(e.AI) < 2 || len(e.AI) > 4 || !allDigits(e.AI):
		return invalid("GS1 AI", e.AI, "must be 2 to 4 digits")
	case e.Raw == "":
		return invalid(field, "", "is empty")
	case strings.IndexFunc(e.Raw, notGS1Char) >= 0:
		return invalid(field, e.Raw, "holds a character outside the GS1 character set")
	}

	keyLength := map[string]int{"00": 18, "01": 14, "02": 14}[e.AI]
	if keyLength == 0 {
		return nil
	}
	if len(e.Raw) != keyLength || !allDigits(e.Raw) {
		return invalid(field, e.Raw, fmt.Sprintf("must be %d digits", keyLength))
	}
	return checkKeyDigit(field, e.Raw)
}

// checkKeyDigit checks the last digit of key, all digits, against CheckDigit.
func checkKeyDigit(field, key string) error {
	want, _ := CheckDigit(key[:len(key)-1])
	if got := int(key[len(key)-1] - '0'); got != want {
		reason := fmt.Sprintf("check digit %d is wrong, expected %d", got, want)
		return invalid(field, key, reason)
	}
	return nil
}

// notGS1Char reports whether r is outside GS1's 82-character set (General
// Specifications, figure 7.11-1): no space, # $ @ [ \ ] ^ ` { | } ~.
func notGS1Char(r rune) bool {
	return r <= ' ' || r > '~' || strings.ContainsRune("#$@[\\]^`{|}~", r)
}

// QR error-correction levels for QR, lowest to highest.
const (
	QRLow     = 'L' // 7% of the symbol can be lost
	QRMedium  = 'M' // 15%
	QRQuality = 'Q' // 25%
	QRHigh    = 'H' // 30%
)

// QR adds a QR code (^BQ, model 2) of data at (x, y), module being the side of
// one square, with error correction level ecc (QRLow … QRHigh). The field data
// starts "<ecc>A," as ^BQ requires: the level, then A for automatic input mode
// in which the printer picks numeric, alphanumeric or byte encoding.
//
// The symbol's size is bounded by assuming byte encoding of data's UTF-8; data
// that needs more than version 10 is refused. It records an *InvalidError for
// empty or too long data, a bad level, a module over 100 dots, or a symbol that
// does not fit.
func (l *Label) QR(x, y, module Length, ecc byte, data string) {
	mag, ok := l.moduleUpTo("QR", module, maxMatrixDots)
	if !ok {
		return
	}
	side, err := qrModules(ecc, data)
	if err != nil {
		l.fail(err)
		return
	}
	size := l.mm(side * mag)
	if !l.inside("QR", data, x, y, size, size) {
		return
	}

	l.origin(x, y)
	fmt.Fprintf(&l.body, "^BQN,2,%d,%c,7", mag, ecc)
	l.rawField(string(ecc) + "A," + escapeField(data))
}

// qrBytes holds how many bytes QR versions 1 to 10 take in byte mode at each
// error-correction level (ISO/IEC 18004, table 7).
var qrBytes = map[byte][]int{
	QRLow:     {17, 32, 53, 78, 106, 134, 154, 192, 230, 271},
	QRMedium:  {14, 26, 42, 62, 84, 106, 122, 152, 180, 213},
	QRQuality: {11, 20, 32, 46, 60, 74, 86, 108, 130, 151},
	QRHigh:    {7, 14, 24, 34, 44, 58, 64, 84, 98, 119},
}

// qrModules returns the side in modules of the largest QR code data can need.
func qrModules(ecc byte, data string) (int, error) {
	capacity, ok := qrBytes[ecc]
	if !ok {
		return 0, invalid("QR level", string(ecc), "must be L, M, Q or H")
	}
	if data == "" {
		return 0, invalid("QR", "", "is empty")
	}
	n := len(strings.ToValidUTF8(data, "?"))
	for version, most := range capacity {
		if n <= most {
			return 17 + 4*(version+1), nil
		}
	}
	reason := fmt.Sprintf("is %d bytes, more than %d fit a version 10 symbol at level %c",
		n, capacity[len(capacity)-1], ecc)
	return 0, invalid("QR", data, reason)
}

// DataMatrix adds a Data Matrix (^BX, ECC 200) of data at (x, y), module
// being the side of one square. Data is sent as given (UTF-8 for text).
//
// It records an *InvalidError for empty data, data too long for a 52x52
// symbol, a module over 100 dots, or a symbol that does not fit.
func (l *Label) DataMatrix(x, y, module Length, data string) {
	codewords := dataMatrixCodewords(data)
	escaped := strings.ReplaceAll(strings.ToValidUTF8(data, "?"), dmEscape, dmEscape+dmEscape)
	l.dataMatrix("DataMatrix", data, x, y, module, codewords, escaped)
}

// GS1DataMatrix adds a GS1 DataMatrix of elements at (x, y): FNC1 first, then
// each element string, with FNC1 after every variable-length value that is
// not last. It records the errors of GS1128 and DataMatrix.
func (l *Label) GS1DataMatrix(x, y, module Length, elements []gs1.Element) {
	if err := checkElements(elements); err != nil {
		l.fail(err)
		return
	}

	var data strings.Builder
	codewords := 1
	data.WriteString(dmFNC1)
	for i, e := range elements {
		data.WriteString(e.AI + strings.ReplaceAll(e.Raw, dmEscape, dmEscape+dmEscape))
		codewords += dataMatrixCodewords(e.AI + e.Raw)
		if i < len(elements)-1 && !predefinedLength(e.AI) {
			data.WriteString(dmFNC1)
			codewords++
		}
	}
	l.dataMatrix("GS1DataMatrix", GS1Bracketed(elements), x, y, module, codewords, data.String())
}

// ^BX quality 200 reads escape sequences after ^FH has turned hex escapes back
// into bytes (ZPL II Programming Guide, ^BX, field data for quality 200). The
// builder names "_" as the escape character in ^BX, so FNC1 is "_1" and a
// data "_" is "__"; as ^FH also uses "_", both reach the printer hex-escaped.
const (
	dmEscape = "_"
	dmFNC1   = dmEscape + "1"
)

// dataMatrix writes a ^BX field of escaped (^BX escape sequences, not yet
// ^FH) data that takes codewords data codewords.
func (l *Label) dataMatrix(what, value string, x, y, module Length, codewords int, escaped string) {
	dots, ok := l.moduleUpTo(what, module, maxMatrixDots)
	if !ok {
		return
	}
	if value == "" {
		l.fail(invalid(what, "", "is empty"))
		return
	}
	side := dataMatrixSide(codewords)
	if side == 0 {
		l.fail(invalid(what, value, "is too long for a Data Matrix of up to 52x52 modules"))
		return
	}
	if !l.inside(what, value, x, y, l.mm(side*dots), l.mm(side*dots)) {
		return
	}

	l.origin(x, y)
	fmt.Fprintf(&l.body, "^BXN,%d,200,,,,%s,1", dots, dmEscape)
	l.field(escaped)
}

// dataMatrixCodewords returns how many ASCII-encodation codewords data takes
// at most: one per digit pair or ASCII byte, two per byte above 127.
func dataMatrixCodewords(data string) int {
	n := 0
	for i := 0; i < len(data); i++ {
		switch {
		case i+1 < len(data) && isDigit(data[i]) && isDigit(data[i+1]):
			i++
			n++
		case data[i] > 127:
			n += 2
		default:
			n++
		}
	}
	return n
}

// dataMatrixSide returns the side of the smallest square ECC 200 symbol that
// holds codewords data codewords (ISO/IEC 16022, table 7), 0 when none up to
// 52x52 does.
func dataMatrixSide(codewords int) int {
	sizes := []struct{ side, data int }{
		{10, 3}, {12, 5}, {14, 8}, {16, 12}, {18, 18}, {20, 22}, {22, 30}, {24, 36},
		{26, 44}, {32, 62}, {36, 86}, {40, 114}, {44, 144}, {48, 174}, {52, 204},
	}
	for _, s := range sizes {
		if codewords <= s.data {
			return s.side
		}
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
