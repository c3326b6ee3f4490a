package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/scanner"
	"github.com/shipshape-oms/shipshape/server/store"
)

// TestScannerCommands runs the scanner commands in order on one database
// and checks exactly what each prints.
func TestScannerCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	steps := []struct {
		name  string
		args  []string
		out   string
		err   string
		usage bool
	}{
		{"empty list", []string{"list"}, "no scanners configured: add one with shipshape scanner add\n", "", false},
		{"add serial", []string{"add", "S1-serial", "--station", "S1", "--serial", "/dev/ttyUSB0",
			"--baud", "19200", "--suffix", "crlf", "--gap", "80ms"},
			"scanner S1-serial added: station S1, serial /dev/ttyUSB0 19200 8N1 suffix CRLF gap 80ms, " +
				"dedupe 300ms\n", "", false},
		{"add usb", []string{"add", "S2-usb", "--station", "S2", "--usb", "05e0:1200", "--layout", "de",
			"--code39-check", "--dedupe", "500ms"},
			"scanner S2-usb added: station S2, usb 05e0:1200, layout de, code39-check, dedupe 500ms\n", "", false},
		{"add twice", []string{"add", "S2-usb", "--station", "S2", "--usb", "05e0:1200"}, "",
			"scanner S2-usb already exists: change it with scanner set", false},
		{"add without device", []string{"add", "S3", "--station", "S3"}, "",
			"scanner add needs --serial PORT or --usb VENDOR:PRODUCT", true},
		{"bad parity", []string{"set", "S1-serial", "--parity", "mark"}, "",
			`scanner S1-serial: parity "mark": must be "none", "odd" or "even"`, false},
		{"bad gap", []string{"set", "S1-serial", "--gap", "fast"}, "",
			`--gap "fast": not a duration in milliseconds, e.g. 300ms`, true},
		{"set one field", []string{"set", "S1-serial", "--require-aim", "--enabled=false"},
			"scanner S1-serial updated: station S1, serial /dev/ttyUSB0 19200 8N1 suffix CRLF gap 80ms, " +
				"require-aim, dedupe 300ms, disabled\n", "", false},
		{"list", []string{"list"}, "NAME       STATION  SETTINGS\n" +
			"S1-serial  S1       serial /dev/ttyUSB0 19200 8N1 suffix CRLF gap 80ms, require-aim, dedupe 300ms, disabled\n" +
			"S2-usb     S2       usb 05e0:1200, layout de, code39-check, dedupe 500ms\n", "", false},
		{"rm", []string{"rm", "S2-usb"}, "scanner S2-usb removed\n", "", false},
		{"rm again", []string{"rm", "S2-usb"}, "", `no scanner "S2-usb"`, false},
		{"set unknown", []string{"set", "S9", "--baud", "9600"}, "", `no scanner "S9"`, false},
		{"no name", []string{"rm"}, "", `scanner rm takes 1 NAME, got []`, true},
		{"unknown verb", []string{"move"}, "", `scanner: unknown verb "move" (want add, list, set or rm)`, true},
		{"both devices", []string{"add", "S9", "--station", "S1", "--serial", "/dev/ttyUSB9", "--usb", "05e0:1200"},
			"", `invalid value "05e0:1200" for flag -usb: give --serial or --usb, not both`, true},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"scanner"}, append(tt.args, "--db", db, "--user", "tester")...)
			err := Run(context.Background(), args, &out, &errb)
			if out.String() != tt.out {
				t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), tt.out)
			}
			if (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
			var u usageError
			if errors.As(err, &u) != tt.usage {
				t.Errorf("usage error = %v, want %v", errors.As(err, &u), tt.usage)
			}
		})
	}
}

// TestWriteDevices formats what the machine lists, marking configured
// scanners by node, by link and by USB id.
func TestWriteDevices(t *testing.T) {
	configured := []store.Scanner{
		{Name: "S1-serial", Station: "S1", Kind: store.ScannerSerial, Port: "/dev/serial/by-id/usb-FTDI-if00"},
		{Name: "S2-usb", Station: "S2", Kind: store.ScannerUSB, USB: "05e0:1200"},
	}
	ports := []scanner.PortInfo{
		{Path: "/dev/ttyACM0", Driver: "cdc_acm"},
		{Path: "/dev/ttyUSB0", Driver: "ftdi_sio", Links: []string{"/dev/serial/by-id/usb-FTDI-if00"}},
	}
	usb := []scanner.USBInfo{
		{Bus: 1, Address: 4, VendorID: 0x05e0, ProductID: 0x1200, Product: "Bar Code Scanner", Keyboard: true},
		{Bus: 2, Address: 1, VendorID: 0x1d6b, ProductID: 0x0002},
	}
	var out bytes.Buffer
	writeDevices(&out, configured, ports, nil, usb, nil)
	want := `Serial ports:
  /dev/ttyACM0 (cdc_acm)
  /dev/ttyUSB0 (ftdi_sio)
    /dev/serial/by-id/usb-FTDI-if00  <- scanner S1-serial at S1
USB devices:
  bus 1 device 4: 05e0:1200 Bar Code Scanner [hid keyboard]  <- scanner S2-usb at S2
  bus 2 device 1: 1d6b:0002
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}

	out.Reset()
	writeDevices(&out, nil, nil, nil, nil, errors.Join(errors.New("list usb devices"), scanner.ErrNoUSB))
	want = "Serial ports:\n  none found\nUSB devices:\n" +
		"  none: this machine has no USB bus (no /dev/bus/usb; in a container, pass it in)\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestDevicesOnThisMachine runs the command against the real machine: its
// output is what writeDevices makes of the real listings.
func TestDevicesOnThisMachine(t *testing.T) {
	var out bytes.Buffer
	if err := Run(context.Background(), []string{"devices", "--db", filepath.Join(t.TempDir(), "none.db")},
		&out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	ports, perr := scanner.ListSerialPorts()
	usb, uerr := scanner.ListUSB()
	var want bytes.Buffer
	writeDevices(&want, nil, ports, perr, usb, uerr)
	if out.String() != want.String() {
		t.Errorf("devices printed:\n%s\nwant:\n%s", out.String(), want.String())
	}
}
