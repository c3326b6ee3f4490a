package scanner

import (
	"context"
	"fmt"
	"time"
)

// Intervals of the serial driver's device watch.
const (
	// SerialReopenEvery is how often a port that is not there is tried again.
	SerialReopenEvery = time.Second

	// SerialCheckEvery is how often an open port's path is looked at to
	// notice an adapter that was unplugged while quiet.
	SerialCheckEvery = 500 * time.Millisecond
)

// Serial reads a barcode scanner on a serial port (RS-232 through an
// adapter, or a USB CDC-ACM scanner) with github.com/tarm/serial.
//
// A scan ends at the configured suffix, which is removed, or after a gap of
// silence (SerialConfig.Gap). Every other byte is kept, control characters
// included (STX, GS, RS, EOT): labels/scan decides what they mean.
//
// What an unplugged scanner looks like, and how it is noticed: reads fail
// (EIO), or the tty is hung up and reads return nothing at once, or, with
// an adapter unplugged while quiet, reads just time out; so every
// SerialCheckEvery, and before a scan ended by a gap is delivered, the
// configured path is looked up and must still lead to the node that was
// opened. Any of these reports Offline with the reason in Event.Err, and
// bytes of a scan under way are dropped (Err says how many), never glued
// to the next scan. The port is then tried every SerialReopenEvery and
// Online is reported when it opens again.
type Serial struct {
	name string
	cfg  SerialConfig
}

var _ Scanner = (*Serial)(nil)

// NewSerial returns a driver for the scanner called name on the port cfg
// describes, with cfg's zero fields set to their defaults. It does not open
// the port; Run does. It fails when name is empty or cfg is not valid; the
// error names the device, the field and its value.
func NewSerial(name string, cfg SerialConfig) (*Serial, error) {
	if name == "" {
		return nil, fmt.Errorf("serial scanner: name %q: must not be empty", name)
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("serial scanner %q: %w", name, err)
	}
	return &Serial{name: name, cfg: cfg}, nil
}

// Name returns the configured device name.
func (s *Serial) Name() string { return s.name }

// Config returns the configuration in use, defaults filled in.
func (s *Serial) Config() SerialConfig { return s.cfg }

// Run opens the port and reads scans until ctx is done, then closes the
// port and returns nil, once its reading goroutine has ended. It reports
// Online each time the port opens and Offline each time it goes away or
// fails to open (again when the reason changes); see Serial. Run calls emit
// from its own goroutine only. A Serial may run once at a time.
func (s *Serial) Run(ctx context.Context, emit func(Event)) error {
	lastErr := ""
	for ctx.Err() == nil {
		opened, err := s.openAndRead(ctx, emit)
		if ctx.Err() != nil || err == nil {
			break
		}
		if opened || err.Error() != lastErr {
			lastErr = err.Error()
			emit(s.event(Offline, "", lastErr))
		}
		serialSleep(ctx, SerialReopenEvery)
	}
	return nil
}

// openAndRead opens the port, reports Online and reads until the port goes
// away or ctx is done. It returns whether the port opened, and why it is
// no longer in use (nil when ctx is done).
func (s *Serial) openAndRead(ctx context.Context, emit func(Event)) (bool, error) {
	port, err := openSerialPort(s.cfg)
	if err != nil {
		return false, err
	}
	r := startSerialReader(port)
	defer r.stop()

	emit(s.event(Online, "", ""))
	return true, s.read(ctx, r, emit)
}

// read frames the bytes r delivers into scans until ctx is done (nil) or
// the device goes away (why). A scan under way when it goes away is
// dropped.
func (s *Serial) read(ctx context.Context, r *serialReader, emit func(Event)) error {
	framer := &serialFramer{suffix: s.cfg.suffixBytes()}
	gap := time.NewTimer(s.cfg.Gap)
	gap.Stop()
	defer gap.Stop()
	check := time.NewTicker(SerialCheckEvery)
	defer check.Stop()

	for {
		var err error
		select {
		case <-ctx.Done():
			return nil
		case c := <-r.chunks:
			err = c.err
			if err == nil {
				s.emitScans(framer.feed(c.data), emit)
				s.armGap(gap, framer)
			}
		case <-gap.C:
			err = s.endByGap(r.port, framer, emit)
		case <-check.C:
			err = r.port.check()
		}
		if err != nil {
			return serialDropped(err, framer.pending())
		}
	}
}

// armGap starts the gap timer while a scan is under way, from its latest
// byte.
func (s *Serial) armGap(gap *time.Timer, framer *serialFramer) {
	gap.Stop()
	if framer.pending() > 0 {
		gap.Reset(s.cfg.Gap)
	}
}

// endByGap delivers the scan under way after a gap, unless the device went
// away: then the gap may be the unplug itself and the bytes are cut short.
func (s *Serial) endByGap(port *serialPort, framer *serialFramer, emit func(Event)) error {
	if err := port.check(); err != nil {
		return err
	}
	if scan, ok := framer.flush(); ok {
		s.emitScans([]string{scan}, emit)
	}
	return nil
}

func (s *Serial) emitScans(scans []string, emit func(Event)) {
	for _, scan := range scans {
		emit(s.event(Scanned, scan, ""))
	}
}

func (s *Serial) event(kind Kind, data, err string) Event {
	return Event{Device: s.name, Kind: kind, Data: data, Err: err, At: time.Now()}
}

// serialDropped adds to err that n bytes of a scan under way were dropped.
func serialDropped(err error, n int) error {
	if n == 0 {
		return err
	}
	return fmt.Errorf("%w (dropped %d bytes of an unfinished scan)", err, n)
}

// serialSleep waits for d or until ctx is done.
func serialSleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
