package scan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// decodeOne decodes one code: a composite, data with an AIM identifier, or
// data without one.
func decodeOne(code string, cfg Config) (Scan, *Error) {
	if code == "" {
		return Scan{}, &Error{Reason: "no data"}
	}
	if linear, cc, ok := splitComposite(code); ok {
		return decodeComposite(linear, cc, cfg)
	}

	id, data := "", code
	switch {
	case hasAIMPrefix(code):
		// Some scanners put their prefix after the AIM id rather than before.
		id, data = code[:3], trimFraming(code[3:])
	case cfg.RequireAIM:
		return Scan{}, &Error{Reason: "no symbology identifier: this scanner must send AIM ids"}
	case cfg.AssumeAIM != "":
		id = cfg.AssumeAIM
	default:
		return decodeWedge(code)
	}
	return decodeAIM(id, data, cfg)
}

// decodeAIM decodes data that came with the AIM identifier id.
func decodeAIM(id, data string, cfg Config) (Scan, *Error) {
	sym, ok := lookupAIM(id)
	if !ok {
		return Scan{AIM: id}, &Error{AIM: id, Reason: "unknown symbology identifier " + strconv.Quote(id)}
	}
	s := Scan{Symbology: sym.name, AIM: id, Payload: data, Text: data}
	if !expected(id, cfg.Expect) {
		reason := fmt.Sprintf("%s (%s) is not a symbology this scanner is set up for", id, sym.name)
		return s, &Error{Reason: reason}
	}
	if data == "" {
		if sym.kind == gs1Data {
			return s, &Error{Reason: "empty GS1 data"}
		}
		return s, &Error{Reason: "no data"}
	}

	var err *Error
	switch sym.kind {
	case plain:
		err = s.readText(data)
	case gs1Data:
		err = s.readGS1(data)
	case ean13, ean8, eanAddOn, ean13AddOn:
		err = s.readEAN(sym.kind, data)
	case code39:
		err = s.readCode39(id[2]-'0', data, cfg.Code39Check)
	case itf:
		err = s.readITF(data)
	}
	return s, err
}

// expected reports whether id is allowed by a Config.Expect list.
func expected(id string, expect []string) bool {
	if len(expect) == 0 {
		return true
	}
	for _, e := range expect {
		if e == id || (len(e) == 2 && strings.HasPrefix(id, e)) {
			return true
		}
	}
	return false
}

// readText reads plain data: a GS1 Digital Link URI gives its AIs; any other
// text is kept as it is.
func (s *Scan) readText(data string) *Error {
	if !isDigitalLink(data) || !hasAIPath(data) {
		return nil
	}
	m, err := gs1.ParseDigitalLink(data)
	if err != nil {
		return gs1Error(err)
	}
	return s.useMessage(m)
}

// readGS1 reads a GS1 element string. A leading GS is the FNC1 some scanners
// send in place of the symbology's start flag; it is not data.
func (s *Scan) readGS1(data string) *Error {
	body := strings.TrimPrefix(data, string(gs1.GS))
	if body == "" {
		return &Error{Reason: "empty GS1 data"}
	}
	m, err := gs1.ParseData(body)
	if err != nil {
		return gs1Error(err)
	}
	return s.useMessage(m)
}

// useMessage records m unless it contradicts itself (gs1.Message.CheckConflicts):
// a scan naming two lots or two expiry dates cannot say which is the item's.
func (s *Scan) useMessage(m gs1.Message) *Error {
	if err := m.CheckConflicts(); err != nil {
		return gs1Error(err)
	}
	s.addMessage(m)
	return nil
}

// addMessage records a GS1 message and the facts in it.
func (s *Scan) addMessage(m gs1.Message) {
	s.GS1 = true
	s.Elements = m.Elements
	s.Text = bracketed(m.Elements)
	s.GTIN14 = m.GTIN()
	for _, e := range m.Elements {
		switch e.AI {
		case "00":
			s.SSCC = e.Raw
		case "10":
			s.Lot = e.Raw
		case "17":
			s.Expiry = e.Value
		case "21":
			s.Serial = e.Raw
		case "30", "37":
			if n, err := strconv.Atoi(e.Raw); err == nil && s.Count == 0 {
				s.Count = n
			}
		}
	}
}

// bracketed writes elements the way people read them: "(01)...(10)...".
func bracketed(elems []gs1.Element) string {
	var b strings.Builder
	for _, e := range elems {
		b.WriteString("(" + e.AI + ")" + e.Raw)
	}
	return b.String()
}

// gs1Error turns a labels/gs1 error into an *Error.
func gs1Error(err error) *Error {
	var ge *gs1.Error
	if errors.As(err, &ge) {
		return &Error{AI: ge.AI, Value: ge.Value, Reason: ge.Reason, Rescan: ge.Ambiguous, Err: err}
	}
	return &Error{Reason: err.Error(), Err: err}
}

// invalidError turns a labels validation error into an *Error.
func invalidError(err error) *Error {
	var inv *labels.InvalidError
	if errors.As(err, &inv) {
		return &Error{Field: inv.Field, Value: inv.Value, Reason: inv.Reason, Err: err}
	}
	return &Error{Reason: err.Error(), Err: err}
}
