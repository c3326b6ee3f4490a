package scanner

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// PortInfo describes one serial port of this machine.
type PortInfo struct {
	Path   string   // device node, e.g. /dev/ttyUSB0
	Driver string   // kernel driver, e.g. "ftdi_sio", "cdc_acm"; empty when unknown
	Links  []string // /dev/serial/by-id links to Path: names that survive replugging
}

// serialPortPrefixes are the tty names that can be serial scanners: on-board
// UARTs, USB serial adapters and USB CDC-ACM devices.
var serialPortPrefixes = []string{"ttyS", "ttyUSB", "ttyACM"}

// ListSerialPorts returns the serial ports the kernel knows, sorted by path,
// from /sys/class/tty and /dev/serial/by-id. It leaves out a ttyS port with
// no UART behind it: Linux creates several of those whether or not the
// hardware exists. A by-id link to a node missing from /sys is listed as a
// port of its own. Errors come from reading /sys/class/tty.
func ListSerialPorts() ([]PortInfo, error) {
	return listSerialPorts("/sys/class/tty", "/dev")
}

func listSerialPorts(sysTTY, dev string) ([]PortInfo, error) {
	entries, err := os.ReadDir(sysTTY)
	if err != nil {
		return nil, fmt.Errorf("list serial ports: %w", err)
	}
	var ports []PortInfo
	for _, e := range entries {
		if driver, ok := serialTTY(filepath.Join(sysTTY, e.Name())); ok {
			ports = append(ports, PortInfo{Path: filepath.Join(dev, e.Name()), Driver: driver})
		}
	}

	ports = addSerialLinks(ports, filepath.Join(dev, "serial", "by-id"))
	slices.SortFunc(ports, func(a, b PortInfo) int { return strings.Compare(a.Path, b.Path) })
	return ports, nil
}

// serialTTY returns the driver of the tty whose /sys directory is dir, and
// whether it is a serial port that is there. A tty with no device/driver
// link is virtual. A ttyS port whose "type" is 0 (PORT_UNKNOWN in
// linux/serial_core.h) is a placeholder the 8250 driver made without
// finding a UART.
func serialTTY(dir string) (string, bool) {
	name := filepath.Base(dir)
	if !slices.ContainsFunc(serialPortPrefixes, func(p string) bool {
		return strings.HasPrefix(name, p)
	}) {
		return "", false
	}
	driver, err := filepath.EvalSymlinks(filepath.Join(dir, "device", "driver"))
	if err != nil {
		return "", false
	}
	if strings.HasPrefix(name, "ttyS") {
		uart, err := os.ReadFile(filepath.Join(dir, "type"))
		if err != nil || strings.TrimSpace(string(uart)) == "0" {
			return "", false
		}
	}
	return filepath.Base(driver), true
}

// addSerialLinks adds to ports the links in byID (a missing directory has
// none), each to the port it leads to.
func addSerialLinks(ports []PortInfo, byID string) []PortInfo {
	entries, _ := os.ReadDir(byID)
	for _, e := range entries {
		link := filepath.Join(byID, e.Name())
		target, err := filepath.EvalSymlinks(link)
		if err != nil {
			continue // a dangling link: its adapter is being unplugged
		}
		i := slices.IndexFunc(ports, func(p PortInfo) bool { return p.Path == target })
		if i < 0 {
			ports = append(ports, PortInfo{Path: target})
			i = len(ports) - 1
		}
		ports[i].Links = append(ports[i].Links, link)
	}
	return ports
}
