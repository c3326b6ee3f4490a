package labels

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultLineChars is the longest address line carriers take (35 characters,
// the limit of UPS, DHL and FedEx address fields), where WrapLine breaks by
// default.
const DefaultLineChars = 35

// WrapLine splits text, trimmed, into lines of at most limit characters,
// counted as runes. It breaks only at spaces, never inside a word, and keeps
// a house number with the word it belongs to: "221B Baker" and "12-14 Rue"
// stay on one line, as do "Hauptstraße 12-14," (a number before a comma or at
// the end goes with the word before it) and "Flat 2" (after Flat, Unit, Apt,
// Suite, No and the like). Only a single word longer than limit is cut, at
// limit characters, as it cannot fit any other way; a number and its word
// longer than limit together are broken between them. Text that fits is
// returned unchanged, and blank text gives one empty line. A limit below 1 is
// taken as DefaultLineChars.
func WrapLine(text string, limit int) []string {
	if limit < 1 {
		limit = DefaultLineChars
	}
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= limit {
		return []string{text}
	}

	var w lineWrapper
	w.limit = limit
	for _, group := range wordGroups(strings.Fields(text)) {
		if runes(strings.Join(group, " ")) <= limit {
			w.add(strings.Join(group, " "))
			continue
		}
		for _, word := range group {
			w.add(word)
		}
	}
	return append(w.lines, w.current)
}

// lineWrapper fills lines greedily with unbreakable pieces of text.
type lineWrapper struct {
	limit   int
	lines   []string
	current string
}

func (w *lineWrapper) add(piece string) {
	switch {
	case w.current == "":
	case runes(w.current)+1+runes(piece) <= w.limit:
		w.current += " " + piece
		return
	default:
		w.lines = append(w.lines, w.current)
	}
	for runes(piece) > w.limit {
		cut := string([]rune(piece)[:w.limit])
		w.lines = append(w.lines, cut)
		piece = piece[len(cut):]
	}
	w.current = piece
}

// wordGroups groups words that must stay on one line: each house number with
// the word it belongs to.
func wordGroups(words []string) [][]string {
	joined := make([]bool, len(words)) // joined[i]: words i and i+1 stay together
	for i, word := range words {
		if !houseNumber(word) {
			continue
		}
		last := i == len(words)-1
		backward := last || strings.HasSuffix(word, ",") || strings.HasSuffix(word, ";") ||
			(i > 0 && unitWord(words[i-1]))
		switch {
		case backward && i > 0:
			joined[i-1] = true
		case !last:
			joined[i] = true
		}
	}

	var groups [][]string
	start := 0
	for i := range words {
		if !joined[i] {
			groups = append(groups, words[start:i+1])
			start = i + 1
		}
	}
	return groups
}

// houseNumber reports whether word looks like a house or unit number:
// it starts with a digit ("221B", "12-14", "4,", "3a").
func houseNumber(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	return unicode.IsDigit(r)
}

// unitWord reports whether word names the unit that the number after it
// numbers ("Flat 2", "Unit 4", "No. 7"), rather than a street the number
// before comes first for.
func unitWord(word string) bool {
	switch strings.ToLower(strings.TrimRight(word, ".:#")) {
	case "flat", "unit", "apt", "apartment", "suite", "ste", "room", "no", "nr", "nº",
		"box", "bus", "app", "appt", "wohnung", "piso":
		return true
	}
	return word == "#"
}

func runes(s string) int { return utf8.RuneCountInString(s) }
