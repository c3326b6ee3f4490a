package scanner

import (
	"fmt"
	"maps"
	"strings"
)

// Layout maps USB HID keyboard usages (HID Usage Tables, keyboard/keypad page
// 0x07) to the characters a host set to that keyboard layout would type. A
// keyboard-wedge scanner is configured for a layout and sends, for each
// character, the key that produces it in that layout; the server must decode
// with the same layout.
//
// Plain holds the character without modifiers, Shift with Shift held and
// AltGr with the right Alt key (AltGr) held. A usage missing from the table
// for the level in use is an unsupported key.
//
// To add a layout: Clone the closest existing one, Set the keys that differ
// (look each key up by its usage id in HID Usage Tables section 10, not by
// its label), add it to the switch in LayoutByName, and add a table test case
// for each changed key in hid_decoder_test.go.
type Layout struct {
	Name  string
	Plain map[byte]rune
	Shift map[byte]rune
	AltGr map[byte]rune
}

// Built-in layouts. Do not modify them; Clone one to derive another.
var (
	LayoutUS = newLayoutUS()
	LayoutUK = newLayoutUK()
	LayoutDE = newLayoutDE()
)

// LayoutByName returns the built-in layout called name ("us", "uk" or "de",
// any case; "" means "us"). It returns an error naming the value for any
// other name.
func LayoutByName(name string) (*Layout, error) {
	switch strings.ToLower(name) {
	case "", "us":
		return LayoutUS, nil
	case "uk", "gb":
		return LayoutUK, nil
	case "de":
		return LayoutDE, nil
	}
	return nil, fmt.Errorf("keyboard layout %q: unknown (want us, uk or de)", name)
}

// Clone returns a deep copy of l named name, for deriving a new layout.
func (l *Layout) Clone(name string) *Layout {
	return &Layout{
		Name:  name,
		Plain: maps.Clone(l.Plain),
		Shift: maps.Clone(l.Shift),
		AltGr: maps.Clone(l.AltGr),
	}
}

// Set makes usage type plain without modifiers and shift with Shift held;
// a zero rune removes the key from that level.
func (l *Layout) Set(usage byte, plain, shift rune) {
	setOrDelete(l.Plain, usage, plain)
	setOrDelete(l.Shift, usage, shift)
}

func setOrDelete(m map[byte]rune, usage byte, r rune) {
	if r == 0 {
		delete(m, usage)
		return
	}
	m[usage] = r
}

// setRow sets consecutive usages starting at first from two equally long
// strings: the plain and the shifted characters.
func (l *Layout) setRow(first byte, plain, shift string) {
	p, s := []rune(plain), []rune(shift)
	for i := range p {
		l.Set(first+byte(i), p[i], s[i])
	}
}

// Keypad usages 0x54-0x63. Scanners send keypad keys as if NumLock were on,
// so the keypad ignores Shift (see HIDDecoder).
const (
	usageKeypadFirst = 0x54
	usageKeypadLast  = 0x63
)

func newLayoutUS() *Layout {
	l := &Layout{Name: "us", Plain: map[byte]rune{}, Shift: map[byte]rune{}, AltGr: map[byte]rune{}}
	l.setRow(0x04, "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	l.setRow(0x1e, "1234567890", "!@#$%^&*()")
	l.Set(0x29, 0x1b, 0) // Escape
	l.Set(0x2a, 0x08, 0) // Backspace
	l.Set(0x2b, '\t', 0)
	l.Set(0x2c, ' ', ' ')
	l.setRow(0x2d, "-=[]\\\\;'`,./", "_+{}||:\"~<>?") // 0x32 (non-US #) acts as 0x31
	l.setRow(0x64, "\\", "|")                         // non-US \ (ISO key left of Z)
	l.setRow(usageKeypadFirst, "/*-+", "/*-+")
	l.setRow(0x59, "1234567890.", "1234567890.")
	return l
}

func newLayoutUK() *Layout {
	l := LayoutUS.Clone("uk")
	l.Set(0x1f, '2', '"')
	l.Set(0x20, '3', '£')
	l.Set(0x31, '#', '~') // the ISO key beside Enter; 0x31 and 0x32 are one scancode
	l.Set(0x32, '#', '~')
	l.Set(0x34, '\'', '@')
	l.Set(0x35, '`', '¬')
	l.Set(0x64, '\\', '|')
	l.AltGr[0x21] = '€'
	return l
}

func newLayoutDE() *Layout {
	l := LayoutUS.Clone("de")
	l.Set(0x1c, 'z', 'Z') // QWERTZ: Z and Y swap places
	l.Set(0x1d, 'y', 'Y')
	l.setRow(0x1e, "1234567890", "!\"§$%&/()=")
	l.setRow(0x2d, "ß´ü+##öä^,.-", "?`Ü*''ÖÄ°;:_")
	l.Set(0x64, '<', '>')
	l.Set(0x63, ',', ',') // keypad decimal separator
	altGr := map[byte]rune{
		0x14: '@', 0x08: '€', 0x10: 'µ', 0x1f: '²', 0x20: '³',
		0x24: '{', 0x25: '[', 0x26: ']', 0x27: '}', 0x2d: '\\',
		0x30: '~', 0x64: '|',
	}
	maps.Copy(l.AltGr, altGr)
	return l
}
