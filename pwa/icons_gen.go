//go:build ignore

// Command icons_gen draws the app icons under static/icons. It is run by hand
// (go generate ./pwa) only when the design changes; the PNGs are committed.
//
// The glyph, a parcel with a strip of tape, sits inside the central circle of
// radius 0.4 × size, so launchers that crop maskable icons to a circle or a
// squircle never cut it.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
)

var (
	background = color.RGBA{0x0d, 0x1b, 0x2a, 0xff} // the manifest's theme colour
	parcel     = color.RGBA{0xff, 0xb7, 0x03, 0xff}
	tape       = color.RGBA{0xc2, 0x7c, 0x00, 0xff}
)

func main() {
	for _, size := range []int{192, 512} {
		write(fmt.Sprintf("icon-%d.png", size), draw(size, true))
		write(fmt.Sprintf("maskable-%d.png", size), draw(size, false))
	}
}

// draw paints one icon: rounded is for purpose "any" (transparent corners),
// otherwise the background bleeds to the edges as maskable icons must.
func draw(size int, rounded bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	s := float64(size)

	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			c := background
			if rounded {
				c.A = uint8(255 * coverage(x, y, s, 0.18*s))
			}
			img.SetRGBA(x, y, premultiply(c))
		}
	}

	fill(img, rect(s, 0.29, 0.38, 0.71, 0.74), parcel) // the box
	fill(img, rect(s, 0.25, 0.27, 0.75, 0.37), parcel) // its lid, a little wider
	fill(img, rect(s, 0.455, 0.27, 0.545, 0.74), tape)
	return img
}

// coverage is the share of pixel (x, y) inside a square of side s with
// corners rounded by radius r, sampled on a 4×4 grid to smooth the edge.
func coverage(x, y int, s, r float64) float64 {
	in := 0
	for j := 0; j < 4; j++ {
		for i := 0; i < 4; i++ {
			px := float64(x) + (float64(i)+0.5)/4
			py := float64(y) + (float64(j)+0.5)/4
			if insideRounded(px, py, s, r) {
				in++
			}
		}
	}
	return float64(in) / 16
}

func insideRounded(px, py, s, r float64) bool {
	cx := min(max(px, r), s-r)
	cy := min(max(py, r), s-r)
	dx, dy := px-cx, py-cy
	return dx*dx+dy*dy <= r*r
}

func premultiply(c color.RGBA) color.RGBA {
	a := uint32(c.A)
	return color.RGBA{
		R: uint8(uint32(c.R) * a / 255),
		G: uint8(uint32(c.G) * a / 255),
		B: uint8(uint32(c.B) * a / 255),
		A: c.A,
	}
}

// rect is the rectangle from (x0, y0) to (x1, y1), given as shares of size s.
func rect(s, x0, y0, x1, y1 float64) image.Rectangle {
	return image.Rect(int(x0*s), int(y0*s), int(x1*s), int(y1*s))
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

func write(name string, img image.Image) {
	f, err := os.Create(filepath.Join("static", "icons", name))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := png.Encode(f, img); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
