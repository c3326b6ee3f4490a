package scale

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/tarm/serial"
)

// Defaults of a Config's zero fields.
const (
	DefaultBaud    = 9600
	DefaultTimeout = 2 * time.Second
)

// readStep bounds each read of the port (termios VTIME), so a Read notices a
// cancelled context or its deadline within it.
const readStep = 100 * time.Millisecond

// Bauds are the rates a scale may be set to.
var Bauds = []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200}

// Config says where a scale is and how to talk to it. Ports are 8 data bits,
// no parity, one stop bit, as scales ship.
type Config struct {
	Port     string        // device node or /dev/serial/by-id link
	Baud     int           // one of Bauds; 0 means DefaultBaud
	Protocol string        // NCI, SMA or Continuous; "" means NCI
	Timeout  time.Duration // how long to wait for an answer; 0 means DefaultTimeout
}

// Validate fills in the defaults and returns an error naming the field and
// value that is wrong.
func (c *Config) Validate() error {
	if c.Baud == 0 {
		c.Baud = DefaultBaud
	}
	if c.Protocol == "" {
		c.Protocol = NCI
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.Port == "":
		return errors.New("scale: port must not be empty")
	case !slices.Contains(Bauds, c.Baud):
		return fmt.Errorf("scale: baud %d: want one of %v", c.Baud, Bauds)
	case !slices.Contains(Protocols, c.Protocol):
		return fmt.Errorf("scale: protocol %q: want nci, sma or continuous", c.Protocol)
	}
	return nil
}

// Serial is a scale on a serial port. The port is opened for each Read and
// closed after it, so a scale unplugged and plugged in again between reads
// just works, and nothing is held open while no one weighs. Reads of one
// Serial take turns.
type Serial struct {
	cfg Config
	mu  sync.Mutex
}

// NewSerial returns the scale cfg describes (defaults filled in). It does
// not open the port. It returns Config.Validate's error.
func NewSerial(cfg Config) (*Serial, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Serial{cfg: cfg}, nil
}

// Config returns the configuration in use, defaults filled in.
func (s *Serial) Config() Config { return s.cfg }

// Read asks the scale for its weight (or, for a Continuous scale, listens)
// and returns it. Its errors are *Error values: ErrUnstable (with the
// Reading so far), ErrOverload, ErrNegative, ErrScale, ErrAnswer, and
// ErrNoAnswer when nothing came within the timeout or the port hung up (an
// unplugged adapter). A port that cannot be opened is an *fs.PathError or
// an error naming the port; a cancelled ctx returns ctx.Err().
func (s *Serial) Read(ctx context.Context) (Reading, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	port, err := serial.OpenPort(&serial.Config{Name: s.cfg.Port, Baud: s.cfg.Baud, Size: 8,
		ReadTimeout: readStep})
	if err != nil {
		return Reading{}, fmt.Errorf("open scale %s: %w", s.cfg.Port, err)
	}
	defer port.Close()

	// Anything the scale sent before we asked is stale.
	if err := port.Flush(); err != nil {
		return Reading{}, fmt.Errorf("scale %s: flush: %w", s.cfg.Port, err)
	}
	if req := request(s.cfg.Protocol); req != nil {
		if _, err := port.Write(req); err != nil {
			return Reading{}, fmt.Errorf("scale %s: send %q: %w", s.cfg.Port, req, err)
		}
	}
	return s.answer(ctx, port)
}

// answer reads until the protocol has a whole answer, the timeout runs out
// or ctx is done.
func (s *Serial) answer(ctx context.Context, port io.Reader) (Reading, error) {
	deadline := time.Now().Add(s.cfg.Timeout)
	var got []byte
	buf := make([]byte, 256)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return Reading{}, err
		}
		start := time.Now()
		n, err := port.Read(buf)
		got = append(got, buf[:n]...)
		if n > 0 {
			if r, err, done := decode(s.cfg.Protocol, string(got)); done {
				return r, err
			}
			continue
		}
		// With VMIN=0, VTIME>0 an empty read that returns well before
		// VTIME only happens on a hung-up tty (adapter unplugged).
		if err != nil && !errors.Is(err, io.EOF) || time.Since(start) < readStep/2 {
			return Reading{}, fail(ErrNoAnswer, string(got), "port %s hung up", s.cfg.Port)
		}
	}
	if len(got) == 0 {
		return Reading{}, fail(ErrNoAnswer, "", "nothing within %v", s.cfg.Timeout)
	}
	return Reading{}, fail(ErrAnswer, string(got), "incomplete answer %q within %v", got, s.cfg.Timeout)
}
