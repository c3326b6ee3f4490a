package printer

import (
	"context"
	"fmt"
	"net"
	"time"
)

// Defaults for TCP's timeouts.
const (
	DefaultDialTimeout  = 5 * time.Second
	DefaultWriteTimeout = 30 * time.Second
)

// TCP prints on a network printer's raw port (9100 on Zebra printers, "raw" or
// "JetDirect" printing): one connection per job, the job's bytes written as they
// are, then the connection closed. Jobs to one TCP printer are sent one at a time.
//
// A printer that is off or unplugged shows as a dial error after DialTimeout;
// one that stops reading mid-job (out of paper with a full buffer, cable pulled)
// as a write error after WriteTimeout. Either way Print returns an error naming
// the address, and the job may need printing again.
//
// Make one with NewTCP; a zero TCP has no address.
type TCP struct {
	// DialTimeout bounds connecting to the printer; DefaultDialTimeout when zero.
	DialTimeout time.Duration
	// WriteTimeout bounds writing one whole job; DefaultWriteTimeout when zero.
	WriteTimeout time.Duration

	addr string
	// busy holds a token while a job is being sent. It is a channel rather than a
	// sync.Mutex so that a job waiting its turn can give up when its context ends.
	busy chan struct{}
}

var _ Printer = (*TCP)(nil)

// NewTCP returns a driver for the printer listening at addr, given as host:port
// (port 9100 on most label printers). It does not connect until the first Print.
func NewTCP(addr string) *TCP {
	return &TCP{addr: addr, busy: make(chan struct{}, 1)}
}

// String returns "tcp " and the printer's address.
func (p *TCP) String() string {
	return "tcp " + p.addr
}

// Print sends data to the printer over a new connection and closes it once every
// byte is written. It waits while another job is being sent to the same printer.
//
// Errors name the job and the address and wrap the cause: ctx's error when ctx
// ended first (context.Canceled, context.DeadlineExceeded), else the dial, write
// or close error (a *net.OpError; os.ErrDeadlineExceeded on a timeout).
func (p *TCP) Print(ctx context.Context, jobID string, data []byte) error {
	if err := p.lock(ctx); err != nil {
		return fmt.Errorf("print job %q on tcp %s: wait for the printer: %w", jobID, p.addr, err)
	}
	defer p.unlock()

	if err := p.send(ctx, data); err != nil {
		return fmt.Errorf("print job %q on tcp %s: %w", jobID, p.addr, err)
	}
	return nil
}

func (p *TCP) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.busy <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *TCP) unlock() {
	<-p.busy
}

// send writes data over one connection. Closing a TCP connection with bytes
// still queued does not drop them: the kernel delivers them before its FIN.
//
// TODO: nothing the printer sends back is read. A job holding a query such as
// ~HS gets an answer, and closing a socket with unread input makes the kernel
// send a reset, which can cut off the end of the job. Status queries need their
// own driver that reads the reply.
func (p *TCP) send(ctx context.Context, data []byte) error {
	dialer := net.Dialer{Timeout: orDefault(p.DialTimeout, DefaultDialTimeout)}
	conn, err := dialer.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer conn.Close()

	deadline := time.Now().Add(orDefault(p.WriteTimeout, DefaultWriteTimeout))
	if err := conn.SetWriteDeadline(deadline); err != nil {
		return fmt.Errorf("set write deadline: %w", err)
	}
	// Cancelling ctx moves the deadline into the past, which unblocks Write.
	stop := context.AfterFunc(ctx, func() { conn.SetWriteDeadline(time.Unix(1, 0)) })
	defer stop()

	if _, err := conn.Write(data); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("write: %w", ctx.Err())
		}
		return fmt.Errorf("write: %w", err)
	}
	if err := conn.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
