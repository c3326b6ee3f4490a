package printer

import (
	"context"
	"fmt"
	"net"
	"time"
)

// TCP prints on a network printer's raw port (9100 on Zebra printers, "raw" or
// "JetDirect" printing): one connection per job, on which it asks ~HS, writes
// the job's bytes as they are, asks ~HS again, then closes. Jobs to one TCP
// printer are sent one at a time and never interleave.
//
// A printer that is off or unplugged shows as ErrUnreachable after
// DialTimeout (nothing sent); one that stops reading mid-job (cable pulled)
// as ErrUnreachable after WriteTimeout with JobError.Written telling how much
// went; one that takes the job and then falls silent as ErrNotConfirmed
// after ConfirmTimeout.
//
// Make one with NewTCP; a zero TCP has no address.
type TCP struct {
	Timeouts
	driver
}

var _ StatusReader = (*TCP)(nil)

// NewTCP returns a driver for the printer listening at addr, given as host:port
// (port 9100 on most label printers), with DefaultInfo. It does not connect
// until the first Print.
func NewTCP(addr string) *TCP {
	p := &TCP{}
	p.driver = newDriver("tcp "+addr, DefaultInfo, func(ctx context.Context) (link, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("dial: %w", err)
		}
		return tcpLink{c}, nil
	})
	return p
}

// NewTCPInfo is NewTCP for a printer described by info; it fails when info is
// not valid (see Info.Validate). A zero info means DefaultInfo.
func NewTCPInfo(addr string, info Info) (*TCP, error) {
	info, err := orDefaultInfo(info)
	if err != nil {
		return nil, err
	}
	p := NewTCP(addr)
	p.info = info
	return p, nil
}

// String returns "tcp " and the printer's address.
func (p *TCP) String() string { return p.name }

// Info returns the printer's resolution and width.
func (p *TCP) Info() Info { return p.info }

// Print sends data to the printer as described on TCP, waiting while another
// job is being sent to the same printer. It returns nil only when the
// printer answered ~HS after the job and was still fine. Errors are a
// *JobError naming the job and the address; ctx's error is wrapped when ctx
// ended first, and the dial or write error (a *net.OpError,
// os.ErrDeadlineExceeded on a timeout) as the cause.
func (p *TCP) Print(ctx context.Context, jobID string, data []byte) error {
	return p.print(ctx, p.Timeouts, jobID, data)
}

// Status connects, asks ~HS and returns the answer. Errors wrap
// ErrUnreachable (and ErrNoAnswer when it did not answer within
// StatusTimeout), or ErrBadStatus.
func (p *TCP) Status(ctx context.Context) (Status, error) {
	return p.status(ctx, p.Timeouts)
}

// Close makes later calls fail with ErrClosed; a job under way finishes.
// It is safe to call more than once.
func (p *TCP) Close() error {
	p.close()
	return nil
}

// tcpLink is a connection to a raw port. Closing a TCP connection with bytes
// still queued does not drop them: the kernel delivers them before its FIN.
type tcpLink struct{ c net.Conn }

func (l tcpLink) canRead() bool { return true }

func (l tcpLink) Close() error { return l.c.Close() }

func (l tcpLink) write(ctx context.Context, p []byte) (int, error) {
	return withDeadline(ctx, l.c.SetWriteDeadline, func() (int, error) { return l.c.Write(p) })
}

func (l tcpLink) read(ctx context.Context, p []byte) (int, error) {
	return withDeadline(ctx, l.c.SetReadDeadline, func() (int, error) { return l.c.Read(p) })
}

// withDeadline runs op under ctx's deadline; cancelling ctx moves the
// deadline into the past, which unblocks op.
func withDeadline(ctx context.Context, set func(time.Time) error, op func() (int, error)) (int, error) {
	deadline, _ := ctx.Deadline()
	if err := set(deadline); err != nil {
		return 0, err
	}
	stop := context.AfterFunc(ctx, func() { set(time.Unix(1, 0)) })
	defer stop()
	n, err := op()
	return n, ctxErr(ctx, err)
}
