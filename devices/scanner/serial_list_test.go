package scanner

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeTTY makes sys/NAME as /sys/class/tty has it: a device/driver link to
// a driver directory when driver is set, and a "type" file when uart is.
func fakeTTY(t *testing.T, sys, name, driver, uart string) {
	dir := filepath.Join(sys, name)
	mustDo(t, os.MkdirAll(filepath.Join(dir, "device"), 0o755))
	if driver != "" {
		target := filepath.Join(sys, "..", "drivers", driver)
		mustDo(t, os.MkdirAll(target, 0o755))
		mustDo(t, os.Symlink(target, filepath.Join(dir, "device", "driver")))
	}
	if uart != "" {
		mustDo(t, os.WriteFile(filepath.Join(dir, "type"), []byte(uart+"\n"), 0o644))
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestListSerialPorts(t *testing.T) {
	root := t.TempDir()
	sys, dev := filepath.Join(root, "sys", "class", "tty"), filepath.Join(root, "dev")
	fakeTTY(t, sys, "ttyS0", "port", "4")       // a 16550A that is there
	fakeTTY(t, sys, "ttyS1", "serial8250", "0") // a placeholder with no UART
	fakeTTY(t, sys, "ttyS2", "", "4")           // no driver
	fakeTTY(t, sys, "ttyUSB0", "ftdi_sio", "")  // USB adapter
	fakeTTY(t, sys, "ttyACM0", "cdc_acm", "")   // CDC-ACM scanner
	fakeTTY(t, sys, "tty1", "", "")             // a virtual console
	fakeTTY(t, sys, "ptmx", "", "")             //
	fakeTTY(t, sys, "ttyUSB9", "", "")          // gone: no driver any more

	byID := filepath.Join(dev, "serial", "by-id")
	mustDo(t, os.MkdirAll(byID, 0o755))
	for _, name := range []string{"ttyUSB0", "ttyACM0", "ttyACM7"} {
		mustDo(t, os.WriteFile(filepath.Join(dev, name), nil, 0o644))
	}
	links := map[string]string{
		"usb-FTDI_FT232R_A10K1XYZ-if00-port0": "../../ttyUSB0",
		"usb-Honeywell_1902-if00":             "../../ttyACM0",
		"usb-Other-if00":                      "../../ttyACM7", // not in /sys
		"usb-Gone-if00":                       "../../ttyUSB3", // dangling
	}
	for name, target := range links {
		mustDo(t, os.Symlink(target, filepath.Join(byID, name)))
	}

	got, err := listSerialPorts(sys, dev)
	if err != nil {
		t.Fatal(err)
	}
	want := []PortInfo{
		{Path: filepath.Join(dev, "ttyACM0"), Driver: "cdc_acm",
			Links: []string{filepath.Join(byID, "usb-Honeywell_1902-if00")}},
		{Path: filepath.Join(dev, "ttyACM7"), Links: []string{filepath.Join(byID, "usb-Other-if00")}},
		{Path: filepath.Join(dev, "ttyS0"), Driver: "port"},
		{Path: filepath.Join(dev, "ttyUSB0"), Driver: "ftdi_sio",
			Links: []string{filepath.Join(byID, "usb-FTDI_FT232R_A10K1XYZ-if00-port0")}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ports:\n got %+v\nwant %+v", got, want)
	}
}

func TestListSerialPortsNoSys(t *testing.T) {
	_, err := listSerialPorts(filepath.Join(t.TempDir(), "missing"), "/dev")
	if err == nil || !strings.Contains(err.Error(), "list serial ports") {
		t.Fatalf("error = %v, want one saying the listing failed", err)
	}
}

func TestListSerialPortsHere(t *testing.T) {
	ports, err := ListSerialPorts()
	if err != nil {
		t.Skipf("no /sys/class/tty here: %v", err)
	}
	for _, p := range ports {
		if _, err := os.Stat(p.Path); !strings.HasPrefix(p.Path, "/dev/tty") || err != nil {
			t.Errorf("port %+v: want an existing /dev/tty* node (%v)", p, err)
		}
	}
}
