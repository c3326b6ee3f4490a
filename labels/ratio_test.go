package labels

import (
	"math"
	"regexp"
	"testing"
)

// sized is one number of a size-bearing command: ^PW, ^LL, ^FO, ^BY, ^A, ^GB.
type sized struct {
	cmd   string
	value int
}

var sizeCommand = regexp.MustCompile(`\^(PW|LL|FO|BY|A0N|AAN|A@N|GB|BQN,2)(\d+)?,?(\d+)?(?:,(\d+))?`)

// sizesOf returns every size in zpl in order: ^PW and ^LL come first.
func sizesOf(zpl []byte) []sized {
	var sizes []sized
	for _, m := range sizeCommand.FindAllStringSubmatch(string(zpl), -1) {
		for _, n := range m[2:] {
			if n == "" {
				continue
			}
			sizes = append(sizes, sized{cmd: m[1], value: atoiDigits(n)})
		}
	}
	return sizes
}

func atoiDigits(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// assertScaled checks that every size of a label at dpi is the 203 dpi size
// scaled by its dots per mm, within the rounding of one dot at each.
func assertScaled(t *testing.T, base, sizes []sized, dpi int) {
	t.Helper()
	if len(base) != len(sizes) {
		t.Fatalf("%d dpi has %d sizes, 203 dpi %d", dpi, len(sizes), len(base))
	}
	dpmm := map[int]float64{DPI300: 12, DPI600: 24}[dpi]
	for i, s := range sizes {
		b := base[i]
		mm203, mm := float64(b.value)/8, float64(s.value)/dpmm
		if s.cmd != b.cmd || math.Abs(mm-mm203) > 1.0/8+1.0/dpmm {
			t.Errorf("size %d: ^%s %d at %d dpi (%.3f mm), ^%s %d at 203 dpi (%.3f mm)",
				i, s.cmd, s.value, dpi, mm, b.cmd, b.value, mm203)
		}
	}
}
