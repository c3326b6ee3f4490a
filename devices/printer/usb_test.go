package printer

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

// scriptedPipe stands in for a printer's bulk endpoints: it records what is
// written to OUT and, for each ~HS, queues the next scripted answer on IN in
// pieces, a zero-length packet first, as a device may send them.
type scriptedPipe struct {
	mu      sync.Mutex
	out     bytes.Buffer
	answers []string // one per ~HS; "" means no answer
	in      chan []byte
	closed  int
}

func (s *scriptedPipe) WriteContext(ctx context.Context, p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if string(p) != HostStatusQuery {
		s.out.Write(p)
		return len(p), nil
	}
	if len(s.answers) == 0 {
		return 0, errors.New("scripted pipe: unexpected ~HS")
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	if a != "" {
		s.in <- nil
		s.in <- []byte(a[:5])
		s.in <- []byte(a[5:])
	}
	return len(p), nil
}

func (s *scriptedPipe) ReadContext(ctx context.Context, p []byte) (int, error) {
	select {
	case b := <-s.in:
		return copy(p, b), nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func newScriptedUSB(pipe *scriptedPipe, bidirectional bool) *USB {
	p := &USB{}
	p.find = func(ctx context.Context) (usbPipe, error) {
		u := usbPipe{out: pipe, close: func() { pipe.closed++ }}
		if bidirectional {
			u.in = pipe
		}
		return u, nil
	}
	p.driver = newDriver("usb 0a5f:0181", DefaultInfo, p.open)
	return p
}

func TestUSBPrint(t *testing.T) {
	online := printertest.HostStatus(printertest.Online, 0)
	tests := []struct {
		name    string
		answers []string
		bidi    bool
		want    error  // nil, or the sentinel
		sent    string // what reached bulk OUT
	}{
		{"confirmed", []string{online, online}, true, nil, "^XA^XZ"},
		{"paper out", []string{printertest.HostStatus(printertest.PaperOut, 0)}, true, ErrNotReady, ""},
		{"silent after", []string{online, ""}, true, ErrNotConfirmed, "^XA^XZ"},
		{"no bulk IN", nil, false, ErrNotConfirmed, "^XA^XZ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pipe := &scriptedPipe{answers: tt.answers, in: make(chan []byte, 8)}
			p := newScriptedUSB(pipe, tt.bidi)
			p.ConfirmTimeout = 100 * time.Millisecond

			err := p.Print(context.Background(), "job-1", []byte("^XA^XZ"))
			if tt.want == nil && err != nil || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if pipe.out.String() != tt.sent || len(pipe.answers) != 0 || pipe.closed != 1 {
				t.Fatalf("OUT got %q, %d answers left, closed %d times; want %q, 0, 1",
					pipe.out.String(), len(pipe.answers), pipe.closed, tt.sent)
			}
			if err := p.Close(); err != nil || p.Close() != nil {
				t.Fatalf("Close: %v", err)
			}
		})
	}
}

func TestUSBStatusNeedsBulkIn(t *testing.T) {
	p := newScriptedUSB(&scriptedPipe{}, false)
	_, err := p.Status(context.Background())
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "no channel to answer") {
		t.Fatalf("err = %v", err)
	}
}
