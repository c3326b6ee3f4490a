package gs1

import (
	"fmt"
	"math/big"
	"strings"
)

// linters implements the dictionary's component checks ("Linters") by name. Each
// returns "" when its component is valid and otherwise says what is wrong.
//
// TODO: these linters are not implemented, so components that name them are accepted
// after their type and length checks alone:
//   - gcppos1, gcppos2: need the GS1 Company Prefix length table, which is not in the
//     dictionary; they would reject keys whose prefix GS1 has not allocated.
//   - couponcode, couponposoffer: the North American coupon formats of (8110) and
//     (8112), each a sequence of variable-length fields.
//   - packagetype: needs the UN/ECE Recommendation 21 package type code list.
//   - mediatype: needs the GS1 AIDC media type code list for (7241).
//
// TestLintersKnown fails when the dictionary names a linter that is in neither list.
var linters = map[string]func(string) string{
	"csum":          lintCsum,
	"csumalpha":     lintCsumAlpha,
	"yymmdd":        func(s string) string { return lintShortDate(s, false) },
	"yymmd0":        func(s string) string { return lintShortDate(s, true) },
	"yyyymmdd":      lintLongDate,
	"hhmi":          lintHHMI,
	"hh":            func(s string) string { return inRange(s, 0, 23, "hour") },
	"mi":            func(s string) string { return inRange(s, 0, 59, "minute") },
	"ss":            func(s string) string { return inRange(s, 0, 59, "second") },
	"iso3166":       func(s string) string { return inList(s, iso3166, "ISO 3166 country") },
	"iso3166999":    lintISO3166or999,
	"iso3166alpha2": func(s string) string { return inList(s, iso3166Alpha2, "ISO 3166 country") },
	"iso4217":       func(s string) string { return inList(s, iso4217, "ISO 4217 currency") },
	"iso5218":       func(s string) string { return oneOf(s, "0129", "ISO 5218 sex code") },
	"yesno":         func(s string) string { return oneOf(s, "01", "yes/no flag (0 or 1)") },
	"winding":       func(s string) string { return oneOf(s, "019", "winding direction") },
	"zero":          func(s string) string { return oneOf(s, "0", "must be 0") },
	"nonzero":       lintNonZero,
	"nozeroprefix":  lintNoZeroPrefix,
	"hasnondigit":   lintHasNonDigit,
	"hyphen":        lintHyphen,
	"pcenc":         lintPercent,
	"pieceoftotal":  lintPieceOfTotal,
	"posinseqslash": lintPosInSeq,
	"latitude":      func(s string) string { return atMost(s, 1800000000, "latitude") },
	"longitude":     func(s string) string { return atMost(s, 3600000000, "longitude") },
	"importeridx":   lintImporterIndex,
	"iban":          lintIBAN,
}

// unimplementedLinters lists the linters of the TODO above.
var unimplementedLinters = map[string]bool{
	"gcppos1": true, "gcppos2": true, "couponcode": true, "couponposoffer": true,
	"packagetype": true, "mediatype": true,
}

// lintCsum checks the GS1 mod-10 check digit in the last position.
func lintCsum(s string) string {
	want, ok := CheckDigit(s[:len(s)-1])
	if !ok || len(s) < 2 {
		return "check digit cannot be computed"
	}
	if got := int(s[len(s)-1] - '0'); got != want {
		return fmt.Sprintf("check digit is %d, should be %d", got, want)
	}
	return ""
}

// lintCsumAlpha checks the two-character check pair that ends a GMN (GS1 General
// Specifications 7.9.5): the CSET 82 values of the other characters weighted by
// primes, the largest on the left and 2 on the right, summed modulo 1021 and written
// as two CSET 32 characters.
func lintCsumAlpha(s string) string {
	const cset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	primes := []int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67,
		71, 73, 79, 83}
	body := len(s) - 2
	if body < 1 || body > len(primes) {
		return "too short or long for a check character pair"
	}
	sum := 0
	for i := 0; i < body; i++ {
		sum += strings.IndexByte(cset82, s[i]) * primes[body-1-i]
	}
	sum %= 1021
	want := string([]byte{cset32[sum>>5], cset32[sum&31]})
	if s[body:] != want {
		return fmt.Sprintf("check characters are %q, should be %q", s[body:], want)
	}
	return ""
}

// lintShortDate checks YYMMDD; day 00 ("end of month") only when dayZero.
func lintShortDate(s string, dayZero bool) string {
	year := fullYear(atoi(s[:2]), now())
	return checkDate(year, atoi(s[2:4]), atoi(s[4:6]), dayZero)
}

func lintLongDate(s string) string {
	return checkDate(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8]), false)
}

func checkDate(year, month, day int, dayZero bool) string {
	if month < 1 || month > 12 {
		return fmt.Sprintf("month %02d is not 01 to 12", month)
	}
	if day == 0 && dayZero {
		return ""
	}
	if last := daysIn(year, month); day < 1 || day > last {
		return fmt.Sprintf("day %02d is not in %04d-%02d (01 to %02d)", day, year, month, last)
	}
	return ""
}

func lintHHMI(s string) string {
	if r := inRange(s[:2], 0, 23, "hour"); r != "" {
		return r
	}
	return inRange(s[2:], 0, 59, "minute")
}

func inRange(s string, lo, hi int, what string) string {
	if n := atoi(s); n < lo || n > hi {
		return fmt.Sprintf("%s %s is not %02d to %02d", what, s, lo, hi)
	}
	return ""
}

func atMost(s string, hi int, what string) string {
	if atoi(s) > hi {
		return fmt.Sprintf("%s %s is over %d", what, s, hi)
	}
	return ""
}

func inList(s string, list map[string]bool, what string) string {
	if !list[s] {
		return fmt.Sprintf("%s is not an %s code", s, what)
	}
	return ""
}

func lintISO3166or999(s string) string {
	if s == "999" {
		return ""
	}
	return inList(s, iso3166, "ISO 3166 country (or 999)")
}

// oneOf checks a one-character value against the characters of allowed.
func oneOf(s, allowed, what string) string {
	if len(s) != 1 || strings.IndexByte(allowed, s[0]) < 0 {
		return fmt.Sprintf("%s is not a valid %s", s, what)
	}
	return ""
}

func lintNonZero(s string) string {
	if strings.Trim(s, "0") == "" {
		return "must not be zero"
	}
	return ""
}

func lintNoZeroPrefix(s string) string {
	if len(s) > 1 && s[0] == '0' {
		return "must not start with 0"
	}
	return ""
}

func lintHasNonDigit(s string) string {
	if allDigits(s) {
		return "must hold at least one non-digit"
	}
	return ""
}

func lintHyphen(s string) string {
	if strings.Trim(s, "-") != "" {
		return "only \"-\" is allowed here"
	}
	return ""
}

// lintPercent checks that every "%" starts a two-hex-digit escape.
func lintPercent(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return fmt.Sprintf("%q at position %d is not followed by two hex digits", '%', i+1)
		}
		i += 2
	}
	return ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

// lintPieceOfTotal checks "ppTT": piece pp of TT, neither zero, pp at most TT.
func lintPieceOfTotal(s string) string {
	piece, total := atoi(s[:len(s)/2]), atoi(s[len(s)/2:])
	if piece == 0 || total == 0 || piece > total {
		return fmt.Sprintf("piece %s of total %s is not a piece of the total",
			s[:len(s)/2], s[len(s)/2:])
	}
	return ""
}

// lintPosInSeq checks "n/m": position n of m, both 1 to 9 and n at most m.
func lintPosInSeq(s string) string {
	if len(s) != 3 || s[1] != '/' || s[0] < '1' || s[0] > '9' || s[2] < '1' || s[2] > '9' ||
		s[0] > s[2] {
		return "must be a position in a sequence such as \"1/2\""
	}
	return ""
}

func lintImporterIndex(s string) string {
	const set = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
	if len(s) != 1 || strings.IndexByte(set, s[0]) < 0 {
		return "importer index must be one of 0-9, A-Z, a-z, - and _"
	}
	return ""
}

// lintIBAN checks an IBAN's shape and its ISO 13616 mod-97 check digits.
//
// TODO: the length each country prescribes for its IBANs is not checked.
func lintIBAN(s string) string {
	if len(s) < 5 || !iso3166Alpha2[s[:2]] || !allDigits(s[2:4]) {
		return "an IBAN starts with a country code and two check digits"
	}
	var digits strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			fmt.Fprintf(&digits, "%d", c-'A'+10)
		default:
			return fmt.Sprintf("%q is not allowed in an IBAN (0-9 and A-Z only)", c)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return "IBAN check digits are wrong"
	}
	return ""
}
