package printer

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// HostStatusQuery is the ZPL command that asks a printer for its status: it
// answers with three strings, each <STX>…<ETX><CR><LF> (ZPL II Programming
// Guide, ~HS Host Status Return).
const HostStatusQuery = "~HS"

// ErrBadStatus is wrapped by ParseHostStatus when an answer is not three
// well-formed ~HS strings.
var ErrBadStatus = errors.New("malformed host status")

// Status is a printer's answer to ~HS. Field names follow the ZPL II
// Programming Guide's ~HS table; the letters in the comments are its field
// names.
type Status struct {
	// String 1: <STX>aaa,b,c,dddd,eee,f,g,h,iii,j,k,l<ETX><CR><LF>
	CommSettings     int  // aaa: serial settings as a decimal of a bit field
	PaperOut         bool // b
	Paused           bool // c
	LabelLengthDots  int  // dddd
	FormatsInBuffer  int  // eee: formats received but not yet printed
	BufferFull       bool // f: receive buffer full
	DiagnosticMode   bool // g: communications diagnostic mode (prints received data as hex)
	PartialFormat    bool // h: a format has begun (^XA) but not ended (^XZ)
	CorruptRAM       bool // j: configuration data lost
	UnderTemperature bool // k
	OverTemperature  bool // l

	// String 2: <STX>mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www<ETX><CR><LF>
	FunctionSettings int  // mmm: media settings as a decimal of a bit field
	HeadOpen         bool // o: head up flag
	RibbonOut        bool // p
	ThermalTransfer  bool // q: thermal transfer (ribbon) mode selected
	PrintMode        int  // r: 0 rewind, 1 peel-off, 2 tear-off, 3 cutter, 4 applicator…
	PrintWidthMode   int  // s
	LabelWaiting     bool // t: a peeled label waits to be taken
	LabelsRemaining  int  // uuuuuuuu: labels left in the batch being printed
	GraphicsStored   int  // www: graphic images stored in memory

	// String 3: <STX>xxxx,y<ETX><CR><LF>
	Password  string // xxxx
	StaticRAM bool   // y: static RAM installed

	// Raw is the whole answer as received, for logs.
	Raw string
}

// Ready reports whether the printer can print now: none of the conditions
// Problems lists.
func (s Status) Ready() bool {
	return len(s.Problems()) == 0
}

// Problems names each condition that stops the printer from printing, in
// words for a packer: "paper out", "head open", "paused", "ribbon out",
// "receive buffer full", "unfinished format in the buffer", "diagnostic
// mode", "configuration lost", "head too cold", "head too hot". It is empty
// when the printer is ready.
func (s Status) Problems() []string {
	var out []string
	for _, c := range []struct {
		on   bool
		name string
	}{
		{s.PaperOut, "paper out"},
		{s.HeadOpen, "head open"},
		{s.RibbonOut, "ribbon out"},
		{s.Paused, "paused"},
		{s.BufferFull, "receive buffer full"},
		// A format left unfinished (a job cut off mid-way, or another host
		// sending) would swallow the start of the next job.
		{s.PartialFormat, "unfinished format in the buffer"},
		{s.DiagnosticMode, "diagnostic mode"},
		{s.CorruptRAM, "configuration lost"},
		{s.UnderTemperature, "head too cold"},
		{s.OverTemperature, "head too hot"},
	} {
		if c.on {
			out = append(out, c.name)
		}
	}
	return out
}

// ParseHostStatus parses a whole answer to ~HS: exactly three strings, each
// STX, comma-separated fields, ETX, CR, LF, and nothing else. Flags must be
// 0 or 1 and numbers decimal digits. Errors wrap ErrBadStatus and name the
// string and field that was wrong.
func ParseHostStatus(b []byte) (Status, error) {
	frames, err := splitFrames(b)
	if err != nil {
		return Status{}, err
	}
	s := Status{Raw: string(b)}
	for i, parse := range []func([]string) error{s.string1, s.string2, s.string3} {
		fields := bytes.Split(frames[i], []byte(","))
		strs := make([]string, len(fields))
		for j, f := range fields {
			strs[j] = string(f)
		}
		if err := parse(strs); err != nil {
			return Status{}, fmt.Errorf("%w: string %d: %w", ErrBadStatus, i+1, err)
		}
	}
	return s, nil
}

// splitFrames returns the contents of the three STX…ETX CR LF strings.
func splitFrames(b []byte) ([][]byte, error) {
	var frames [][]byte
	rest := b
	for i := 1; i <= 3; i++ {
		if len(rest) == 0 {
			return nil, fmt.Errorf("%w: %d bytes hold only %d of 3 strings", ErrBadStatus, len(b), i-1)
		}
		if rest[0] != stx {
			return nil, fmt.Errorf("%w: string %d starts with %q, not STX", ErrBadStatus, i, rest[0])
		}
		end := bytes.IndexByte(rest, etx)
		if end < 0 {
			return nil, fmt.Errorf("%w: string %d has no ETX", ErrBadStatus, i)
		}
		if bytes.IndexByte(rest[1:end], stx) >= 0 {
			return nil, fmt.Errorf("%w: string %d has a second STX before its ETX", ErrBadStatus, i)
		}
		if !bytes.HasPrefix(rest[end+1:], []byte("\r\n")) {
			return nil, fmt.Errorf("%w: string %d does not end with ETX CR LF", ErrBadStatus, i)
		}
		frames = append(frames, rest[1:end])
		rest = rest[end+3:]
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%w: %d extra bytes after the third string", ErrBadStatus, len(rest))
	}
	return frames, nil
}

const (
	stx = 0x02
	etx = 0x03
)

// fieldReader decodes the fields of one string, remembering the first error.
type fieldReader struct {
	fields []string
	names  string // one letter a field, as in the guide
	err    error
}

func newFieldReader(fields []string, names string, layout string) (*fieldReader, error) {
	if len(fields) != len(names) {
		return nil, fmt.Errorf("%d fields, want %d (%s)", len(fields), len(names), layout)
	}
	return &fieldReader{fields: fields, names: names}, nil
}

func (r *fieldReader) num(i int) int {
	f := r.fields[i]
	n, err := strconv.Atoi(f)
	if r.err == nil && (err != nil || f == "" || f[0] < '0' || f[0] > '9') {
		r.err = fmt.Errorf("field %c (%d): %q is not a number", r.names[i], i+1, f)
	}
	return n
}

func (r *fieldReader) flag(i int) bool {
	f := r.fields[i]
	if r.err == nil && f != "0" && f != "1" {
		r.err = fmt.Errorf("field %c (%d): %q is not 0 or 1", r.names[i], i+1, f)
	}
	return f == "1"
}

func (s *Status) string1(f []string) error {
	r, err := newFieldReader(f, "abcdefghijkl", "aaa,b,c,dddd,eee,f,g,h,iii,j,k,l")
	if err != nil {
		return err
	}
	s.CommSettings = r.num(0)
	s.PaperOut = r.flag(1)
	s.Paused = r.flag(2)
	s.LabelLengthDots = r.num(3)
	s.FormatsInBuffer = r.num(4)
	s.BufferFull = r.flag(5)
	s.DiagnosticMode = r.flag(6)
	s.PartialFormat = r.flag(7)
	r.num(8) // iii: unused, always 000
	s.CorruptRAM = r.flag(9)
	s.UnderTemperature = r.flag(10)
	s.OverTemperature = r.flag(11)
	return r.err
}

func (s *Status) string2(f []string) error {
	r, err := newFieldReader(f, "mnopqrstuvw", "mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www")
	if err != nil {
		return err
	}
	s.FunctionSettings = r.num(0)
	r.num(1) // n: unused
	s.HeadOpen = r.flag(2)
	s.RibbonOut = r.flag(3)
	s.ThermalTransfer = r.flag(4)
	s.PrintMode = r.num(5)
	s.PrintWidthMode = r.num(6)
	s.LabelWaiting = r.flag(7)
	s.LabelsRemaining = r.num(8)
	r.flag(9) // v: format while printing, always 1
	s.GraphicsStored = r.num(10)
	return r.err
}

func (s *Status) string3(f []string) error {
	r, err := newFieldReader(f, "xy", "xxxx,y")
	if err != nil {
		return err
	}
	r.num(0)
	s.Password = f[0]
	s.StaticRAM = r.flag(1)
	return r.err
}
