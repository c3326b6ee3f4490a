package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// Defaults for Timeouts.
const (
	DefaultDialTimeout    = 5 * time.Second
	DefaultWriteTimeout   = 30 * time.Second
	DefaultStatusTimeout  = 3 * time.Second
	DefaultConfirmTimeout = 15 * time.Second
)

// Timeouts bound each step of a job; a zero field takes its default.
type Timeouts struct {
	// DialTimeout bounds connecting to (or opening) the printer.
	DialTimeout time.Duration
	// WriteTimeout bounds writing one whole job.
	WriteTimeout time.Duration
	// StatusTimeout bounds waiting for the answer to ~HS before a job and
	// in Status.
	StatusTimeout time.Duration
	// ConfirmTimeout bounds waiting for the answer to the ~HS sent after a
	// job. It is longer than StatusTimeout because the printer reads its
	// input in order, so it answers only once it has read the whole job,
	// which may still sit in buffers on the way when the write returns.
	ConfirmTimeout time.Duration
}

func (t Timeouts) forDial() time.Duration   { return orDefault(t.DialTimeout, DefaultDialTimeout) }
func (t Timeouts) forWrite() time.Duration  { return orDefault(t.WriteTimeout, DefaultWriteTimeout) }
func (t Timeouts) forStatus() time.Duration { return orDefault(t.StatusTimeout, DefaultStatusTimeout) }
func (t Timeouts) forConfirm() time.Duration {
	return orDefault(t.ConfirmTimeout, DefaultConfirmTimeout)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// link is one open connection to a printer. Both calls return when ctx ends,
// with an error wrapping ctx's.
type link interface {
	write(ctx context.Context, p []byte) (int, error)
	// read returns the bytes that have arrived, at least one, waiting for
	// them until ctx ends.
	read(ctx context.Context, p []byte) (int, error)
	// canRead reports whether the printer can answer at all.
	canRead() bool
	Close() error
}

// driver is the part the TCP, USB and serial drivers share: one job at a
// time, each on a link of its own, with ~HS before and after.
type driver struct {
	name string
	info Info
	open func(ctx context.Context) (link, error)

	// noStatus skips ~HS (see SkipStatus).
	noStatus bool

	// busy holds a token while a job is being sent. It is a channel rather
	// than a sync.Mutex so that a job waiting its turn can give up when its
	// context ends.
	busy chan struct{}

	closeOnce sync.Once
	closed    chan struct{}
}

func newDriver(name string, info Info, open func(ctx context.Context) (link, error)) driver {
	return driver{name: name, info: info, open: open,
		busy: make(chan struct{}, 1), closed: make(chan struct{})}
}

// ErrClosed is wrapped by Print and Status on a driver that was closed.
var ErrClosed = errors.New("printer driver closed")

func (d *driver) close() {
	d.closeOnce.Do(func() { close(d.closed) })
}

// SkipStatus(true) makes the driver send jobs without asking ~HS before or
// after them, for a printer that never answers it: some models stay silent
// while out of media or paused (ZPL II Programming Guide, ~HS, notes), so
// asking would hold every job back as unreachable. Each Print then ends, at
// best, in ErrNotConfirmed wrapping ErrNoStatus: the bytes went, nobody can
// say whether they printed. Call it before the first Print; Status still asks.
func (d *driver) SkipStatus(skip bool) { d.noStatus = skip }

func (d *driver) lock(ctx context.Context) error {
	select {
	case <-d.closed:
		return ErrClosed
	default:
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case d.busy <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-d.closed:
		return ErrClosed
	}
}

func (d *driver) unlock() { <-d.busy }

// print runs one job: ~HS, the job, ~HS, on one link, holding the printer.
func (d *driver) print(ctx context.Context, t Timeouts, jobID string, data []byte) error {
	fail := func(kind error, st *Status, n int, err error) error {
		return &JobError{Job: jobID, Printer: d.name, Kind: kind, Status: st, Written: n,
			Len: len(data), Err: err}
	}
	if err := d.lock(ctx); err != nil {
		return fail(nil, nil, 0, fmt.Errorf("wait for the printer: %w", err))
	}
	defer d.unlock()

	l, err := d.dial(ctx, t)
	if err != nil {
		return fail(unlessCancelled(ctx, ErrUnreachable), nil, 0, err)
	}
	defer l.Close()

	if l.canRead() && !d.noStatus {
		st, err := query(ctx, l, t.forStatus())
		if err != nil {
			return fail(unlessCancelled(ctx, ErrUnreachable), nil, 0, fmt.Errorf("status before the job: %w", err))
		}
		if !st.Ready() {
			return fail(ErrNotReady, &st, 0, nil)
		}
	}

	wctx, cancel := context.WithTimeout(ctx, t.forWrite())
	n, err := l.write(wctx, data)
	cancel()
	if err != nil {
		return fail(ErrUnreachable, nil, n, fmt.Errorf("write: %w", err))
	}
	return d.confirm(ctx, t, l, fail, len(data))
}

// confirm asks for the status after a job was written whole.
func (d *driver) confirm(ctx context.Context, t Timeouts, l link,
	fail func(error, *Status, int, error) error, n int) error {
	if d.noStatus {
		return fail(ErrNotConfirmed, nil, n, fmt.Errorf("%w: status is switched off", ErrNoStatus))
	}
	if !l.canRead() {
		return fail(ErrNotConfirmed, nil, n, fmt.Errorf("%w: the printer has no channel to answer on",
			ErrNoStatus))
	}
	st, err := query(ctx, l, t.forConfirm())
	if err != nil {
		return fail(ErrNotConfirmed, nil, n, fmt.Errorf("status after the job: %w", err))
	}
	if !st.Ready() {
		return fail(ErrNotConfirmed, &st, n, nil)
	}
	return nil
}

// status opens a link, asks ~HS and closes it, holding the printer.
func (d *driver) status(ctx context.Context, t Timeouts) (Status, error) {
	if err := d.lock(ctx); err != nil {
		return Status{}, fmt.Errorf("status of %s: wait for the printer: %w", d.name, err)
	}
	defer d.unlock()

	l, err := d.dial(ctx, t)
	if err != nil {
		return Status{}, fmt.Errorf("status of %s: %w: %w", d.name, ErrUnreachable, err)
	}
	defer l.Close()
	if !l.canRead() {
		return Status{}, fmt.Errorf("status of %s: %w: the printer has no channel to answer on",
			d.name, ErrUnreachable)
	}
	st, err := query(ctx, l, t.forStatus())
	if err != nil {
		return Status{}, fmt.Errorf("status of %s: %w: %w", d.name, ErrUnreachable, err)
	}
	return st, nil
}

func (d *driver) dial(ctx context.Context, t Timeouts) (link, error) {
	dctx, cancel := context.WithTimeout(ctx, t.forDial())
	defer cancel()
	return d.open(dctx)
}

// unlessCancelled returns kind, or nil when ctx ended: then the caller gave
// up, the printer did not fail.
func unlessCancelled(ctx context.Context, kind error) error {
	if ctx.Err() != nil {
		return nil
	}
	return kind
}

// query sends ~HS and reads the three strings of the answer, which may come
// in any number of reads (byte by byte over serial). It gives up after
// timeout with an error wrapping ErrNoAnswer.
func query(ctx context.Context, l link, timeout time.Duration) (Status, error) {
	qctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := l.write(qctx, []byte(HostStatusQuery)); err != nil {
		return Status{}, noAnswer(ctx, timeout, fmt.Errorf("send ~HS: %w", err))
	}

	var answer []byte
	buf := make([]byte, 256)
	for !complete(answer) {
		n, err := l.read(qctx, buf)
		answer = append(answer, buf[:n]...)
		if err != nil {
			return Status{}, noAnswer(ctx, timeout,
				fmt.Errorf("read the answer to ~HS (%d bytes so far): %w", len(answer), err))
		}
	}
	return ParseHostStatus(answer)
}

// complete reports whether b holds three ETXs and the CR LF after the last.
func complete(b []byte) bool {
	if bytes.Count(b, []byte{etx}) < 3 {
		return false
	}
	return len(b)-bytes.LastIndexByte(b, etx) > 2
}

// noAnswer adds ErrNoAnswer to err when the status timeout, not the
// caller's context, ended the wait.
func noAnswer(ctx context.Context, timeout time.Duration, err error) error {
	if ctx.Err() == nil && isTimeout(err) {
		return fmt.Errorf("%w within %v: %w", ErrNoAnswer, timeout, err)
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// ctxErr wraps err with ctx's error when ctx has ended, so callers see
// context.Canceled (or DeadlineExceeded) as well as the I/O error.
func ctxErr(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}
