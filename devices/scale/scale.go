// Package scale reads parcel weights from shipping scales on a serial port
// (RS-232 through an adapter, or a USB CDC-ACM scale): the NCI and SMA
// request protocols most bench scales speak, and scales that stream their
// display without being asked.
//
// A Read asks once and answers once: the weight in grams, or an error that
// says what the packer must do (wait for the scale to settle, take weight
// off, zero it, check the cable).
package scale

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Protocols a Serial speaks.
const (
	// NCI is the NCI / Avery Weigh-Tronix SCP-01 protocol (also called
	// 3825/3835): the host sends "W\r"; the scale answers
	// "\n  1.234kg\r\n" then two or more status bytes "\nhh\r" and ETX.
	NCI = "nci"
	// SMA is the Scale Manufacturers Association protocol (SMA/SCP-02):
	// the host sends "\nW\r"; the scale answers one fixed-field line
	// "\n" s r n m f wwwwwwwwww uuu "\r".
	SMA = "sma"
	// Continuous is a scale that prints its display on its own, line after
	// line ("ST,GS,+  1.234kg\r\n" or bare "  1.234kg\r\n").
	Continuous = "continuous"
)

// Protocols lists the protocol names in the order they are documented.
var Protocols = []string{NCI, SMA, Continuous}

// What went wrong with a reading; match them with errors.Is.
var (
	ErrUnstable = errors.New("weight not stable: try again")
	ErrOverload = errors.New("scale overloaded: the weight is over its capacity")
	ErrNegative = errors.New("weight below zero: zero the scale with nothing on it")
	ErrNoAnswer = errors.New("scale not answering")
	ErrScale    = errors.New("scale reports an error")      // zero, tare, RAM or calibration error
	ErrAnswer   = errors.New("scale answer not understood") // wrong protocol or baud rate
)

// Reading is one weight as the scale showed it.
type Reading struct {
	Grams  int    // rounded to the nearest gram
	Stable bool   // the scale was not in motion
	Raw    string // the scale's answer, control characters included
}

// Error is a reading that failed: Kind is one of the Err* values, Raw the
// answer that showed it ("" when none came).
type Error struct {
	Kind   error
	Detail string
	Raw    string
}

// Error returns the kind's words and the detail, if any.
func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + " (" + e.Detail + ")"
}

// Unwrap lets errors.Is match Kind.
func (e *Error) Unwrap() error { return e.Kind }

func fail(kind error, raw, format string, args ...any) *Error {
	return &Error{Kind: kind, Raw: raw, Detail: fmt.Sprintf(format, args...)}
}

// gramsPer converts each unit a scale may print to grams (1 lb is
// 0.45359237 kg exactly; 1 oz is 1/16 lb).
var gramsPer = map[string]float64{
	"kg": 1000, "g": 1, "lb": 453.59237, "lbs": 453.59237, "oz": 453.59237 / 16,
}

// parseWeight reads "  -1.234kg" or "1.234 lb" into grams. It returns
// ErrNegative for a weight below zero, ErrOverload for a field of '^'
// (NCI's over capacity), ErrNegative for '_' (under capacity), ErrScale
// for '-' (zero error), and ErrAnswer for anything else it cannot read.
func parseWeight(field, raw string) (int, error) {
	f := strings.TrimSpace(field)
	i := strings.IndexFunc(f, func(r rune) bool {
		return r != '-' && r != '+' && r != '.' && r != ' ' &&
			(r < '0' || r > '9')
	})
	if i < 0 {
		return 0, fail(ErrAnswer, raw, "no unit in %q", f)
	}
	num, unit := strings.ReplaceAll(f[:i], " ", ""), strings.ToLower(strings.TrimSpace(f[i:]))
	switch {
	case strings.Trim(f, "^ ") == "" || strings.HasPrefix(unit, "^"):
		return 0, fail(ErrOverload, raw, "")
	case strings.Trim(f, "_ ") == "" || strings.HasPrefix(unit, "_"):
		return 0, fail(ErrNegative, raw, "")
	case strings.Trim(num, "-") == "" && strings.Contains(num, "--"):
		return 0, fail(ErrScale, raw, "zero error")
	}
	per, ok := gramsPer[unit]
	if !ok {
		return 0, fail(ErrAnswer, raw, "unit %q is not kg, g, lb or oz", unit)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fail(ErrAnswer, raw, "weight %q is not a number", num)
	}
	grams := math.Round(v * per)
	if grams < 0 || math.Signbit(v) && v != 0 {
		return 0, fail(ErrNegative, raw, "%s %s", num, unit)
	}
	return int(grams), nil
}
