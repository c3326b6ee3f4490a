package labels

import (
	"fmt"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"
)

// Sizes QRPNG draws, in pixels. The largest QR symbol, version 40, is 177
// modules and its quiet zone 4 more each side: below 185 pixels some codes
// would not fit, and the library would then draw a larger image than asked.
const (
	MinQRPNGSize = 185
	MaxQRPNGSize = 2048
)

// QRPNG draws data as a QR code for a screen: a square black-on-white PNG,
// size x size pixels, quiet zone included, at error correction level H (30%),
// the level the badge label prints (skip2/go-qrcode calls it Highest; its
// High is level Q). Each module is drawn a whole or nearly whole number of
// pixels wide, so a size that is a multiple of the symbol's width draws the
// sharpest picture.
//
// It returns an *InvalidError when data is empty or too long for a QR code,
// or size is outside MinQRPNGSize to MaxQRPNGSize.
func QRPNG(data string, size int) ([]byte, error) {
	if data == "" {
		return nil, invalid("QR data", "", "is required")
	}
	if size < MinQRPNGSize || size > MaxQRPNGSize {
		reason := fmt.Sprintf("must be %d to %d pixels", MinQRPNGSize, MaxQRPNGSize)
		return nil, invalid("QR size", fmt.Sprint(size), reason)
	}
	q, err := qrcode.New(data, qrcode.Highest)
	if err != nil {
		reason := fmt.Sprintf("%d bytes do not fit a QR code at level H", len(data))
		if utf8.RuneCountInString(data) > 32 {
			data = withEllipsis(data, 33) // an error need not repeat it all
		}
		return nil, invalid("QR data", data, reason)
	}

	png, err := q.PNG(size)
	if err != nil {
		return nil, fmt.Errorf("QR PNG: %w", err)
	}
	return png, nil
}
