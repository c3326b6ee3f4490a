package scan

import (
	"strings"

	"github.com/shipshape-oms/shipshape/labels/gs1"
)

// compositeSep joins the linear part of a GS1 Composite symbol and its 2D
// component, which scanners send as a second GS1 DataBar (]e0) message.
const compositeSep = "|]e0"

// linearWithCC are the identifiers of linear symbols a composite component
// can be attached to.
var linearWithCC = map[string]bool{"]E0": true, "]E3": true, "]E4": true, "]C1": true, "]e0": true}

// splitComposite splits "linear|]e0component" when code is a composite.
func splitComposite(code string) (linear, cc string, ok bool) {
	if !hasAIMPrefix(code) || !linearWithCC[code[:3]] {
		return "", "", false
	}
	i := strings.Index(code, compositeSep)
	if i < 0 {
		return "", "", false
	}
	return code[:i], code[i+1:], true
}

// decodeComposite decodes both parts. The facts a warehouse acts on (GTIN,
// lot, expiry, ...) are merged into the returned Scan, the linear part's
// winning where both have one; the component is kept in Composite.
func decodeComposite(linear, cc string, cfg Config) (Scan, *Error) {
	s, err := decodeAIM(linear[:3], trimFraming(linear[3:]), cfg)
	if err != nil {
		return s, err
	}
	c, err := decodeAIM(cc[:3], trimFraming(cc[3:]), cfg)
	if err != nil {
		return s, err
	}

	// Both parts are one GS1 message: they must not contradict each other.
	both := gs1.Message{Elements: append(append([]gs1.Element(nil), s.Elements...), c.Elements...)}
	if err := both.CheckConflicts(); err != nil {
		return s, gs1Error(err)
	}

	s.Symbology += " + CC"
	s.Text += "|" + c.Text
	s.Composite = &c
	s.mergeFacts(c)
	return s, nil
}

// mergeFacts fills the facts s lacks from c.
func (s *Scan) mergeFacts(c Scan) {
	for _, f := range []struct{ dst, src *string }{
		{&s.GTIN14, &c.GTIN14}, {&s.SSCC, &c.SSCC}, {&s.Lot, &c.Lot},
		{&s.Expiry, &c.Expiry}, {&s.Serial, &c.Serial},
	} {
		if *f.dst == "" {
			*f.dst = *f.src
		}
	}
	if s.Count == 0 {
		s.Count = c.Count
	}
}
