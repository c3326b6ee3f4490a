package scanner

import (
	"fmt"
	"strings"

	"github.com/google/gousb"
)

// USBInfo describes one USB device libusb can see, for `shipshape devices`.
type USBInfo struct {
	Bus, Address int
	VendorID     uint16
	ProductID    uint16
	Manufacturer string // "" when the device could not be opened to read it
	Product      string
	Serial       string
	Class        uint8 // device class; 0 means "per interface"
	Keyboard     bool  // has a HID boot-keyboard interface: a keyboard-wedge scanner or a keyboard
	HID          bool  // has any HID interface
	Printer      bool  // printer class (7) on the device or an interface
}

// String returns e.g. "05e0:1200 Symbol Bar Code Scanner [hid keyboard]".
func (u USBInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%04x:%04x", u.VendorID, u.ProductID)
	for _, s := range []string{u.Manufacturer, u.Product} {
		if s != "" {
			b.WriteString(" " + s)
		}
	}
	switch {
	case u.Keyboard:
		b.WriteString(" [hid keyboard]")
	case u.Printer:
		b.WriteString(" [printer]")
	case u.HID:
		b.WriteString(" [hid]")
	}
	return b.String()
}

// ListUSB returns every USB device libusb can see, in bus order. Strings
// (manufacturer, product, serial number) are filled in only for devices this
// user may open; without a udev rule they stay empty and that is not an
// error. On a host with no USB bus (no /dev/bus/usb, as in containers) it
// returns an error wrapping ErrNoUSB, so the caller can say why nothing is
// listed; other libusb failures are returned wrapped.
func ListUSB() ([]USBInfo, error) {
	uctx, err := newUSBContext()
	if err != nil {
		return nil, fmt.Errorf("list usb devices: %w", err)
	}
	defer uctx.Close()

	// Errors opening single devices (usually LIBUSB_ERROR_ACCESS) only cost
	// their strings; only a failure to enumerate at all is returned.
	var list []USBInfo
	devs, err := uctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		list = append(list, describeUSB(d))
		return true
	})
	if err != nil && len(list) == 0 {
		return nil, fmt.Errorf("list usb devices: %w", err)
	}
	for _, d := range devs {
		addStrings(list, d)
		d.Close()
	}
	return list, nil
}

// describeUSB fills in what the device descriptor alone tells.
func describeUSB(d *gousb.DeviceDesc) USBInfo {
	info := USBInfo{
		Bus: d.Bus, Address: d.Address,
		VendorID: uint16(d.Vendor), ProductID: uint16(d.Product),
		Class:   uint8(d.Class),
		Printer: d.Class == usbClassPrinter,
	}
	for _, c := range d.Configs {
		for _, intf := range c.Interfaces {
			for _, s := range intf.AltSettings {
				info.HID = info.HID || s.Class == usbClassHID
				info.Keyboard = info.Keyboard ||
					(s.Class == usbClassHID && s.Protocol == hidProtocolKbd)
				info.Printer = info.Printer || s.Class == usbClassPrinter
			}
		}
	}
	return info
}

// addStrings reads the string descriptors of the open device d into its
// entry in list.
func addStrings(list []USBInfo, d *gousb.Device) {
	for i := range list {
		if list[i].Bus != d.Desc.Bus || list[i].Address != d.Desc.Address {
			continue
		}
		list[i].Manufacturer, _ = d.Manufacturer()
		list[i].Product, _ = d.Product()
		list[i].Serial, _ = d.SerialNumber()
	}
}
