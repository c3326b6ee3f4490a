package printer

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/gousb"
)

// USB prints on a USB printer-class device (interface class 7), found by
// vendor and product id and, when several are plugged in, serial number.
// The job goes over the interface's bulk OUT endpoint; ~HS answers come
// back over its bulk IN endpoint. A unidirectional device (no bulk IN) can
// be neither asked nor confirmed: its Print returns ErrNotConfirmed once the
// job is written whole. The device is opened for each job and each Status.
//
// Linux binds the usblp kernel driver to printers (/dev/usb/lp0); the
// driver detaches it while it holds the interface, which needs write access
// to the device node (a udev rule; see the README).
//
// Make one with NewUSB.
type USB struct {
	Timeouts
	driver

	mu   sync.Mutex
	usb  *gousb.Context // made on the first open, released by Close
	find usbFinder
}

var _ StatusReader = (*USB)(nil)

// usbPipe is the pair of bulk endpoints of a printer interface: gousb's
// endpoints on hardware, a scripted fake in tests. in is nil when the device
// has no bulk IN endpoint.
type usbPipe struct {
	out interface {
		WriteContext(context.Context, []byte) (int, error)
	}
	in interface {
		ReadContext(context.Context, []byte) (int, error)
	}
	close func()
}

// usbFinder opens the device's printer interface.
type usbFinder func(ctx context.Context) (usbPipe, error)

// NewUSB returns a driver for the printer-class device vid:pid (and serial
// when not ""), described by info (a zero Info means DefaultInfo). It fails
// for an invalid info; it does not look for the device until the first
// Print or Status.
func NewUSB(vid, pid uint16, serial string, info Info) (*USB, error) {
	info, err := orDefaultInfo(info)
	if err != nil {
		return nil, err
	}
	p := &USB{}
	p.find = func(ctx context.Context) (usbPipe, error) {
		return openUSB(p.context(), gousb.ID(vid), gousb.ID(pid), serial)
	}
	name := fmt.Sprintf("usb %04x:%04x", vid, pid)
	if serial != "" {
		name += " serial " + serial
	}
	p.driver = newDriver(name, info, p.open)
	return p, nil
}

func (p *USB) open(ctx context.Context) (link, error) {
	pipe, err := p.find(ctx)
	if err != nil {
		return nil, err
	}
	return usbLink(pipe), nil
}

func (p *USB) context() *gousb.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.usb == nil {
		p.usb = gousb.NewContext()
	}
	return p.usb
}

// String returns "usb VID:PID" and the serial number if one was given.
func (p *USB) String() string { return p.name }

// Info returns the printer's resolution and width.
func (p *USB) Info() Info { return p.info }

// Print sends data as TCP.Print does, over USB. A device that is unplugged
// or not found shows as ErrUnreachable with nothing sent.
func (p *USB) Print(ctx context.Context, jobID string, data []byte) error {
	return p.print(ctx, p.Timeouts, jobID, data)
}

// Status opens the device, asks ~HS and returns the answer; errors as
// TCP.Status, and ErrUnreachable for a device without a bulk IN endpoint.
func (p *USB) Status(ctx context.Context) (Status, error) {
	return p.status(ctx, p.Timeouts)
}

// Close makes later calls fail with ErrClosed and releases libusb once no
// job is under way. It is safe to call more than once.
func (p *USB) Close() error {
	p.close()
	p.busy <- struct{}{} // wait for a job under way
	defer p.unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.usb == nil {
		return nil
	}
	err := p.usb.Close()
	p.usb = nil
	return err
}

type usbLink usbPipe

func (l usbLink) canRead() bool { return l.in != nil }

func (l usbLink) Close() error {
	l.close()
	return nil
}

func (l usbLink) write(ctx context.Context, p []byte) (int, error) {
	n, err := l.out.WriteContext(ctx, p)
	return n, ctxErr(ctx, err)
}

func (l usbLink) read(ctx context.Context, p []byte) (int, error) {
	for {
		n, err := l.in.ReadContext(ctx, p)
		if n > 0 || err != nil {
			return n, ctxErr(ctx, err)
		}
		// A zero-length packet: the device had nothing to say yet.
	}
}

// ErrNoUSBPrinter is wrapped when no device matches, or it has no printer
// interface with a bulk OUT endpoint.
var ErrNoUSBPrinter = errors.New("no such USB printer")

// openUSB opens the first printer interface of the device vid:pid[serial].
func openUSB(uc *gousb.Context, vid, pid gousb.ID, serial string) (usbPipe, error) {
	devs, err := uc.OpenDevices(func(d *gousb.DeviceDesc) bool { return d.Vendor == vid && d.Product == pid })
	var dev *gousb.Device
	for _, d := range devs {
		if dev == nil && (serial == "" || serialIs(d, serial)) {
			dev = d
			continue
		}
		d.Close()
	}
	if dev == nil {
		if err != nil {
			return usbPipe{}, fmt.Errorf("open: %w: %w", ErrNoUSBPrinter, err)
		}
		return usbPipe{}, fmt.Errorf("open: %w (%d devices %s:%s)", ErrNoUSBPrinter, len(devs), vid, pid)
	}
	pipe, err := claimPrinter(dev)
	if err != nil {
		dev.Close()
		return usbPipe{}, fmt.Errorf("open: %w", err)
	}
	return pipe, nil
}

func serialIs(d *gousb.Device, want string) bool {
	got, err := d.SerialNumber()
	return err == nil && got == want
}

// claimPrinter claims the first interface of class 7 (printer), detaching
// the kernel's usblp driver from it while it is held.
func claimPrinter(dev *gousb.Device) (usbPipe, error) {
	if err := dev.SetAutoDetach(true); err != nil {
		return usbPipe{}, fmt.Errorf("detach the kernel driver: %w", err)
	}
	for _, cd := range dev.Desc.Configs {
		for _, id := range cd.Interfaces {
			for _, alt := range id.AltSettings {
				if alt.Class == gousb.ClassPrinter {
					return claimSetting(dev, cd.Number, alt)
				}
			}
		}
	}
	return usbPipe{}, fmt.Errorf("%w: the device has no printer-class interface", ErrNoUSBPrinter)
}

func claimSetting(dev *gousb.Device, cfgNum int, alt gousb.InterfaceSetting) (usbPipe, error) {
	cfg, err := dev.Config(cfgNum)
	if err != nil {
		return usbPipe{}, fmt.Errorf("config %d: %w", cfgNum, err)
	}
	intf, err := cfg.Interface(alt.Number, alt.Alternate)
	if err != nil {
		cfg.Close()
		return usbPipe{}, fmt.Errorf("claim interface %d: %w", alt.Number, err)
	}
	pipe := usbPipe{close: func() { intf.Close(); cfg.Close(); dev.Close() }}
	for _, ep := range alt.Endpoints {
		if ep.TransferType != gousb.TransferTypeBulk {
			continue
		}
		if ep.Direction == gousb.EndpointDirectionOut && pipe.out == nil {
			pipe.out, err = intf.OutEndpoint(ep.Number)
		} else if ep.Direction == gousb.EndpointDirectionIn && pipe.in == nil {
			pipe.in, err = intf.InEndpoint(ep.Number)
		}
		if err != nil {
			intf.Close()
			cfg.Close()
			return usbPipe{}, fmt.Errorf("endpoint %s: %w", ep, err)
		}
	}
	if pipe.out == nil {
		intf.Close()
		cfg.Close()
		return usbPipe{}, fmt.Errorf("%w: interface %d has no bulk OUT endpoint", ErrNoUSBPrinter, alt.Number)
	}
	return pipe, nil
}
