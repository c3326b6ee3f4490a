package gs1

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// now is the clock that resolves the century of six-digit dates; tests replace it.
var now = time.Now

// readValue checks raw against d's components and returns the element with its typed
// Value. The error names the AI, the value and the component that is wrong.
func readValue(d *aiDef, raw string) (Element, *Error) {
	e := Element{AI: d.ai, Title: d.title, Raw: raw, Known: true}
	parts, err := split(d, raw)
	if err != nil {
		return e, err
	}
	for i, part := range parts {
		c := d.comps[i]
		if reason := checkCset(c.cset, part); reason != "" {
			return e, badValue(d, raw, i, reason)
		}
		for _, name := range c.linters {
			lint := linters[name]
			if lint == nil {
				continue // unimplemented: see the TODO at linters
			}
			if reason := lint(part); reason != "" {
				return e, badValue(d, raw, i, reason)
			}
		}
	}
	e.Value = typedValue(d, parts)
	return e, nil
}

// split cuts raw into d's components, consuming each one's length in turn; optional
// components may be left out once raw is used up.
func split(d *aiDef, raw string) ([]string, *Error) {
	if raw == "" {
		return nil, &Error{AI: d.ai, Reason: "empty value"}
	}
	if max := d.maxLength(); len(raw) > max {
		return nil, &Error{AI: d.ai, Value: raw, Reason: fmt.Sprintf(
			"too long: %d characters, format %s allows at most %d", len(raw), d.spec, max)}
	}
	var parts []string
	rest := raw
	for i, c := range d.comps {
		if rest == "" && c.optional {
			break
		}
		n := min(c.max, len(rest))
		if n < c.min {
			return nil, &Error{AI: d.ai, Value: raw, Reason: fmt.Sprintf(
				"too short: component %d of format %s needs %s, got %d",
				i+1, d.spec, lengthText(c), len(rest))}
		}
		parts = append(parts, rest[:n])
		rest = rest[n:]
	}
	return parts, nil
}

func lengthText(c comp) string {
	if c.min == 1 && c.max == 1 {
		return "1 character"
	}
	if c.min == c.max {
		return fmt.Sprintf("%d characters", c.min)
	}
	return fmt.Sprintf("%d to %d characters", c.min, c.max)
}

func badValue(d *aiDef, raw string, i int, reason string) *Error {
	if len(d.comps) > 1 {
		reason = fmt.Sprintf("component %d of format %s: %s", i+1, d.spec, reason)
	}
	return &Error{AI: d.ai, Value: raw, Reason: reason}
}

// GS1 character sets (GS1 General Specifications 7.11): CSET 82 for X, CSET 39 for Y,
// and the URL-safe base64 alphabet (CSET 64) for Z.
const (
	cset82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`
	cset39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	cset64 = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)

func checkCset(cset byte, s string) string {
	switch cset {
	case 'N':
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return fmt.Sprintf("non-digit %q at position %d", s[i], i+1)
			}
		}
	case 'X':
		return within(s, cset82, "CSET 82")
	case 'Y':
		return within(s, cset39, "CSET 39")
	case 'Z':
		return within(strings.TrimRight(s, "="), cset64, "base64url (CSET 64)")
	}
	return ""
}

func within(s, set, name string) string {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return fmt.Sprintf("%s at position %d is outside %s", charAt(s, i), i+1, name)
		}
	}
	return ""
}

// charAt names the character that starts at byte i of s: the whole UTF-8
// character when it is one ('€'), else the byte (byte 0xFF).
func charAt(s string, i int) string {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("byte 0x%02X", s[i])
	}
	return fmt.Sprintf("character %q", r)
}

// typedValue returns the Value of an element whose components are valid.
func typedValue(d *aiDef, parts []string) string {
	if n, ok := impliedDecimals(d.ai); ok {
		return decimal(parts[0], n)
	}
	return dateValue(d, parts)
}

// impliedDecimals reports whether ai is a measure or amount whose last digit gives the
// number of decimals (GS1 General Specifications 3.6: AIs 31nn–36nn, 390n, 392n,
// 394n, 395n). 391n and 393n carry a currency code first and are left as raw.
func impliedDecimals(ai string) (int, bool) {
	if len(ai) != 4 {
		return 0, false
	}
	switch p := ai[:3]; {
	case ai[:2] >= "31" && ai[:2] <= "36", p == "390", p == "392", p == "394", p == "395":
		return int(ai[3] - '0'), true
	}
	return 0, false
}

// decimal puts a point before the last n digits of digits: ("001234", 3) is "1.234".
func decimal(digits string, n int) string {
	if len(digits) <= n {
		digits = strings.Repeat("0", n-len(digits)+1) + digits
	}
	whole := strings.TrimLeft(digits[:len(digits)-n], "0")
	if whole == "" {
		whole = "0"
	}
	if n == 0 {
		return whole
	}
	return whole + "." + digits[len(digits)-n:]
}

// dateValue returns an ISO 8601 reading of an AI whose first component is a date,
// adding a time ("T14:30") or a second date ("/2021-12-31") from later components.
func dateValue(d *aiDef, parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		switch linterOf(d.comps[i]) {
		case "yymmdd", "yymmd0":
			if i > 0 {
				b.WriteByte('/')
			}
			y, m, day := shortDate(p)
			fmt.Fprintf(&b, "%04d-%02d-%02d", y, m, day)
		case "yyyymmdd":
			fmt.Fprintf(&b, "%s-%s-%s", p[:4], p[4:6], p[6:])
		case "hhmi":
			fmt.Fprintf(&b, "T%s:%s", p[:2], p[2:])
		case "hh":
			fmt.Fprintf(&b, "T%s", p)
		case "mi", "ss":
			fmt.Fprintf(&b, ":%s", p)
		default:
			return ""
		}
	}
	return b.String()
}

func linterOf(c comp) string {
	if len(c.linters) == 0 {
		return ""
	}
	return c.linters[0]
}

// shortDate resolves a valid YYMMDD date: the century by the GS1 sliding window
// (General Specifications 7.12) and day 00 as the month's last day.
func shortDate(s string) (year, month, day int) {
	year = fullYear(atoi(s[:2]), now())
	month, day = atoi(s[2:4]), atoi(s[4:6])
	if day == 0 {
		day = daysIn(year, month)
	}
	return year, month, day
}

// fullYear picks the century of a two-digit year: within 49 years ahead of or 50
// years behind the current year (YY minus this year's last two digits: 51 to 99 means
// the previous century, -99 to -50 the next one, anything else this one).
func fullYear(yy int, t time.Time) int {
	cur := t.Year()
	century := cur - cur%100
	switch diff := yy - cur%100; {
	case diff >= 51:
		century -= 100
	case diff <= -50:
		century += 100
	}
	return century + yy
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
