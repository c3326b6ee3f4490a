package scale

import "strings"

// etx ends an NCI answer.
const etx = '\x03'

// request is what the host sends to ask for the weight; nil for a scale that
// streams without being asked.
func request(protocol string) []byte {
	switch protocol {
	case NCI:
		return []byte("W\r")
	case SMA:
		return []byte("\nW\r")
	}
	return nil
}

// decode reads the answer so far; done is false while more bytes are needed.
func decode(protocol, buf string) (r Reading, err error, done bool) {
	switch protocol {
	case NCI:
		return decodeNCI(buf)
	case SMA:
		return decodeSMA(buf)
	}
	return decodeContinuous(buf)
}

// decodeNCI reads "\n  1.234kg\r\n" "\nhh\r" ETX: the weight line, then the
// status bytes. A status-only answer ("\n?\r" ETX) means the command was
// not understood. See SCP-01, "W" command and status bytes.
func decodeNCI(buf string) (Reading, error, bool) {
	end := strings.IndexByte(buf, etx)
	if end < 0 {
		return Reading{}, nil, false
	}
	raw := buf[:end+1]
	lines := strings.FieldsFunc(buf[:end], func(r rune) bool { return r == '\r' || r == '\n' })
	if len(lines) == 1 && strings.TrimSpace(lines[0]) == "?" {
		return Reading{}, fail(ErrAnswer, raw, "the scale did not understand W: is it set to NCI?"), true
	}
	if len(lines) < 2 {
		return Reading{}, fail(ErrAnswer, raw, "no weight line before the status"), true
	}
	st, err := nciStatus(lines[len(lines)-1], raw)
	if err != nil {
		return Reading{}, err, true
	}
	return reading(lines[0], raw, !st.motion)
}

// nciState is what the NCI status bytes say.
type nciState struct{ motion bool }

// nciStatus reads the status bytes. Each carries four flags in its low
// nibble (the high nibble is 0x3, or 0x7 when another byte follows):
// byte 1 motion, at zero, RAM error, EEPROM error; byte 2 under capacity,
// over capacity, ROM error, calibration error.
func nciStatus(s, raw string) (nciState, error) {
	if len(s) < 2 || s[0]&0x30 != 0x30 || s[1]&0x30 != 0x30 {
		return nciState{}, fail(ErrAnswer, raw, "status %q is not two status bytes", s)
	}
	b1, b2 := s[0]&0x0f, s[1]&0x0f
	switch {
	case b2&0x2 != 0:
		return nciState{}, fail(ErrOverload, raw, "")
	case b2&0x1 != 0:
		return nciState{}, fail(ErrNegative, raw, "")
	case b1&0xc != 0 || b2&0xc != 0:
		return nciState{}, fail(ErrScale, raw, "status bytes %q: RAM, ROM, EEPROM or calibration", s[:2])
	}
	return nciState{motion: b1&0x1 != 0}, nil
}

// decodeSMA reads "\n" s r n m f weight(10) unit(3) "\r": s is the scale
// status (Z at zero, O over capacity, U under, E/I/T zero or tare error),
// m is 'M' in motion. "\n?\r" is an unknown command, "\n!\r" a garbled one.
func decodeSMA(buf string) (Reading, error, bool) {
	start := strings.IndexByte(buf, '\n')
	if start < 0 {
		return Reading{}, nil, false
	}
	n := strings.IndexByte(buf[start:], '\r')
	if n < 0 {
		return Reading{}, nil, false
	}
	raw, line := buf[start:start+n+1], buf[start+1:start+n]
	switch {
	case line == "?" || line == "!":
		return Reading{}, fail(ErrAnswer, raw, "the scale answered %q: is it set to SMA?", line), true
	case len(line) < 7:
		return Reading{}, fail(ErrAnswer, raw, "%q is too short for an SMA answer", line), true
	}
	switch line[0] {
	case 'O':
		return Reading{}, fail(ErrOverload, raw, ""), true
	case 'U':
		return Reading{}, fail(ErrNegative, raw, ""), true
	case 'E', 'I':
		return Reading{}, fail(ErrScale, raw, "zero error"), true
	case 'T':
		return Reading{}, fail(ErrScale, raw, "tare error"), true
	}
	return reading(line[5:], raw, line[3] != 'M')
}

// continuousLines is how many streamed lines a reading waits for two equal
// ones in a row before calling the weight unstable.
const continuousLines = 6

// decodeContinuous reads streamed lines. The first piece is dropped, as the
// port may have opened in the middle of a line. A line with a status prefix
// ("ST,GS,+1.234kg": ST stable, US unstable, OL overload) decides at once;
// a bare weight is stable when two lines in a row agree.
func decodeContinuous(buf string) (Reading, error, bool) {
	first := strings.IndexAny(buf, "\r\n")
	last := strings.LastIndexAny(buf, "\r\n")
	if first < 0 || first == last {
		return Reading{}, nil, false
	}
	lines := strings.FieldsFunc(buf[first:last], func(r rune) bool { return r == '\r' || r == '\n' })
	for i, line := range lines {
		if status, weight, ok := streamStatus(line); ok {
			return streamed(status, weight, line)
		}
		if i > 0 && line == lines[i-1] {
			return reading(line, line, true)
		}
	}
	if len(lines) >= continuousLines {
		last := lines[len(lines)-1]
		return reading(last, last, false)
	}
	return Reading{}, nil, false
}

// streamStatus splits "ST,GS,+  1.234kg" into "ST" and the weight.
func streamStatus(line string) (status, weight string, ok bool) {
	parts := strings.Split(line, ",")
	if len(parts) < 2 {
		return "", "", false
	}
	status = strings.ToUpper(strings.TrimSpace(parts[0]))
	return status, parts[len(parts)-1], status == "ST" || status == "US" || status == "OL"
}

func streamed(status, weight, raw string) (Reading, error, bool) {
	if status == "OL" {
		return Reading{}, fail(ErrOverload, raw, ""), true
	}
	return reading(weight, raw, status == "ST")
}

// reading turns a weight field into a Reading: an error for a weight that
// cannot be used, ErrUnstable (with the reading) for one in motion.
func reading(field, raw string, stable bool) (Reading, error, bool) {
	g, err := parseWeight(field, raw)
	if err != nil {
		return Reading{}, err, true
	}
	r := Reading{Grams: g, Stable: stable, Raw: raw}
	if !stable {
		return r, fail(ErrUnstable, raw, "%d g so far", g), true
	}
	return r, nil, true
}
