package gs1

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseDigitalLink reads a GS1 Digital Link URI
// ("https://id.example.com/01/09521234543213/10/ABC123?17=261231"), as GS1 Digital
// Link 1.x defines it:
//
//   - the scheme is http or https, written all in lower or all in upper case;
//   - a domain is required; path segments before the AIs (a stem) are ignored;
//   - the path ends in a primary key "/AI/value" (e.g. 01, 00, 8004) followed by its
//     qualifiers in the dictionary's order (01: 22, 10, 21 or 235);
//   - query parameters with numeric keys are AIs that the dictionary allows as
//     attributes; other parameters and any fragment are ignored;
//   - values are percent-decoded, then checked like any other element string.
//
// Refused by default, as the standard's strict form: zero-suppressed GTINs (8, 12 or
// 13 digits for (01)) and convenience alphabetic keys ("/gtin/…", "/lot/…"). Errors are
// *Error values; an unknown numeric query key wraps ErrUnknownAI with the Message kept,
// as ParseData does. Pairing rules are not checked: see CheckPairing.
func ParseDigitalLink(uri string) (Message, error) {
	rest, err := stripScheme(uri)
	if err != nil {
		return Message{}, err
	}
	rest, _, _ = strings.Cut(rest, "#")
	rest, query, _ := strings.Cut(rest, "?")
	domain, path, ok := strings.Cut(rest, "/")
	if domain == "" {
		return Message{}, &Error{Value: clip(uri), Reason: "no domain after the scheme"}
	}
	if !ok || path == "" {
		return Message{}, &Error{Value: clip(uri), Reason: "no path: a primary key such as /01/… is required"}
	}

	m, err := pathElements(strings.Split(path, "/"))
	if err != nil {
		return Message{}, err
	}
	return queryElements(m, query)
}

// stripScheme checks the URI's characters and scheme and returns what follows "://".
func stripScheme(uri string) (string, error) {
	for i := 0; i < len(uri); i++ {
		if !uriChar(uri[i]) {
			return "", &Error{Value: clip(uri), Reason: fmt.Sprintf(
				"%s at position %d is not allowed in a URI", charAt(uri, i), i+1)}
		}
	}
	for _, scheme := range []string{"https://", "http://", "HTTPS://", "HTTP://"} {
		if strings.HasPrefix(uri, scheme) {
			return uri[len(scheme):], nil
		}
	}
	return "", &Error{Value: clip(uri), Reason: "a Digital Link starts with http:// or " +
		"https:// (or all in upper case)"}
}

// uriChar reports whether c may appear in a URI (RFC 3986 unreserved, reserved and
// "%" characters).
func uriChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0
}

// pathElements finds the primary key: walking back from the end of the path over
// "/AI/value" pairs, the first AI that is a primary key. Everything before it is stem.
func pathElements(segs []string) (Message, error) {
	key := -1
	for i := len(segs) - 2; i >= 0; i -= 2 {
		d := byAI[segs[i]]
		if d == nil || !allDigits(segs[i]) {
			break
		}
		if d.pkey {
			key = i
			break
		}
	}
	if key < 0 {
		return Message{}, noPrimaryKey(segs)
	}

	var m Message
	for i := key; i < len(segs); i += 2 {
		e, err := dlValue(segs[i], segs[i+1])
		if err != nil {
			return Message{}, err
		}
		m.Elements = append(m.Elements, e)
	}
	return m, checkQualifiers(m)
}

// alphaKeys are the convenience alphabetic keys of GS1 Digital Link 1.x, for a clearer
// error: they are not accepted.
var alphaKeys = map[string]string{
	"gtin": "01", "sscc": "00", "lot": "10", "ser": "21", "cpv": "22", "gln": "414",
	"grai": "8003", "giai": "8004", "gsrn": "8018", "gsrnp": "8017", "gdti": "253",
	"gcn": "255", "gsin": "402", "ginc": "401", "itip": "8006", "cpid": "8010", "gmn": "8013",
}

func noPrimaryKey(segs []string) error {
	for _, s := range segs {
		if ai, ok := alphaKeys[s]; ok {
			return &Error{Value: s, Reason: fmt.Sprintf("convenience alphabetic keys are not "+
				"accepted; write the numeric AI /%s/ instead", ai)}
		}
	}
	return &Error{Value: clip(strings.Join(segs, "/")),
		Reason: "the path does not end in a GS1 primary key and its qualifiers (e.g. /01/…)"}
}

// dlValue percent-decodes and checks one AI value of a URI.
func dlValue(ai, escaped string) (Element, *Error) {
	raw, err := url.PathUnescape(escaped)
	if err != nil {
		return Element{}, &Error{AI: ai, Value: escaped, Reason: "bad percent-encoding"}
	}
	d := byAI[ai]
	if ai == "01" && allDigits(raw) && (len(raw) == 8 || len(raw) == 12 || len(raw) == 13) {
		return Element{}, &Error{AI: ai, Value: raw, Reason: "zero-suppressed GTINs are not " +
			"accepted; pad the GTIN with leading zeros to 14 digits"}
	}
	return readValue(d, raw)
}

// checkQualifiers checks that the AIs after the primary key follow one of its
// qualifier sequences in order, each at most once.
func checkQualifiers(m Message) error {
	key := byAI[m.Elements[0].AI]
	quals := m.Elements[1:]
	if len(quals) == 0 {
		return nil
	}
	for _, seq := range key.qualifiers {
		if inOrder(quals, seq) {
			return nil
		}
	}
	return &Error{AI: quals[0].AI, Reason: fmt.Sprintf(
		"is not a qualifier of (%s) in this position; allowed in order: %s",
		key.ai, qualifierText(key.qualifiers))}
}

func inOrder(quals []Element, seq []string) bool {
	next := 0
	for _, q := range quals {
		for next < len(seq) && seq[next] != q.AI {
			next++
		}
		if next == len(seq) {
			return false
		}
		next++
	}
	return true
}

func qualifierText(seqs [][]string) string {
	if len(seqs) == 0 {
		return "none"
	}
	var alts []string
	for _, s := range seqs {
		alts = append(alts, "("+strings.Join(s, "), (")+")")
	}
	return strings.Join(alts, " or ")
}

// queryElements adds the query's AI attributes to m, in their order.
func queryElements(m Message, query string) (Message, error) {
	var unknown *Error
	for _, param := range strings.Split(query, "&") {
		key, escaped, _ := strings.Cut(param, "=")
		if !allDigits(key) {
			continue // not an AI: other parameters are the resolver's business
		}
		if _, dup := m.Get(key); dup {
			return m, &Error{AI: key, Reason: "appears twice in the URI"}
		}
		if escaped == "" {
			return m, &Error{AI: key, Reason: "empty value in the query"}
		}
		d := byAI[key]
		if d == nil {
			raw, _ := url.PathUnescape(escaped)
			m.Elements = append(m.Elements, Element{AI: key, Raw: raw})
			if unknown == nil {
				unknown = unknownAI(key, raw)
			}
			continue
		}
		if !d.dlAttr {
			return m, &Error{AI: key, Reason: "is not allowed as a Digital Link query attribute"}
		}
		e, err := dlValue(key, escaped)
		if err != nil {
			return m, err
		}
		m.Elements = append(m.Elements, e)
	}
	if unknown != nil {
		return m, unknown
	}
	return m, nil
}
