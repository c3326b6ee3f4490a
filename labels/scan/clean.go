package scan

import "strings"

// isFraming reports whether c is a control character a scanner adds around
// the data (STX, ETX, CR, LF, TAB, ...). GS, RS and EOT are data: GS stands
// for FNC1 in GS1 element strings, and RS ... EOT close the ISO/IEC 15434
// "[)>" envelope that MaxiCode and PDF417 carrier labels hold.
func isFraming(c byte) bool {
	switch c {
	case 0x1d, 0x1e, 0x04:
		return false
	}
	return c < 0x20 || c == 0x7f
}

// trimFraming removes framing control characters from both ends of s.
func trimFraming(s string) string {
	start, end := 0, len(s)
	for start < end && isFraming(s[start]) {
		start++
	}
	for end > start && isFraming(s[end-1]) {
		end--
	}
	return s[start:end]
}

// splitCodes splits one trigger's output into its codes, each trimmed of
// framing; there is always at least one, possibly empty. Scanners that read
// several symbols at once end each with CR, LF or CRLF. When the data carries
// AIM identifiers a line break starts a new code only where an identifier
// follows, so a multi-line QR text stays one code; without identifiers every
// line break starts one.
func splitCodes(raw string) []string {
	s := trimFraming(raw)
	withAIM := hasAIMPrefix(s)

	var codes []string
	start := 0
	for i := 0; i < len(s); i++ {
		if !isNewline(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isNewline(s[j]) {
			j++
		}
		if !withAIM || hasAIMPrefix(s[j:]) {
			codes = appendCode(codes, s[start:i])
			start = j
		}
		i = j - 1
	}
	codes = appendCode(codes, s[start:])
	if len(codes) == 0 {
		return []string{""}
	}
	return codes
}

func appendCode(codes []string, code string) []string {
	if code = trimFraming(code); code != "" {
		codes = append(codes, code)
	}
	return codes
}

func isNewline(c byte) bool { return c == '\r' || c == '\n' }

// isDigitalLink reports whether s is written as an http or https URI. The
// scheme must be all lower or all upper case, as gs1.ParseDigitalLink
// accepts (upper case lets a QR code use its compact alphanumeric mode); a
// scanner reading "HtTps://..." is reading some other text (scan_data.csv
// row 8).
func isDigitalLink(s string) bool {
	for _, scheme := range []string{"https://", "http://", "HTTPS://", "HTTP://"} {
		if strings.HasPrefix(s, scheme) {
			return true
		}
	}
	return false
}

// dlPrimaryKeys are the AIs a GS1 Digital Link path can start with (GS1
// Digital Link standard, section on the URI syntax): the primary keys.
var dlPrimaryKeys = map[string]bool{
	"00": true, "01": true, "253": true, "255": true, "401": true, "402": true,
	"414": true, "417": true, "8003": true, "8004": true, "8006": true,
	"8010": true, "8013": true, "8017": true, "8018": true,
}

// hasAIPath reports whether the path of the http(s) URI s has a primary key
// AI segment followed by a value, which is what makes a URI a Digital Link
// rather than a web address that happens to be in a QR code.
func hasAIPath(s string) bool {
	rest := s[strings.Index(s, "://")+3:]
	if q := strings.IndexAny(rest, "?#"); q >= 0 {
		rest = rest[:q]
	}
	segs := strings.Split(rest, "/")
	for i := 1; i+1 < len(segs); i++ { // segs[0] is the host
		if dlPrimaryKeys[segs[i]] && segs[i+1] != "" {
			return true
		}
	}
	return false
}
