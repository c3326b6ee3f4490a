package scanner

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Modifier bits of byte 0 of a boot keyboard report (HID 1.11 appendix B.1).
const (
	modLCtrl  = 0x01
	modLShift = 0x02
	modLAlt   = 0x04
	modRCtrl  = 0x10
	modRShift = 0x20
	modRAlt   = 0x40 // AltGr in layouts that have one
)

// Usages with a meaning of their own (HID Usage Tables section 10).
const (
	usageErrorRollOver = 0x01 // too many keys down: the report carries no key state
	usageErrorUndef    = 0x03
	usageEnter         = 0x28
	usageCapsLock      = 0x39
	usageScrollLock    = 0x47
	usageNumLock       = 0x53
	usageKeypadEnter   = 0x58
	usageKeypad1       = 0x59
	usageKeypad0       = 0x62
	usageModFirst      = 0xe0 // modifier keys also reported as usages by some devices
)

// HIDReportLen is the length of a boot-protocol keyboard input report:
// modifier byte, reserved byte, six key usages.
const HIDReportLen = 8

// HIDDecoder turns USB HID boot-keyboard input reports from a keyboard-wedge
// scanner into scans. It is not safe for concurrent use.
//
// The rules it applies:
//   - A report's modifier byte applies to the keys in that report.
//   - Only key-down edges type: a usage counts when it appears in a report
//     and was not in the previous one, so a key held across reports types
//     once. An all-zero report releases every key.
//   - Enter (0x28) or keypad Enter (0x58) ends a scan; an Enter with nothing
//     buffered produces no scan.
//   - Keypad keys type their NumLock-on character whatever the Shift state,
//     as scanners send digits that way.
//   - Ctrl with a key types a control character: Ctrl+] is GS (0x1D), Ctrl+^
//     RS, Ctrl+D EOT, Ctrl+J LF. The character the layout gives at the
//     current Shift/AltGr level is taken from '@'-'_' or 'a'-'z' to 0x00-0x1F;
//     when the layout's character has no control form, the US character of
//     the same key is tried (scanners set to another layout often still send
//     GS as Ctrl plus the US ']' key).
//   - Alt (left Alt, or right Alt in layouts without AltGr) held while keypad
//     digits are typed makes one character when Alt is released, as on
//     Windows: see altCodeRune for the code pages.
//   - A scan starts at its first printable character: control characters
//     before it are dropped. This swallows vendor suffixes sent after Enter,
//     such as the Ctrl+Shift+J (LF) that follows Enter in the real capture,
//     so they cannot start a garbage scan. Inside a scan control characters
//     are data (GS separates GS1 fields).
//   - An 8-byte report is a boot report; a 9-byte report is taken as a
//     report id followed by a boot report (report protocol with ids). Other
//     lengths are refused with an error and change nothing.
//   - A key the layout cannot type is an error naming the usage and the
//     modifiers; the scan it was part of is discarded up to its Enter, so a
//     scan with a hole in it is never delivered.
type HIDDecoder struct {
	layout  *Layout
	held    []byte          // usages down in the previous report
	buf     strings.Builder // the scan so far
	altCode []byte          // keypad digits typed while Alt is held
	broken  error           // the current scan hit this error and will be discarded
}

// NewHIDDecoder returns a decoder for scanners set to layout; nil means
// LayoutUS.
func NewHIDDecoder(layout *Layout) *HIDDecoder {
	if layout == nil {
		layout = LayoutUS
	}
	return &HIDDecoder{layout: layout}
}

// Feed decodes one input report and returns the scans it completed, in
// order. Its error joins every problem in the report (wrong length, keys the
// layout cannot type, bad Alt codes); the keys of the report that decoded
// are still applied.
func (d *HIDDecoder) Feed(report []byte) (scans []string, err error) {
	r, err := bootReport(report)
	if err != nil {
		return nil, err
	}
	mod, keys := r[0], r[2:HIDReportLen]
	if slices.Contains(keys, usageErrorRollOver) {
		return nil, nil // phantom state: keep the previous key state
	}

	var errs []error
	if len(d.altCode) > 0 && !d.altHeld(mod) {
		errs = append(errs, d.finishAltCode())
	}
	for _, k := range keys {
		if k == 0 || slices.Contains(d.held, k) {
			continue
		}
		scan, kerr := d.press(k, mod)
		if scan != "" {
			scans = append(scans, scan)
		}
		errs = append(errs, kerr)
	}
	d.held = append(d.held[:0], keys...)
	return scans, errors.Join(errs...)
}

// Pending describes what the decoder holds that no Enter has completed yet:
// a partial scan, Alt code digits or a scan being discarded after an error.
// It returns "" when nothing is pending; replay tests check it to fail on
// reports left over after the last scan.
func (d *HIDDecoder) Pending() string {
	var parts []string
	if d.buf.Len() > 0 {
		parts = append(parts, fmt.Sprintf("partial scan %q", d.buf.String()))
	}
	if len(d.altCode) > 0 {
		parts = append(parts, fmt.Sprintf("alt code Alt+%s", d.altCode))
	}
	if d.broken != nil {
		parts = append(parts, fmt.Sprintf("scan discarded after: %v", d.broken))
	}
	return strings.Join(parts, "; ")
}

// Reset forgets held keys and anything pending, as after the device was
// reopened.
func (d *HIDDecoder) Reset() {
	*d = HIDDecoder{layout: d.layout}
}

// bootReport returns the 8-byte boot report in report, stripping a report
// id, or an error naming the length.
func bootReport(report []byte) ([]byte, error) {
	switch len(report) {
	case HIDReportLen:
		return report, nil
	case HIDReportLen + 1:
		return report[1:], nil
	}
	return nil, fmt.Errorf("hid report % x: length %d, want %d (boot keyboard) or %d (with report id)",
		report, len(report), HIDReportLen, HIDReportLen+1)
}

// press handles the key-down edge of usage k with modifiers mod. It returns
// the completed scan if k ended one.
func (d *HIDDecoder) press(k, mod byte) (string, error) {
	switch {
	case k >= usageModFirst, k <= usageErrorUndef,
		k == usageCapsLock, k == usageNumLock, k == usageScrollLock:
		return "", nil // carry no character; lock states are not tracked
	case k == usageEnter || k == usageKeypadEnter:
		return d.endScan(), nil
	case d.altHeld(mod):
		return "", d.altDigit(k, mod)
	}
	r, err := d.keyRune(k, mod)
	if err != nil {
		return "", d.fail(err)
	}
	d.add(r)
	return "", nil
}

// endScan returns the buffered scan and starts a new one. A discarded scan
// returns "".
func (d *HIDDecoder) endScan() string {
	scan := d.buf.String()
	if d.broken != nil {
		scan = ""
	}
	d.buf.Reset()
	d.broken = nil
	return scan
}

// add appends r to the scan, dropping control characters before the first
// printable one (vendor suffixes after Enter).
func (d *HIDDecoder) add(r rune) {
	if d.buf.Len() == 0 && (r < 0x20 || r == 0x7f) {
		return
	}
	d.buf.WriteRune(r)
}

// fail marks the current scan as discarded and returns err.
func (d *HIDDecoder) fail(err error) error {
	if d.broken == nil {
		d.broken = err
	}
	return err
}

// altHeld reports whether mod holds an Alt key that starts Alt codes: left
// Alt, or right Alt when the layout gives it no AltGr characters.
func (d *HIDDecoder) altHeld(mod byte) bool {
	return mod&modLAlt != 0 || (mod&modRAlt != 0 && len(d.layout.AltGr) == 0)
}

// altDigit records keypad digit k of an Alt code.
func (d *HIDDecoder) altDigit(k, mod byte) error {
	if k < usageKeypad1 || k > usageKeypad0 {
		return d.fail(fmt.Errorf(
			"key usage 0x%02x with modifiers 0x%02x: Alt with a key other than a keypad digit", k, mod))
	}
	digit := byte('1' + k - usageKeypad1)
	if k == usageKeypad0 {
		digit = '0'
	}
	d.altCode = append(d.altCode, digit)
	return nil
}

// finishAltCode types the character of the Alt code collected so far.
func (d *HIDDecoder) finishAltCode() error {
	digits := string(d.altCode)
	d.altCode = d.altCode[:0]
	r, err := altCodeRune(digits)
	if err != nil {
		return d.fail(err)
	}
	d.add(r)
	return nil
}

// keyRune returns the character usage k types with modifiers mod in the
// decoder's layout, or an error naming both.
func (d *HIDDecoder) keyRune(k, mod byte) (rune, error) {
	r, ok := lookupKey(d.layout, k, mod)
	if ok && mod&(modLCtrl|modRCtrl) != 0 {
		r, ok = controlRune(r)
		if !ok {
			us, usOK := lookupKey(LayoutUS, k, mod)
			r, ok = controlRune(us)
			ok = ok && usOK
		}
	}
	if !ok {
		return 0, fmt.Errorf("key usage 0x%02x with modifiers 0x%02x: not in keyboard layout %q",
			k, mod, d.layout.Name)
	}
	return r, nil
}

// lookupKey finds usage k in l at the level mod selects. The keypad ignores
// Shift (NumLock on).
func lookupKey(l *Layout, k, mod byte) (rune, bool) {
	table := l.Plain
	switch {
	case mod&modRAlt != 0 && len(l.AltGr) > 0:
		table = l.AltGr
	case k >= usageKeypadFirst && k <= usageKeypadLast:
	case mod&(modLShift|modRShift) != 0:
		table = l.Shift
	}
	r, ok := table[k]
	return r, ok
}

// controlRune returns the control character Ctrl with r types, if any.
func controlRune(r rune) (rune, bool) {
	switch {
	case r >= '@' && r <= '_':
		return r - '@', true
	case r >= 'a' && r <= 'z':
		return r - 'a' + 1, true
	}
	return 0, false
}
