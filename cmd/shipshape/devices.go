package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shipshape-oms/shipshape/devices/scanner"
	"github.com/shipshape-oms/shipshape/server/store"
)

// runDevices lists the serial ports and USB devices this machine can see,
// marking those configured as scanners in the database (when it exists), so
// an installer knows what to give scanner add.
func runDevices(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("devices", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	if rest, err := parseInterspersed(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("devices takes only flags, got %q", rest)}
	}
	var configured []store.Scanner
	if _, err := os.Stat(*db); err == nil {
		st, err := store.Open(ctx, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		if configured, err = st.Scanners(ctx); err != nil {
			return err
		}
	}
	ports, perr := scanner.ListSerialPorts()
	usb, uerr := scanner.ListUSB()
	writeDevices(stdout, configured, ports, perr, usb, uerr)
	return nil
}

// writeDevices prints what runDevices found: each serial port with its
// driver and stable links, each USB device, and the scanner configured on
// each. A listing that failed says why in its section.
func writeDevices(w io.Writer, configured []store.Scanner, ports []scanner.PortInfo, perr error,
	usb []scanner.USBInfo, uerr error) {
	fmt.Fprintln(w, "Serial ports:")
	switch {
	case perr != nil:
		fmt.Fprintf(w, "  cannot list them: %v\n", perr)
	case len(ports) == 0:
		fmt.Fprintln(w, "  none found")
	}
	for _, p := range ports {
		line := "  " + p.Path
		if p.Driver != "" {
			line += " (" + p.Driver + ")"
		}
		for _, l := range p.Links {
			line += "\n    " + l
		}
		fmt.Fprintln(w, line+serialMark(configured, p))
	}

	fmt.Fprintln(w, "USB devices:")
	switch {
	case errors.Is(uerr, scanner.ErrNoUSB):
		fmt.Fprintln(w, "  none: this machine has no USB bus (no /dev/bus/usb; in a container, pass it in)")
	case uerr != nil:
		fmt.Fprintf(w, "  cannot list them: %v\n", uerr)
	case len(usb) == 0:
		fmt.Fprintln(w, "  none found")
	}
	for _, u := range usb {
		fmt.Fprintf(w, "  bus %d device %d: %s%s\n", u.Bus, u.Address, u, usbMark(configured, u))
	}
}

// serialMark names the scanners configured on the port, by its node or any
// link to it.
func serialMark(configured []store.Scanner, p scanner.PortInfo) string {
	var names []string
	for _, sc := range configured {
		if sc.Kind != store.ScannerSerial {
			continue
		}
		target, err := filepath.EvalSymlinks(sc.Port)
		if sc.Port == p.Path || slices.Contains(p.Links, sc.Port) || (err == nil && target == p.Path) {
			names = append(names, sc.Name+" at "+sc.Station)
		}
	}
	return mark(names)
}

// usbMark names the scanners configured for the device's vendor and product
// (and serial number, when one is configured).
func usbMark(configured []store.Scanner, u scanner.USBInfo) string {
	var names []string
	for _, sc := range configured {
		vid, pid, err := store.ParseUSBID(sc.USB)
		if sc.Kind != store.ScannerUSB || err != nil || vid != u.VendorID || pid != u.ProductID {
			continue
		}
		if sc.SerialNumber == "" || sc.SerialNumber == u.Serial {
			names = append(names, sc.Name+" at "+sc.Station)
		}
	}
	return mark(names)
}

func mark(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "  <- scanner " + strings.Join(names, ", ")
}
