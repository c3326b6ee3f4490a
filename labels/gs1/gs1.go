// Package gs1 reads and writes GS1 Application Identifier (AI) data: element
// strings as GS1-128, GS1 DataMatrix, GS1 QR and DataBar carry them, the
// bracketed form people write, and GS1 Digital Link URIs. The AI table is
// generated from the GS1 Barcode Syntax Dictionary (see internal/gen), so every
// AI's format, check digits and dates are checked as GS1 defines them; the
// dictionary's pairing rules are checked apart, by Message.CheckPairing.
//
// It imports nothing of Shipshape: pure functions over strings.
package gs1

import (
	"errors"
	"fmt"
	"strings"
)

// GS is the ASCII group separator that scanners send for FNC1 between element
// strings.
const GS = '\x1d'

// Element is one AI and its value.
type Element struct {
	AI    string `json:"ai"`              // e.g. "01", "3103", "8003"
	Title string `json:"title,omitempty"` // the dictionary's title, e.g. "BATCH/LOT"; "" when unknown
	Raw   string `json:"raw"`             // the value as encoded
	// Value is the typed reading of Raw where there is one: an ISO 8601 date
	// for date AIs ("2026-12-31"; day 00 means the month's last day), a date and
	// time ("2026-12-31T14:30") when the AI carries a time, a date interval
	// ("2021-12-25/2021-12-31") for (7007) with two dates, a decimal for measures
	// and amounts with an implied point ("1.234" for 3103 001234, "12.50" for
	// 3922 1250); "" otherwise.
	Value string `json:"value,omitempty"`
	Known bool   `json:"known"` // false for an AI that is not in the dictionary (kept raw)
}

// Message is the elements of one scan or URI, in the order they were encoded.
type Message struct {
	Elements []Element `json:"elements"`
}

// ErrUnknownAI is what an *Error wraps when the only thing wrong with the data is an
// AI that is not in the dictionary. The parsers still return the Message, holding such
// an AI as an Element with Known false, so a caller that wants to tolerate unknown AIs
// checks errors.Is(err, ErrUnknownAI) and uses the Message.
var ErrUnknownAI = errors.New("gs1: unknown AI")

// Error says why data is not a valid GS1 message. Ambiguous is set when the
// data lacks a separator it needed, so it cannot be read without guessing and
// must be scanned again.
type Error struct {
	AI        string // the AI the problem is in; "" when it is not in one
	Value     string // the offending value or data
	Reason    string
	Ambiguous bool

	unknown bool // the AI is not in the dictionary; see ErrUnknownAI
}

// Error returns e as one line: "gs1: (AI) "value": reason".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("gs1: ")
	if e.AI != "" {
		fmt.Fprintf(&b, "(%s) ", e.AI)
	}
	if e.Value != "" {
		fmt.Fprintf(&b, "%q: ", e.Value)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns ErrUnknownAI when e is about an AI that is not in the dictionary.
func (e *Error) Unwrap() error {
	if e.unknown {
		return ErrUnknownAI
	}
	return nil
}

// Bracketed returns m as "(01)…(10)…". A "(" inside a value is written "\(" so that
// ParseBracketed reads it back as data.
func (m Message) Bracketed() string {
	var b strings.Builder
	for _, e := range m.Elements {
		b.WriteString("(" + e.AI + ")")
		b.WriteString(strings.ReplaceAll(e.Raw, "(", `\(`))
	}
	return b.String()
}

// ElementString returns m unbracketed with GS only where a separator is
// needed (after a value whose AI is not predefined-length and that is not last).
func (m Message) ElementString() string {
	var b strings.Builder
	for i, e := range m.Elements {
		b.WriteString(e.AI + e.Raw)
		if i < len(m.Elements)-1 && !FixedLength(e.AI) {
			b.WriteByte(GS)
		}
	}
	return b.String()
}

// Get returns the first element with ai; ok is false when there is none.
func (m Message) Get(ai string) (e Element, ok bool) {
	for _, e := range m.Elements {
		if e.AI == ai {
			return e, true
		}
	}
	return Element{}, false
}

// GTIN returns the 14-digit GTIN of AI (01), or (02) when there is no (01); ""
// when there is neither.
func (m Message) GTIN() string {
	if e, ok := m.Get("01"); ok {
		return e.Raw
	}
	if e, ok := m.Get("02"); ok {
		return e.Raw
	}
	return ""
}

// CheckDigit returns the GS1 mod-10 check digit of digits (weights 3,1 from
// the right); ok is false when digits is empty or holds a non-digit.
func CheckDigit(digits string) (d int, ok bool) {
	if digits == "" {
		return 0, false
	}
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		w := 1
		if (len(digits)-1-i)%2 == 0 {
			w = 3
		}
		sum += int(c-'0') * w
	}
	return (10 - sum%10) % 10, true
}
