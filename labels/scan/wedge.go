package scan

import (
	"regexp"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// decodeWedge reads data that came without an AIM identifier, as a keyboard
// wedge types it, by its shape. Data that starts with GS or is a Digital Link
// must then parse; a GTIN-shaped number with a wrong check digit or text
// that only looks bracketed is kept as text, since in-house codes can look
// like either.
func decodeWedge(data string) (Scan, *Error) {
	s := Scan{Symbology: "text", Payload: data, Text: data}
	switch {
	case data[0] == gs1.GS:
		s.Symbology = "GS1 element string"
		return s, s.readGS1(data)
	case isDigitalLink(data) && hasAIPath(data):
		s.Symbology = "GS1 Digital Link"
		return s, s.readText(data)
	case labels.IsGTINShaped(data):
		if gtin, err := labels.NormalizeGTIN(data); err == nil {
			s.Symbology = gtinName[len(data)]
			s.GTIN14 = gtin
		}
	case strings.HasPrefix(data, "("):
		if body, ok := bracketedToData(data); ok {
			if m, err := gs1.ParseData(body); err == nil {
				s.Symbology = "GS1 element string"
				return s, s.useMessage(m)
			}
		}
	}
	return s, nil
}

var gtinName = map[int]string{8: "GTIN-8", 12: "GTIN-12", 13: "GTIN-13", 14: "GTIN-14"}

// bracketedAI matches an AI written in brackets, as in "(01)".
var bracketedAI = regexp.MustCompile(`\((\d{2,4})\)`)

// bracketedToData turns "(01)...(10)..." into an element string with GS
// between elements; ok is false unless s starts with a bracketed AI. A GS
// after a fixed-length element is allowed, if not needed, so it is put after
// every element but the last rather than guessing which need one.
func bracketedToData(s string) (string, bool) {
	locs := bracketedAI.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 || locs[0][0] != 0 {
		return "", false
	}

	var b strings.Builder
	for i, l := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if i > 0 {
			b.WriteByte(gs1.GS)
		}
		b.WriteString(s[l[2]:l[3]] + s[l[1]:end])
	}
	return b.String(), true
}
