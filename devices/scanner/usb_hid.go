package scanner

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// HIDConfig says which USB HID scanner a USBHID reads and how to decode it.
type HIDConfig struct {
	VendorID  uint16 // idVendor, e.g. 0x05e0; required
	ProductID uint16 // idProduct, e.g. 0x1200; required
	Serial    string // iSerialNumber to pick one of several identical scanners; "" takes the first
	Layout    *Layout

	// OnDecodeError, if set, is called from Run's goroutine with every
	// error decoding a report (the scan it hit is discarded). Drivers do not
	// log, so this is how the server learns of a misconfigured layout.
	OnDecodeError func(error)
}

// hidReportReader is the open device as Run sees it: the gousb layer in
// usb_gousb.go, or a scripted reader in tests.
type hidReportReader interface {
	// ReadContext reads one input report into buf. It returns
	// errHIDReadTimeout when ctx ends before a report arrives, and any other
	// error when the device is gone or broken.
	ReadContext(ctx context.Context, buf []byte) (int, error)
	Close() error
}

// hidOpener opens the device cfg names. Not finding it is an error.
type hidOpener func(cfg HIDConfig) (hidReportReader, error)

// errHIDReadTimeout means no report arrived within the read timeout; a
// scanner that is not scanning sends nothing.
var errHIDReadTimeout = errors.New("usb hid read: timed out")

// USBHID is a keyboard-wedge scanner read directly over USB with libusb,
// taking it away from the kernel keyboard driver. It implements Scanner.
type USBHID struct {
	name        string
	cfg         HIDConfig
	open        hidOpener
	readTimeout time.Duration // how long one read waits before ctx is checked again
	retry       time.Duration // how often a missing device is looked for
	now         func() time.Time
}

// NewUSBHID returns a driver for the scanner cfg describes, called name in
// events. It returns an error naming the field if VendorID or ProductID is
// zero.
func NewUSBHID(name string, cfg HIDConfig) (*USBHID, error) {
	if cfg.VendorID == 0 || cfg.ProductID == 0 {
		return nil, fmt.Errorf("usb hid scanner %q: vendor id 0x%04x and product id 0x%04x must both be set",
			name, cfg.VendorID, cfg.ProductID)
	}
	if cfg.Layout == nil {
		cfg.Layout = LayoutUS
	}
	return &USBHID{
		name:        name,
		cfg:         cfg,
		open:        openGousbHID,
		readTimeout: 500 * time.Millisecond,
		retry:       time.Second,
		now:         time.Now,
	}, nil
}

// Name returns the configured device name.
func (u *USBHID) Name() string { return u.name }

// Run opens the scanner, emits Online, and emits a Scanned event for every
// scan until ctx is done, then returns nil. A scanner that cannot be opened
// or goes away (a read fails with LIBUSB_ERROR_NO_DEVICE, an I/O error or
// any other error but a timeout) is reported Offline once, with the error,
// and looked for again every second; when it is back, Run emits Online and
// reads on with a fresh decoder (a scan cut off by the unplug is lost).
func (u *USBHID) Run(ctx context.Context, emit func(Event)) error {
	offline := false // Offline already emitted for this outage
	for {
		opened, err := u.session(ctx, emit)
		if ctx.Err() != nil {
			return nil
		}
		if opened || !offline {
			emit(Event{Device: u.name, Kind: Offline, Err: err.Error(), At: u.now()})
		}
		offline = true
		if !sleepCtx(ctx, u.retry) {
			return nil
		}
	}
}

// session opens the device once and reads it until it fails or ctx ends.
// It reports whether the device was opened, and why it stopped.
func (u *USBHID) session(ctx context.Context, emit func(Event)) (bool, error) {
	r, err := u.open(u.cfg)
	if err != nil {
		return false, err
	}
	defer r.Close()

	emit(Event{Device: u.name, Kind: Online, At: u.now()})
	return true, u.readLoop(ctx, r, emit)
}

// readLoop feeds reports to a decoder and emits its scans.
func (u *USBHID) readLoop(ctx context.Context, r hidReportReader, emit func(Event)) error {
	dec := NewHIDDecoder(u.cfg.Layout)
	buf := make([]byte, 64) // a full-speed interrupt packet; boot reports use 8
	for {
		n, err := u.readOnce(ctx, r, buf)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, errHIDReadTimeout) || (err == nil && n == 0) {
			continue
		}
		if err != nil {
			return err
		}
		scans, derr := dec.Feed(buf[:n])
		for _, s := range scans {
			emit(Event{Device: u.name, Kind: Scanned, Data: s, At: u.now()})
		}
		if derr != nil && u.cfg.OnDecodeError != nil {
			u.cfg.OnDecodeError(fmt.Errorf("usb hid scanner %q: %w", u.name, derr))
		}
	}
}

func (u *USBHID) readOnce(ctx context.Context, r hidReportReader, buf []byte) (int, error) {
	rctx, cancel := context.WithTimeout(ctx, u.readTimeout)
	defer cancel()
	return r.ReadContext(rctx, buf)
}

// sleepCtx waits for d or ctx, reporting whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
