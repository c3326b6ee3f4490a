package scanner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/google/gousb"
)

// This file is the thin layer over gousb (libusb, cgo). It makes no
// decisions beyond picking the interface and endpoint; everything else is
// in usb_hid.go and hid_decoder.go, which tests drive with a scripted
// reader, as no USB bus is available to CI.

// ErrNoUSB means the host has no USB bus that libusb can use, e.g. a
// container without /dev/bus/usb. ListUSB returns it (wrapped) instead of
// an empty list, so that "no scanners found" and "cannot look" differ.
var ErrNoUSB = errors.New("no usb bus")

// usbfsPath is where Linux exposes USB devices to libusb.
const usbfsPath = "/dev/bus/usb"

// Interface class, subclass and protocol codes from the USB class
// definitions (HID 1.11 section 4; Printer class 1.1 section 4.2).
const (
	hidSubclassBoot  = 1
	hidProtocolKbd   = 1
	hidSetProtocol   = 0x0b // HID 1.11 section 7.2.6
	hidClassRequest  = 0x21 // host-to-device, class, interface
	hidBootProtocol  = 0
	usbClassHID      = gousb.ClassHID
	usbClassPrinter  = gousb.ClassPrinter
	endpointTransfer = gousb.TransferTypeInterrupt
)

// newUSBContext starts libusb. gousb panics when libusb cannot start; that
// is turned into an error wrapping ErrNoUSB.
func newUSBContext() (ctx *gousb.Context, err error) {
	if runtime.GOOS == "linux" {
		if _, serr := os.Stat(usbfsPath); serr != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoUSB, serr)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			ctx, err = nil, fmt.Errorf("%w: libusb init: %v", ErrNoUSB, p)
		}
	}()
	return gousb.NewContext(), nil
}

// gousbHID is an open scanner: the claimed interface and its interrupt IN
// endpoint. It implements hidReportReader.
type gousbHID struct {
	ctx  *gousb.Context
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	ep   *gousb.InEndpoint
}

// openGousbHID finds the scanner by vendor and product id (and serial
// number if set), detaches the kernel keyboard driver and claims the HID
// interface. Its errors name the device.
func openGousbHID(cfg HIDConfig) (hidReportReader, error) {
	uctx, err := newUSBContext()
	if err != nil {
		return nil, err
	}
	h := &gousbHID{ctx: uctx}
	if err := h.open(cfg); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

func (h *gousbHID) open(cfg HIDConfig) error {
	id := fmt.Sprintf("usb %04x:%04x", cfg.VendorID, cfg.ProductID)
	dev, err := findDevice(h.ctx, cfg)
	if err != nil {
		return fmt.Errorf("open %s: %w", id, err)
	}
	h.dev = dev

	// Without this the kernel's usbhid driver keeps the interface and the
	// claim fails with LIBUSB_ERROR_BUSY; libusb gives it back on release.
	if err := dev.SetAutoDetach(true); err != nil {
		return fmt.Errorf("open %s: detach kernel driver: %w", id, err)
	}
	return h.claim(id)
}

// findDevice opens the first device with cfg's ids and serial number,
// closing the others.
func findDevice(uctx *gousb.Context, cfg HIDConfig) (*gousb.Device, error) {
	devs, err := uctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		return uint16(d.Vendor) == cfg.VendorID && uint16(d.Product) == cfg.ProductID
	})
	var found *gousb.Device
	for _, d := range devs {
		if found == nil && serialMatches(d, cfg.Serial) {
			found = d
			continue
		}
		d.Close()
	}
	if found != nil {
		return found, nil
	}
	if err != nil {
		return nil, err // e.g. LIBUSB_ERROR_ACCESS: see the udev rule in the README
	}
	if cfg.Serial != "" {
		return nil, fmt.Errorf("no device with serial number %q", cfg.Serial)
	}
	return nil, errors.New("no such device")
}

func serialMatches(d *gousb.Device, want string) bool {
	if want == "" {
		return true
	}
	got, err := d.SerialNumber()
	return err == nil && got == want
}

// claim claims the first HID interface of the active configuration and
// opens its interrupt IN endpoint.
func (h *gousbHID) claim(id string) error {
	num, err := h.dev.ActiveConfigNum()
	if err != nil {
		return fmt.Errorf("open %s: active configuration: %w", id, err)
	}
	setting, epNum, err := hidEndpoint(h.dev.Desc.Configs[num])
	if err != nil {
		return fmt.Errorf("open %s: configuration %d: %w", id, num, err)
	}
	if h.cfg, err = h.dev.Config(num); err != nil {
		return fmt.Errorf("open %s: %w", id, err)
	}
	if h.intf, err = h.cfg.Interface(setting.Number, setting.Alternate); err != nil {
		return fmt.Errorf("open %s: claim interface %d: %w", id, setting.Number, err)
	}
	if setting.SubClass == hidSubclassBoot {
		// Ask for the 8-byte boot report format (HID 1.11 section 7.2.6); a
		// device in report protocol may use another layout. Failure is
		// harmless for devices that only speak one protocol.
		_, _ = h.dev.Control(hidClassRequest, hidSetProtocol, hidBootProtocol, uint16(setting.Number), nil)
	}
	if h.ep, err = h.intf.InEndpoint(epNum); err != nil {
		return fmt.Errorf("open %s: endpoint %d: %w", id, epNum, err)
	}
	return nil
}

// hidEndpoint picks the HID interface (a boot keyboard first) and its
// interrupt IN endpoint number.
func hidEndpoint(cfg gousb.ConfigDesc) (gousb.InterfaceSetting, int, error) {
	var best *gousb.InterfaceSetting
	for _, intf := range cfg.Interfaces {
		for i := range intf.AltSettings {
			s := &intf.AltSettings[i]
			if s.Class != usbClassHID || inEndpoint(*s) < 0 {
				continue
			}
			if best == nil || (s.Protocol == hidProtocolKbd && best.Protocol != hidProtocolKbd) {
				best = s
			}
		}
	}
	if best == nil {
		return gousb.InterfaceSetting{}, 0, errors.New("no hid interface with an interrupt in endpoint")
	}
	return *best, inEndpoint(*best), nil
}

func inEndpoint(s gousb.InterfaceSetting) int {
	for _, ep := range s.Endpoints {
		if ep.Direction == gousb.EndpointDirectionIn && ep.TransferType == endpointTransfer {
			return ep.Number
		}
	}
	return -1
}

// ReadContext reads one report. gousb ends a read whose ctx is done with
// TransferCancelled; when that was our timeout it becomes errHIDReadTimeout.
// An unplugged device fails with TransferNoDevice or LIBUSB_ERROR_NO_DEVICE,
// which Run reports as Offline.
func (h *gousbHID) ReadContext(ctx context.Context, buf []byte) (int, error) {
	n, err := h.ep.ReadContext(ctx, buf)
	if err == nil {
		return n, nil
	}
	if ctx.Err() != nil || errors.Is(err, gousb.TransferTimedOut) {
		return n, errHIDReadTimeout
	}
	return n, fmt.Errorf("read usb %s: %w", h.dev, err)
}

// Close releases the interface (giving it back to the kernel driver), the
// device and libusb. It is safe to call twice.
func (h *gousbHID) Close() error {
	if h.intf != nil {
		h.intf.Close()
		h.intf = nil
	}
	if h.cfg != nil {
		_ = h.cfg.Close()
		h.cfg = nil
	}
	if h.dev != nil {
		_ = h.dev.Close()
		h.dev = nil
	}
	if h.ctx == nil {
		return nil
	}
	err := h.ctx.Close()
	h.ctx = nil
	return err
}
