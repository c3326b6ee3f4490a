package scanner

import (
	"fmt"
	"strconv"
)

// cp437High holds code points 0x80-0xFF of IBM code page 437, the OEM code
// page of US Windows, which Alt+NNN (no leading zero) types for NNN >= 128.
var cp437High = []rune(
	"ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒ" +
		"áíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐" +
		"└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
		"αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0")

// cp1252C1 holds code points 0x80-0x9F of Windows-1252, which Alt+0NNN
// types; U+FFFD marks the five positions Windows-1252 leaves undefined.
// 0xA0-0xFF are the same as ISO 8859-1 and so as Unicode.
var cp1252C1 = []rune("€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ")

// altCodeRune returns the character that holding Alt and typing digits on
// the keypad produces on Windows, which keyboard-wedge scanners imitate to
// send characters a layout has no key for:
//
//   - with a leading 0 (Alt+0228), the Windows-1252 character with that code:
//     0-255, "ä" for 0228;
//   - without (Alt+29), the OEM code page 437 character: 1-127 are ASCII,
//     including control characters (Alt+29 is GS), 128-255 code page 437.
//
// It returns an error naming the digits for codes above 255 or undefined
// in Windows-1252. (Windows itself takes larger codes modulo 256; a scanner
// that sends one is misconfigured, so it is refused rather than guessed.)
func altCodeRune(digits string) (rune, error) {
	n, err := strconv.Atoi(digits)
	if err != nil || n > 255 {
		return 0, fmt.Errorf("alt code Alt+%s: want 0-255", digits)
	}
	if digits[0] == '0' {
		return cp1252Rune(digits, n)
	}
	if n < 0x80 {
		return rune(n), nil
	}
	return cp437High[n-0x80], nil
}

func cp1252Rune(digits string, n int) (rune, error) {
	if n < 0x80 || n >= 0xa0 {
		return rune(n), nil
	}
	r := cp1252C1[n-0x80]
	if r == '\ufffd' {
		return 0, fmt.Errorf("alt code Alt+%s: undefined in Windows-1252", digits)
	}
	return r, nil
}
