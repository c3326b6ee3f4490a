package labels

import (
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"strings"
)

// Image adds img at (x, y), scaled to width (its height in proportion) at the
// label's resolution and reduced to black and white: a pixel prints black when
// it is darker than mid-grey and more than half opaque. It is written as one
// ^GFA field of hexadecimal rows, each padded to whole bytes (ZPL II
// Programming Guide, ^GF), so a logo needs no encoder on the host or storage
// on the printer. Scaling takes the nearest pixel; give an image drawn for
// about the size it prints at for the sharpest result.
//
// It records an *InvalidError for an empty image, a width that is not
// positive, or an image that does not fit.
func (l *Label) Image(x, y, width Length, img image.Image) {
	bounds := img.Bounds()
	if bounds.Empty() || width <= 0 {
		size := fmt.Sprintf("%dx%d px, %v mm wide", bounds.Dx(), bounds.Dy(), width)
		l.fail(invalid("Image", size, "must have pixels and a positive width"))
		return
	}
	cols := max(l.dots(width), 1)
	rows := max(cols*bounds.Dy()/bounds.Dx(), 1)
	if !l.inside("Image", "", x, y, l.mm(cols), l.mm(rows)) {
		return
	}

	rowBytes := (cols + 7) / 8
	bits := make([]byte, rowBytes*rows)
	for r := range rows {
		for c := range cols {
			px := img.At(bounds.Min.X+c*bounds.Dx()/cols, bounds.Min.Y+r*bounds.Dy()/rows)
			if black(px) {
				bits[r*rowBytes+c/8] |= 0x80 >> (c % 8)
			}
		}
	}

	l.origin(x, y)
	fmt.Fprintf(&l.body, "^GFA,%d,%d,%d,%s^FS\n",
		len(bits), len(bits), rowBytes, strings.ToUpper(hex.EncodeToString(bits)))
}

// black reports whether c prints as a black dot.
func black(c color.Color) bool {
	gray := color.Gray16Model.Convert(c).(color.Gray16)
	_, _, _, alpha := c.RGBA()
	return alpha > 0x7FFF && gray.Y < 0x8000
}
