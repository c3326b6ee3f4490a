package labels

// Fields returns the text of every field in a ZPL document, in order: the data of
// each ^FD (and ^FV) command up to the next command, with ^FH hex escapes turned
// back into bytes. It is what the printer would print or encode, so tests use it
// to check a label without rendering it.
//
// It reads ZPL with the default ^ command prefix (a document that changes it with
// ^CC is not understood) and does not expand ^DF/^XF stored formats. The text is
// returned as the bytes the document holds, UTF-8 when the label says ^CI28.
func Fields(zpl []byte) []string {
	var (
		fields    []string
		indicator byte // the active ^FH escape character; 0 when none
	)
	for i := 0; i+2 < len(zpl); i++ {
		if zpl[i] != '^' {
			continue
		}

		switch upper(zpl[i+1]) + upper(zpl[i+2]) {
		case "FH":
			indicator = hexIndicator(zpl[i+3:])
		case "FS":
			indicator = 0
		case "FD", "FV":
			data := fieldData(zpl[i+3:])
			fields = append(fields, unescapeField(data, indicator))
			i += 2 + len(data)
		}
	}
	return fields
}

// hexIndicator reads the parameter of ^FH: one character, "_" when left out.
func hexIndicator(rest []byte) byte {
	if len(rest) == 0 || rest[0] == '^' || rest[0] == '~' || rest[0] == '\r' || rest[0] == '\n' {
		return '_'
	}
	return rest[0]
}

// fieldData returns field data up to the next command: a raw ^ in field data
// always starts a command, which is why ZPL needs ^FH to print one.
func fieldData(rest []byte) []byte {
	for j, c := range rest {
		if c == '^' {
			return rest[:j]
		}
	}
	return rest
}

func unescapeField(data []byte, indicator byte) string {
	if indicator == 0 {
		return string(data)
	}

	out := make([]byte, 0, len(data))
	for j := 0; j < len(data); j++ {
		if data[j] == indicator && j+2 < len(data) && isHex(data[j+1]) && isHex(data[j+2]) {
			out = append(out, hexValue(data[j+1])<<4|hexValue(data[j+2]))
			j += 2
			continue
		}
		out = append(out, data[j])
	}
	return string(out)
}

func upper(c byte) string {
	if c >= 'a' && c <= 'z' {
		c -= 'a' - 'A'
	}
	return string(c)
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexValue(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
