package scan

import (
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/labels"
)

// readEAN checks EAN/UPC data against the length its identifier promises
// and verifies the check digit. ]E0 carries UPC-A and UPC-E as 13 digits too
// (a leading 0), so they give the same GTIN-14 as their GTIN-12.
func (s *Scan) readEAN(k kind, data string) *Error {
	switch k {
	case ean13:
		return s.readGTIN(data, 13)
	case ean8:
		return s.readGTIN(data, 8)
	case eanAddOn:
		if (len(data) != 2 && len(data) != 5) || !allDigits(data) {
			return &Error{Value: data, Reason: "an EAN/UPC add-on is 2 or 5 digits"}
		}
		s.AddOn = data
		return nil
	}

	if n := len(data); n != 15 && n != 18 {
		reason := fmt.Sprintf("has %d characters; EAN-13 with an add-on is 15 or 18 digits", n)
		return &Error{Value: data, Reason: reason}
	}
	if err := s.readGTIN(data[:13], 13); err != nil {
		return err
	}
	s.AddOn = data[13:]
	if !allDigits(s.AddOn) {
		return &Error{Value: s.AddOn, Reason: "the add-on has a non-digit"}
	}
	return nil
}

// readGTIN sets GTIN14 from data, which must be n digits with a right check
// digit.
func (s *Scan) readGTIN(data string, n int) *Error {
	if len(data) != n {
		reason := fmt.Sprintf("has %d characters; %s sends %d digits", len(data), s.AIM, n)
		return &Error{Value: data, Reason: reason}
	}
	gtin, err := labels.NormalizeGTIN(data)
	if err != nil {
		return invalidError(err)
	}
	s.GTIN14 = gtin
	return nil
}

// readCode39 applies the Code 39 modifier mod. A reader that checked and
// sent the mod-43 character (modifier 1) leaves it for us to strip; one with
// modifier 0 or 4 did not check, so the character is verified here only when
// the device is configured to carry one. Nothing is stripped otherwise: a
// last character is data unless the label says it is a check.
func (s *Scan) readCode39(mod byte, data string, configured bool) *Error {
	checked := mod&code39Checked != 0
	stripped := mod&code39Stripped != 0
	fullASCII := mod&code39FullASCII != 0

	switch {
	case checked && !stripped && fullASCII:
		// TODO: verify the check character of full-ASCII data; it is taken
		// over the symbol's characters, which needs the full-ASCII pairs
		// re-encoded. The reader has verified it, so it is only stripped.
		s.Payload = data[:len(data)-1]
	case checked && !stripped, !checked && configured:
		out, err := labels.StripCode39Check(data)
		if err != nil {
			return invalidError(err)
		}
		s.Payload = out
	}
	s.Text = s.Payload
	if s.Payload == "" {
		return &Error{Reason: "no data"}
	}
	return nil
}

// readITF reads Interleaved 2 of 5, which is digits only. Fourteen digits
// with a right GS1 check digit are an ITF-14 carrying a GTIN.
func (s *Scan) readITF(data string) *Error {
	if !allDigits(data) {
		return &Error{Value: data, Reason: "ITF carries digits only"}
	}
	if len(data) != 14 {
		return nil
	}
	if gtin, err := labels.NormalizeGTIN(data); err == nil {
		s.Symbology = "ITF-14"
		s.GTIN14 = gtin
	}
	return nil
}

func allDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
