package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tarm/serial"
)

// Serial prints on a printer on a serial port (RS-232, or a USB serial
// adapter such as /dev/ttyUSB0), 8 data bits, no parity, 1 stop bit, at the
// baud rate set on the printer (9600 by default on Zebra printers). The port
// is opened for each job and each Status, and closed after; jobs never
// interleave. Errors are as for TCP.
//
// Make one with NewSerial.
type Serial struct {
	Timeouts
	driver
}

var _ StatusReader = (*Serial)(nil)

// serialPoll is how long one read of the port waits. tarm/serial opens the
// port blocking, so a read cannot be woken by a deadline or by Close; a read
// timeout (termios VTIME, in tenths of a second) bounds each read instead,
// and the driver checks its context between reads.
const serialPoll = 100 * time.Millisecond

// serialChunk is how much one write sends: the context is checked between
// chunks. A write held up by flow control (the printer's buffer is full and
// it dropped DTR or sent XOFF) blocks until the printer takes the chunk.
const serialChunk = 512

// NewSerial returns a driver for the printer on the serial device path at
// baud, described by info (a zero Info means DefaultInfo). It fails for an
// invalid info or a baud rate not in 1200–115200; it does not open the port
// until the first Print or Status.
func NewSerial(path string, baud int, info Info) (*Serial, error) {
	info, err := orDefaultInfo(info)
	if err != nil {
		return nil, err
	}
	if !validBaud(baud) {
		return nil, fmt.Errorf("serial printer %s: baud %d: want 1200, 2400, 4800, 9600, 19200, 38400, "+
			"57600 or 115200", path, baud)
	}
	p := &Serial{}
	cfg := &serial.Config{Name: path, Baud: baud, ReadTimeout: serialPoll}
	p.driver = newDriver(fmt.Sprintf("serial %s at %d baud", path, baud), info,
		func(ctx context.Context) (link, error) {
			port, err := serial.OpenPort(cfg)
			if err != nil {
				return nil, fmt.Errorf("open: %w", err)
			}
			return serialLink{port}, nil
		})
	return p, nil
}

func validBaud(b int) bool {
	switch b {
	case 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200:
		return true
	}
	return false
}

// String returns "serial ", the device and the baud rate.
func (p *Serial) String() string { return p.name }

// Info returns the printer's resolution and width.
func (p *Serial) Info() Info { return p.info }

// Print sends data as TCP.Print does, over the serial port.
func (p *Serial) Print(ctx context.Context, jobID string, data []byte) error {
	return p.print(ctx, p.Timeouts, jobID, data)
}

// Status opens the port, asks ~HS and returns the answer; errors as
// TCP.Status.
func (p *Serial) Status(ctx context.Context) (Status, error) {
	return p.status(ctx, p.Timeouts)
}

// Close makes later calls fail with ErrClosed. It is safe to call twice.
func (p *Serial) Close() error {
	p.close()
	return nil
}

type serialLink struct{ port *serial.Port }

func (l serialLink) canRead() bool { return true }

func (l serialLink) Close() error { return l.port.Close() }

func (l serialLink) write(ctx context.Context, p []byte) (int, error) {
	done := 0
	for done < len(p) {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		n, err := l.port.Write(p[done:min(len(p), done+serialChunk)])
		done += n
		if err != nil {
			return done, ctxErr(ctx, err)
		}
	}
	return done, nil
}

// read polls: with VTIME set and nothing received, a read returns no bytes
// and io.EOF, which means "nothing yet", not the end.
func (l serialLink) read(ctx context.Context, p []byte) (int, error) {
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		n, err := l.port.Read(p)
		if n > 0 {
			return n, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, ctxErr(ctx, err)
		}
	}
}
