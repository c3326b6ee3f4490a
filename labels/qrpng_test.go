package labels_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/labels"
)

// inkCount decodes a PNG and counts its black and its white pixels; it
// fails the test when the picture holds any other colour.
func inkCount(t *testing.T, data []byte) (img image.Image, black, white int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			switch r, g, bl, a := img.At(x, y).RGBA(); {
			case a == 0xffff && r == 0 && g == 0 && bl == 0:
				black++
			case a == 0xffff && r == 0xffff && g == 0xffff && bl == 0xffff:
				white++
			default:
				t.Fatalf("pixel (%d, %d) is neither black nor white: %v", x, y, img.At(x, y))
			}
		}
	}
	return img, black, white
}

func TestQRPNG(t *testing.T) {
	tests := []struct {
		name string
		data string
		size int
	}{
		{"badge code", "USER-ANN", 256},
		{"smallest size", "USER-ANN", labels.MinQRPNGSize},
		{"largest size", "USER-BO", labels.MaxQRPNGSize},
		{"odd size", "USER-ZOË", 301},
		// The most bytes level H holds: version 40, 177 modules and the
		// quiet zone, still drawn at the smallest size asked.
		{"version 40", strings.Repeat("x", 1273), labels.MinQRPNGSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := labels.QRPNG(tt.data, tt.size)
			if err != nil {
				t.Fatal(err)
			}
			img, black, white := inkCount(t, data)
			if b := img.Bounds(); b.Dx() != tt.size || b.Dy() != tt.size {
				t.Errorf("picture is %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.size, tt.size)
			}
			// A QR code is roughly half dark modules, inside a white quiet zone.
			total := tt.size * tt.size
			if black < total/5 || white < total/3 {
				t.Errorf("%d black and %d white pixels of %d, want both plenty", black, white, total)
			}
			// The quiet zone leaves the corners white.
			if r, _, _, _ := img.At(0, 0).RGBA(); r != 0xffff {
				t.Errorf("top-left pixel is not white: the quiet zone is missing")
			}
		})
	}
}

// TestQRPNGDiffers: two codes draw two different pictures, and one code
// always the same.
func TestQRPNGDiffers(t *testing.T) {
	draw := func(data string) []byte {
		t.Helper()
		png, err := labels.QRPNG(data, 256)
		if err != nil {
			t.Fatal(err)
		}
		return png
	}
	ann, bo := draw("USER-ANN"), draw("USER-BO")
	if bytes.Equal(ann, bo) {
		t.Error("USER-ANN and USER-BO draw the same PNG")
	}
	if !bytes.Equal(ann, draw("USER-ANN")) {
		t.Error("USER-ANN drawn twice gives two different PNGs")
	}
}

func TestQRPNGRefused(t *testing.T) {
	tests := []struct {
		name string
		data string
		size int
		want string
	}{
		{"no data", "", 256, "QR data: is required"},
		{"too small", "USER-ANN", labels.MinQRPNGSize - 1, `QR size "184": must be 185 to 2048 pixels`},
		{"too large", "USER-ANN", labels.MaxQRPNGSize + 1, `QR size "2049": must be 185 to 2048 pixels`},
		{"negative", "USER-ANN", -4, `QR size "-4": must be 185 to 2048 pixels`},
		{"too long", strings.Repeat("x", 1274), 256,
			`QR data "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…": 1274 bytes do not fit a QR code at level H`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			png, err := labels.QRPNG(tt.data, tt.size)
			var invalid *labels.InvalidError
			if !errors.As(err, &invalid) || err.Error() != tt.want || png != nil {
				t.Errorf("QRPNG = %d bytes, %v; want an *InvalidError %q", len(png), err, tt.want)
			}
		})
	}
}
