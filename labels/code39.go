package labels

import (
	"fmt"
	"strings"
)

// code39Chars is the Code 39 character set in check-value order: a character's
// index is the value the mod-43 check sums (ISO/IEC 16388, Annex A).
const code39Chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"

// Code39CheckChar returns the optional Code 39 modulo-43 check character for
// data: the sum of every character's value, modulo 43, as a character.
//
// It returns an *InvalidError when data is empty or holds a character outside
// the 43-character Code 39 set (lower case included: full-ASCII Code 39 spells
// it with two symbol characters, so its check cannot be taken over the text).
func Code39CheckChar(data string) (byte, error) {
	if data == "" {
		return 0, invalid("Code 39", "", "is empty")
	}

	sum := 0
	for i := 0; i < len(data); i++ {
		v := strings.IndexByte(code39Chars, data[i])
		if v < 0 {
			reason := fmt.Sprintf("has %q at position %d, which is not in the Code 39 set", data[i], i+1)
			return 0, invalid("Code 39", data, reason)
		}
		sum += v
	}
	return code39Chars[sum%43], nil
}

// AddCode39Check returns data followed by its mod-43 check character, for a
// symbol whose readers are configured to expect one. Code 39 carries no check
// character unless both printer and reader agree on it, so nothing else in
// this package adds one.
//
// It returns the *InvalidError of Code39CheckChar.
func AddCode39Check(data string) (string, error) {
	c, err := Code39CheckChar(data)
	if err != nil {
		return "", err
	}
	return data + string(c), nil
}

// StripCode39Check verifies the mod-43 check character that ends s and
// returns s without it.
//
// It returns an *InvalidError when s is shorter than two characters, holds a
// character outside the Code 39 set, or ends in the wrong check character.
func StripCode39Check(s string) (string, error) {
	if len(s) < 2 {
		return "", invalid("Code 39", s, "is too short to carry a mod-43 check character")
	}

	data, got := s[:len(s)-1], s[len(s)-1]
	want, err := Code39CheckChar(data)
	if err != nil {
		return "", invalid("Code 39", s, err.(*InvalidError).Reason)
	}
	if got != want {
		reason := fmt.Sprintf("check character %q is wrong, expected %q", got, want)
		return "", invalid("Code 39", s, reason)
	}
	return data, nil
}
