package scanner

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// kr builds a boot report from a modifier byte and key usages.
func kr(mod byte, keys ...byte) []byte {
	r := make([]byte, HIDReportLen)
	r[0] = mod
	copy(r[2:], keys)
	return r
}

var release = kr(0)

// feedAll feeds reports and collects scans and error texts.
func feedAll(d *HIDDecoder, reports ...[]byte) (scans []string, errs []string) {
	for _, r := range reports {
		s, err := d.Feed(r)
		scans = append(scans, s...)
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	return scans, errs
}

func TestHIDDecoderFeed(t *testing.T) {
	enter := kr(0, usageEnter)
	tests := []struct {
		name    string
		layout  *Layout
		reports [][]byte
		want    []string
		wantErr string // substring of the only error, "" for none
	}{
		{"shift applies per report", nil,
			[][]byte{kr(modLShift, 0x04), kr(0, 0x05), kr(modRShift, 0x06), release, enter},
			[]string{"AbC"}, ""},
		{"held key types once", nil,
			[][]byte{kr(0, 0x1e), kr(0, 0x1e), kr(0, 0x1e), release, kr(0, 0x1e), release, enter},
			[]string{"11"}, ""},
		{"rollover: two keys in one report, in slot order", nil,
			[][]byte{kr(0, 0x1e, 0x1f), kr(0, 0x1f), kr(0, 0x1f, 0x20), release, enter},
			[]string{"123"}, ""},
		{"ErrorRollOver report keeps the previous state", nil,
			[][]byte{kr(0, 0x1e), kr(0, 1, 1, 1, 1, 1, 1), kr(0, 0x1e), release, enter},
			[]string{"1"}, ""},
		{"shift on a held key does not retype it", nil,
			[][]byte{kr(0, 0x04), kr(modLShift, 0x04), release, enter},
			[]string{"a"}, ""},
		{"US Shift+2 is @", LayoutUS, [][]byte{kr(modLShift, 0x1f), enter}, []string{"@"}, ""},
		{"UK Shift+2 is double quote", LayoutUK, [][]byte{kr(modLShift, 0x1f), enter}, []string{`"`}, ""},
		{"UK Shift+' key is @", LayoutUK, [][]byte{kr(modLShift, 0x34), enter}, []string{"@"}, ""},
		{"UK Shift+3 is pound", LayoutUK, [][]byte{kr(modLShift, 0x20), enter}, []string{"£"}, ""},
		{"DE Shift+2 is double quote", LayoutDE, [][]byte{kr(modLShift, 0x1f), enter}, []string{`"`}, ""},
		{"DE swaps Z and Y", LayoutDE, [][]byte{kr(0, 0x1d, 0x1c), enter}, []string{"yz"}, ""},
		{"US does not swap Z and Y", LayoutUS, [][]byte{kr(0, 0x1d, 0x1c), enter}, []string{"zy"}, ""},
		{"DE AltGr+Q is @", LayoutDE, [][]byte{kr(modRAlt, 0x14), enter}, []string{"@"}, ""},
		{"DE umlauts", LayoutDE, [][]byte{kr(0, 0x2f, 0x33, 0x34), release, kr(modLShift, 0x2d), enter},
			[]string{"üöä?"}, ""},
		{"keypad digits ignore Shift (NumLock on)", nil,
			[][]byte{kr(0, 0x59, 0x62), kr(modLShift, 0x61), kr(0, 0x63), kr(0, usageKeypadEnter)},
			[]string{"109."}, ""},
		{"Ctrl+] is GS", nil, [][]byte{kr(0, 0x04), kr(modLCtrl, 0x30), kr(0, 0x05), enter},
			[]string{"a\x1db"}, ""},
		{"DE Ctrl+usage 0x30 falls back to the US ] key: GS", LayoutDE,
			[][]byte{kr(0, 0x04), kr(modLCtrl, 0x30), kr(0, 0x05), enter}, []string{"a\x1db"}, ""},
		{"Ctrl+^ is RS, Ctrl+D is EOT", nil,
			[][]byte{kr(0, 0x04), kr(modRCtrl|modLShift, 0x23), kr(modLCtrl, 0x07), enter},
			[]string{"a\x1e\x04"}, ""},
		{"Alt+0228 is ä (Windows-1252)", nil,
			[][]byte{kr(0, 0x04), kr(modLAlt), kr(modLAlt, 0x62), kr(modLAlt, 0x5a), kr(modLAlt),
				kr(modLAlt, 0x5a), kr(modLAlt, 0x60), kr(0), enter},
			[]string{"aä"}, ""},
		{"Alt+29 is GS", nil,
			[][]byte{kr(0, 0x04), kr(modLAlt, 0x5a), kr(modLAlt, 0x61), kr(0, 0x05), enter},
			[]string{"a\x1db"}, ""},
		{"Alt+132 is ä (code page 437)", nil,
			[][]byte{kr(modLAlt, 0x59), kr(modLAlt, 0x5b), kr(modLAlt, 0x5a), release, enter},
			[]string{"ä"}, ""},
		{"Alt code above 255 is refused and its scan discarded", nil,
			[][]byte{kr(0, 0x04), kr(modLAlt, 0x5b), kr(modLAlt, 0x62), kr(modLAlt), kr(modLAlt, 0x62), release,
				kr(0, 0x05), enter, kr(0, 0x06), enter},
			[]string{"c"}, "Alt+300"},
		{"control characters before a scan are dropped", nil,
			[][]byte{kr(modLCtrl|modLShift, 0x0d), release, kr(modLCtrl, 0x30), kr(0, 0x04), enter},
			[]string{"a"}, ""},
		{"Enter alone gives no scan", nil, [][]byte{enter, release, enter}, nil, ""},
		{"unknown usage names it and discards the scan", nil,
			[][]byte{kr(0, 0x04), kr(0, 0x3a), kr(0, 0x05), enter, kr(0, 0x06), enter},
			[]string{"c"}, "key usage 0x3a with modifiers 0x00"},
		{"AltGr key missing from the UK layout", LayoutUK,
			[][]byte{kr(modRAlt, 0x04), enter}, nil, `key usage 0x04 with modifiers 0x40: not in keyboard layout "uk"`},
		{"Alt with a non-keypad key", nil, [][]byte{kr(modLAlt, 0x04), enter}, nil,
			"Alt with a key other than a keypad digit"},
		{"9-byte report with report id", nil,
			[][]byte{append([]byte{1}, kr(0, 0x04)...), append([]byte{1}, enter...)}, []string{"a"}, ""},
		{"short report refused", nil, [][]byte{{0, 0, 0x04}, enter}, nil, "length 3, want 8"},
		{"caps lock and modifier usages type nothing", nil,
			[][]byte{kr(0, usageCapsLock, 0xe1, 0x04), enter}, []string{"a"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewHIDDecoder(tt.layout)
			scans, errs := feedAll(d, tt.reports...)
			if !slices.Equal(scans, tt.want) {
				t.Errorf("scans = %q, want %q", scans, tt.want)
			}
			checkErrs(t, errs, tt.wantErr)
		})
	}
}

func checkErrs(t *testing.T, errs []string, want string) {
	t.Helper()
	switch {
	case want == "" && len(errs) > 0:
		t.Errorf("errors %q, want none", errs)
	case want != "" && (len(errs) != 1 || !strings.Contains(errs[0], want)):
		t.Errorf("errors %q, want one containing %q", errs, want)
	}
}

func TestHIDDecoderPending(t *testing.T) {
	d := NewHIDDecoder(nil)
	feedAll(d, kr(0, 0x04), kr(modLAlt, 0x5a))
	want := `partial scan "a"; alt code Alt+2`
	if got := d.Pending(); got != want {
		t.Fatalf("Pending() = %s, want %s", got, want)
	}
	d.Reset()
	if got := d.Pending(); got != "" {
		t.Fatalf("after Reset, Pending() = %s", got)
	}
}

func TestAltCodeRune(t *testing.T) {
	tests := []struct {
		digits string
		want   rune
		err    bool
	}{
		{"0228", 'ä', false}, {"228", 'Σ', false}, {"29", 0x1d, false}, {"65", 'A', false},
		{"0128", '€', false}, {"0129", 0, true}, {"0255", 'ÿ', false}, {"255", 0xa0, false},
		{"256", 0, true}, {"", 0, true},
	}
	for _, tt := range tests {
		got, err := altCodeRune(tt.digits)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("altCodeRune(%q) = %q, %v; want %q, error %v", tt.digits, got, err, tt.want, tt.err)
		}
	}
}

func TestLayoutByName(t *testing.T) {
	for name, want := range map[string]*Layout{"": LayoutUS, "US": LayoutUS, "uk": LayoutUK, "de": LayoutDE} {
		if got, err := LayoutByName(name); got != want || err != nil {
			t.Errorf("LayoutByName(%q) = %v, %v", name, got.Name, err)
		}
	}
	if _, err := LayoutByName("fr"); err == nil || !strings.Contains(err.Error(), `"fr"`) {
		t.Errorf("LayoutByName(fr) error = %v, want one naming fr", err)
	}
}

func TestLayoutCloneIsIndependent(t *testing.T) {
	l := LayoutUS.Clone("test")
	l.Set(0x04, 'q', 'Q')
	if LayoutUS.Plain[0x04] != 'a' || l.Plain[0x04] != 'q' {
		t.Fatalf("Clone shares tables: US %q, clone %q", LayoutUS.Plain[0x04], l.Plain[0x04])
	}
}

func FuzzHIDDecoderFeed(f *testing.F) {
	for _, r := range readReportCSV(f, filepath.Join(sharedScannerData, "hid_keyboard_synthetic_gs1-128.csv")) {
		f.Add(r)
	}
	f.Add([]byte{modLAlt, 0, 0x5b, 0x62, 0x62, 0, 0, 0})
	f.Add([]byte{1, modLCtrl, 0, 0x30, 0, 0, 0, 0, 0})
	d := NewHIDDecoder(LayoutDE)
	f.Fuzz(func(t *testing.T, report []byte) {
		scans, _ := d.Feed(report)
		for _, s := range scans {
			if s == "" {
				t.Fatalf("empty scan from % x", report)
			}
		}
		_ = d.Pending()
	})
}
