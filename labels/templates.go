package labels

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bin is what goes on a shelf's bin location label.
type Bin struct {
	Code string // the location, e.g. "A-01-03-B"; printed big and as Code 128
}

// Tote is what goes on a picking tote's label.
type Tote struct {
	Code string // e.g. "TOTE-0042"; printed big and as Code 128
}

// Product is what goes on a product (shelf-edge or item) label.
type Product struct {
	Title string // wrapped to two lines, the second cut with "…" when longer
	SKU   string
	GTIN  string // GTIN-8, -12, -13 (the in-house "20…" EAN-13 too) or -14 starting with 0
	Price string // as it should print, e.g. "£12.99"; "" leaves it out
}

// Badge is what goes on a user's badge.
type Badge struct {
	Name string // printed big, wrapped to two lines
	Role string // optional, under the name
	Code string // the badge code scanners read, as a QR code and as text
}

// Label sizes of the templates, in mm: bin and product labels of common
// stock, a larger tote label to scan from further away, and a badge the size
// of an ID-1 card (85.6 x 54 mm).
const (
	binWidth, binHeight         Length = 100, 50
	toteWidth, toteHeight       Length = 100, 75
	productWidth, productHeight Length = 60, 40
	badgeWidth, badgeHeight     Length = 86, 54
	smallMargin                 Length = 2.5
)

// BinLabel renders a 100 x 50 mm bin location label: "BIN", the code in the
// largest type that fits, and its Code 128 barcode across the bottom.
//
// It returns an *InvalidError (wrapped) when Code is empty, not printable
// ASCII, too long for the barcode or to print across the label, or p is
// refused by NewLabel.
func BinLabel(b Bin, p Printer) ([]byte, error) {
	zpl, err := codeLabel(codeLayout{"BIN", binWidth, binHeight, 18, 20}, b.Code, p)
	if err != nil {
		return nil, fmt.Errorf("bin label: %w", err)
	}
	return zpl, nil
}

// ToteLabel renders a 100 x 75 mm tote label: "TOTE", the code in the
// largest type that fits, and a tall Code 128 barcode to scan from a distance.
//
// It returns an *InvalidError (wrapped) when Code is empty, not printable
// ASCII, too long for the barcode or to print across the label, or p is
// refused by NewLabel.
func ToteLabel(t Tote, p Printer) ([]byte, error) {
	zpl, err := codeLabel(codeLayout{"TOTE", toteWidth, toteHeight, 22, 40}, t.Code, p)
	if err != nil {
		return nil, fmt.Errorf("tote label: %w", err)
	}
	return zpl, nil
}

// codeLayout is the shape of a label that shows one code big and as Code 128.
type codeLayout struct {
	caption       string
	width, height Length
	maxText       Length // height of the code's type when it fits
	barHeight     Length
}

// codeLabel renders c for code: caption at the top, the code below it in
// the largest type up to maxText that fits the width, the barcode at the
// bottom with the widest module that fits, centred.
func codeLabel(c codeLayout, code string, p Printer) ([]byte, error) {
	code = strings.TrimSpace(code)
	if err := checkCode(code); err != nil {
		return nil, err
	}
	inner := c.width - 2*margin
	module := codeModule(code, inner)
	if module == 0 {
		return nil, invalid("Code", code, "is too long for a Code 128 barcode on this label")
	}
	l, err := NewLabel(c.width, c.height, p)
	if err != nil {
		return nil, err
	}

	font := fitFont(code, inner, c.maxText)
	if Length(utf8.RuneCountInString(code))*font.Width > inner {
		return nil, invalid("Code", code, "is too long to print across this label")
	}
	l.Text(margin, margin, small.Font, c.caption)
	l.Text(margin, margin+small.pitch+1, font, code)

	barY := c.height - margin - c.barHeight
	l.Code128((c.width-Code128Width(code, module))/2, barY, module, c.barHeight, code)
	return l.Bytes()
}

func checkCode(code string) error {
	switch {
	case code == "":
		return invalid("Code", "", "is required")
	case strings.IndexFunc(code, notPrintableASCII) >= 0:
		return invalid("Code", code, "must be printable ASCII for the Code 128 barcode")
	}
	return nil
}

// codeModule picks the widest Code 128 module, 0.375 mm (the most ^BY takes
// at 600 dpi, in whole dots at 203 dpi) down to 0.125 mm, whose symbol and
// quiet zones fit width; 0 when none does.
func codeModule(code string, width Length) Length {
	for n := 3; n >= 1; n-- {
		module := Length(n) * barUnit
		if Code128Width(code, module)+20*module <= width {
			return module
		}
	}
	return 0
}

// fitFont returns font 0 at the largest height, up to most and down to 2.5
// mm in steps of 0.5 mm, at which text fits width (each character taken as
// wide as the font's width, 0.9 of its height).
func fitFont(text string, width, most Length) Font {
	n := Length(utf8.RuneCountInString(text))
	h := most
	for ; h > 2.5 && n*charWidth(h) > width; h -= 0.5 {
	}
	return Font{Name: '0', Height: h, Width: charWidth(h)}
}

// charWidth is the character width used with a font height h: 0.9 of it,
// rounded down to a whole dot at 203 dpi so sizes stay exact.
func charWidth(h Length) Length {
	return Length(int(h*0.9*8)) / 8
}

// ProductLabel renders a 60 x 40 mm product label: the title on up to two
// lines, the SKU and the price, and the GTIN's retail barcode (see
// Label.GTIN) with its digits.
//
// It returns an *InvalidError (wrapped) when Title or SKU is blank, GTIN is
// not a valid GTIN a retail symbol carries, or p is refused by NewLabel.
func ProductLabel(pr Product, p Printer) ([]byte, error) {
	zpl, err := productLabel(pr, p)
	if err != nil {
		return nil, fmt.Errorf("product label: %w", err)
	}
	return zpl, nil
}

func productLabel(pr Product, p Printer) ([]byte, error) {
	switch {
	case strings.TrimSpace(pr.Title) == "":
		return nil, invalid("Title", "", "is required")
	case strings.TrimSpace(pr.SKU) == "":
		return nil, invalid("SKU", "", "is required")
	}
	if _, _, err := retailSymbology(pr.GTIN); err != nil {
		return nil, err
	}
	l, err := NewLabel(productWidth, productHeight, p)
	if err != nil {
		return nil, err
	}

	inner := productWidth - 2*smallMargin
	c := column{l: l, x: smallMargin, y: smallMargin}
	for _, line := range titleLines(pr.Title, int(inner/small.Width)) {
		c.line(small, line)
	}
	c.y = 9
	c.fit(inner, prefixed("SKU ", pr.SKU), small)
	c.fit(inner, pr.Price, large, medium)

	const module, bars Length = 0.375, 12
	x := (productWidth - Length(11+95+11)*module) / 2
	l.GTIN(Length(int(x*8))/8, 19, module, bars, pr.GTIN)
	return l.Bytes()
}

// titleLines wraps title to chars a line and keeps two lines, the second cut
// with "…" when more were left.
func titleLines(title string, chars int) []string {
	lines := WrapLine(title, chars)
	if len(lines) <= 2 {
		return lines
	}
	return []string{lines[0], withEllipsis(lines[1]+" "+lines[2], chars)}
}

// badgeQRModule is the badge's QR module: a version 2 symbol is 25 mm across.
const badgeQRModule Length = 1

// BadgeLabel renders an 86 x 54 mm user badge: the name in large type on up
// to two lines (smaller type when it needs more), the role under it, and the
// badge code as a QR code (level H, so a scuffed card still scans) with the
// code as text beneath.
//
// It returns an *InvalidError (wrapped) when Name is blank, Code is empty or
// not printable ASCII or too long for the QR code, or p is refused by NewLabel.
func BadgeLabel(b Badge, p Printer) ([]byte, error) {
	zpl, err := badgeLabel(b, p)
	if err != nil {
		return nil, fmt.Errorf("badge label: %w", err)
	}
	return zpl, nil
}

func badgeLabel(b Badge, p Printer) ([]byte, error) {
	code := strings.TrimSpace(b.Code)
	if strings.TrimSpace(b.Name) == "" {
		return nil, invalid("Name", "", "is required")
	}
	if err := checkCode(code); err != nil {
		return nil, err
	}
	side, err := qrModules(QRHigh, code)
	if err != nil {
		return nil, err
	}
	l, err := NewLabel(badgeWidth, badgeHeight, p)
	if err != nil {
		return nil, err
	}

	qr := Length(side) * badgeQRModule
	qrX := badgeWidth - margin - qr
	textWidth := qrX - margin - columnGap
	name := column{l: l, x: margin, y: 8}
	font := nameFont(b.Name, textWidth)
	for _, line := range titleLines(b.Name, int(textWidth/font.Width)) {
		name.line(font, line)
	}
	name.y += 2
	name.fit(textWidth, b.Role, medium, small)

	l.QR(qrX, 8, badgeQRModule, QRHigh, code)
	l.Text(qrX, 8+qr+1.5, small.Font, code)
	return l.Bytes()
}

// nameFont returns the largest type in which name takes at most two lines of
// width.
func nameFont(name string, width Length) lineFont {
	fonts := []lineFont{{Font{Name: '0', Height: 7, Width: 6}, 8}, large, medium}
	for _, f := range fonts {
		if len(WrapLine(name, int(width/f.Width))) <= 2 {
			return f
		}
	}
	return small
}
