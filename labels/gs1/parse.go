package gs1

import (
	"fmt"
	"strings"
)

// ParseData reads an unbracketed element string: AIs and values run together,
// GS (0x1D) after each variable-length value that is not last. The symbology's
// leading FNC1 flag is not part of data. A GS after a predefined-length value and
// a GS at the very end are superfluous and tolerated; an empty element (a leading
// or doubled GS) is not.
//
// ParseData is strict: every error is an *Error. An AI that is not in the dictionary
// is an error wrapping ErrUnknownAI, but parsing goes on after it (its value runs to
// the next GS or the end) and the returned Message holds it with Known false; any
// later error is returned instead. Other errors stop parsing, and the Message holds
// the elements read before it. Pairing rules are not checked: see CheckPairing.
//
// Ambiguous data: a value of an AI that is not predefined-length runs to the next GS
// or the end. When that value is invalid but would be valid cut short, with what
// follows the cut reading as valid element strings, a GS was evidently left out
// (for example "10ABC" then "17261231" with no GS between, where the lot runs past
// its 20 characters). ParseData then returns an *Error with Ambiguous set and does not
// guess where the cut was. A missing GS that leaves a value still valid (a short lot
// swallowing a following "17261231") cannot be told from real data and is read as it
// stands; GS1 requires the separator precisely because of this.
func ParseData(data string) (Message, error) {
	return parseData(data, true)
}

// parseData is ParseData; findGaps turns the search for a missing GS on or off (off
// when the search itself parses what follows a cut, so it cannot recurse).
func parseData(data string, findGaps bool) (Message, error) {
	var m Message
	if data == "" {
		return m, &Error{Reason: "no data"}
	}
	var unknown *Error
	for pos := 0; pos < len(data); {
		if data[pos] == GS {
			if pos == 0 || data[pos-1] == GS {
				return m, &Error{Value: data, Reason: fmt.Sprintf(
					"empty element string at position %d (leading or doubled GS)", pos+1)}
			}
			pos++
			continue
		}
		e, next, err := readElement(data, pos, findGaps)
		if err != nil && !err.unknown {
			return m, err
		}
		if err != nil && unknown == nil {
			unknown = err
		}
		m.Elements = append(m.Elements, e)
		pos = next
	}
	if unknown != nil {
		return m, unknown
	}
	return m, nil
}

// readElement reads the AI and value at data[pos:] and returns where the next one
// starts.
func readElement(data string, pos int, findGaps bool) (Element, int, *Error) {
	ai, err := readAI(data, pos)
	if err != nil {
		return Element{}, 0, err
	}
	start := pos + len(ai)
	end := strings.IndexByte(data[start:], GS)
	if end < 0 {
		end = len(data)
	} else {
		end += start
	}

	d := byAI[ai]
	if d == nil {
		return Element{AI: ai, Raw: data[start:end]}, end, unknownAI(ai, data[start:end])
	}
	if n, _ := d.length(); d.fixed && end-start >= n {
		end = start + n
	}
	e, err := readValue(d, data[start:end])
	if err != nil && findGaps && !d.fixed && missingGS(d, data[start:]) {
		err.Ambiguous = true
		err.Reason = "a GS separator is missing after this value, so where it ends " +
			"cannot be told; scan the code again (or key it in bracketed)"
	}
	return e, end, err
}

// readAI reads the AI at data[pos:]: its first two digits say how long it is.
func readAI(data string, pos int) (string, *Error) {
	rest := data[pos:]
	if len(rest) < 2 || !allDigits(rest[:2]) {
		return "", &Error{Value: clip(rest), Reason: fmt.Sprintf(
			"no AI at position %d: an AI is 2 to 4 digits", pos+1)}
	}
	n := aiLength(rest[:2])
	if len(rest) < n || !allDigits(rest[:n]) {
		return "", &Error{Value: clip(rest), Reason: fmt.Sprintf(
			"AI at position %d is cut short: AIs starting %s have %d digits", pos+1, rest[:2], n)}
	}
	return rest[:n], nil
}

// missingGS reports whether raw, the data from a value's start to the end, reads as a
// valid value of d followed by valid element strings when cut somewhere short of its
// GS: the sign of a left-out separator.
func missingGS(d *aiDef, raw string) bool {
	end := strings.IndexByte(raw, GS)
	if end < 0 {
		end = len(raw)
	}
	for cut := 1; cut < end && cut <= d.maxLength(); cut++ {
		if _, err := readValue(d, raw[:cut]); err != nil {
			continue
		}
		if _, err := parseData(raw[cut:], false); err == nil {
			return true
		}
	}
	return false
}

func unknownAI(ai, raw string) *Error {
	return &Error{AI: ai, Value: raw, Reason: "no such AI in the GS1 Barcode Syntax Dictionary",
		unknown: true}
}

// ParseBracketed reads the human form "(01)09521234543213(10)ABC123". A "(" that is
// part of a value is written "\(". Errors are *Error values, and as with ParseData an
// unknown AI wraps ErrUnknownAI and is kept in the returned Message with Known false
// (its value runs to the next "("). Pairing rules are not checked: see CheckPairing.
func ParseBracketed(s string) (Message, error) {
	var m Message
	if s == "" {
		return m, &Error{Reason: "no data"}
	}
	if s[0] != '(' {
		return m, &Error{Value: clip(s), Reason: "must start with an AI in brackets, e.g. (01)"}
	}
	var unknown *Error
	for pos := 0; pos < len(s); {
		e, next, err := readBracketed(s, pos)
		if err != nil && !err.unknown {
			return m, err
		}
		if err != nil && unknown == nil {
			unknown = err
		}
		m.Elements = append(m.Elements, e)
		pos = next
	}
	if unknown != nil {
		return m, unknown
	}
	return m, nil
}

// readBracketed reads "(AI)value" at s[pos:], where s[pos] is "(".
func readBracketed(s string, pos int) (Element, int, *Error) {
	closing := strings.IndexByte(s[pos:], ')')
	if closing < 0 {
		return Element{}, 0, &Error{Value: clip(s[pos:]), Reason: "AI not terminated by \")\""}
	}
	ai := s[pos+1 : pos+closing]
	if err := checkBracketedAI(ai); err != nil {
		return Element{}, 0, err
	}

	start := pos + closing + 1
	end := start
	for end < len(s) && (s[end] != '(' || s[end-1] == '\\') {
		end++
	}
	raw := strings.ReplaceAll(s[start:end], `\(`, "(")
	if raw == "" {
		return Element{}, 0, &Error{AI: ai, Reason: "empty value"}
	}
	d := byAI[ai]
	if d == nil {
		return Element{AI: ai, Raw: raw}, end, unknownAI(ai, raw)
	}
	e, err := readValue(d, raw)
	return e, end, err
}

func checkBracketedAI(ai string) *Error {
	switch {
	case len(ai) < 2:
		return &Error{Value: ai, Reason: "AI too short: AIs have 2 to 4 digits"}
	case !allDigits(ai):
		return &Error{Value: ai, Reason: "AI must be digits"}
	case len(ai) > 4:
		return &Error{Value: ai, Reason: "AI too long: AIs have 2 to 4 digits"}
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
