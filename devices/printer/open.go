package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrBadAddress is wrapped by Open when a printer address cannot be parsed.
var ErrBadAddress = errors.New("bad printer address")

// Open returns the driver for a printer address, described by info (a zero
// Info means DefaultInfo):
//
//	tcp:HOST:PORT or HOST:PORT   network printer's raw port (tcp:HOST means port 9100)
//	usb:VID:PID[:SERIAL]         USB printer, ids in hex, e.g. usb:0a5f:0181
//	serial:DEVICE[:BAUD]         serial port, e.g. serial:/dev/ttyUSB0:9600 (9600 if left out)
//	spool:DIR                    files in a directory (see Spool)
//
// It does not connect. Errors wrap ErrBadAddress and name the part that was
// wrong, or are Info.Validate's. Every driver it returns has a Close method.
func Open(addr string, info Info) (Printer, error) {
	kind, rest, ok := strings.Cut(addr, ":")
	switch {
	case ok && kind == "tcp":
		return openTCP(addr, rest, true, info)
	case ok && kind == "usb":
		return openUSBAddr(addr, rest, info)
	case ok && kind == "serial":
		return openSerial(addr, rest, info)
	case ok && kind == "spool":
		if rest == "" {
			return nil, badAddr(addr, "spool directory is empty")
		}
		if _, err := orDefaultInfo(info); err != nil {
			return nil, err
		}
		return NewSpool(rest), nil
	case strings.Count(addr, ":") == 1 || strings.HasPrefix(addr, "["):
		return openTCP(addr, addr, false, info)
	}
	return nil, badAddr(addr, "want tcp:HOST:PORT, HOST:PORT, usb:VID:PID[:SERIAL], serial:DEVICE[:BAUD] "+
		"or spool:DIR")
}

func badAddr(addr, msg string, args ...any) error {
	return fmt.Errorf("%w %q: %s", ErrBadAddress, addr, fmt.Sprintf(msg, args...))
}

func openTCP(addr, hostPort string, portOptional bool, info Info) (Printer, error) {
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil && portOptional && !strings.Contains(hostPort, ":") {
		host, port, err = hostPort, "9100", nil
	}
	if err != nil {
		return nil, badAddr(addr, "want HOST:PORT: %v", err)
	}
	if host == "" {
		return nil, badAddr(addr, "host is empty")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, badAddr(addr, "port %q: want a number from 1 to 65535", port)
	}
	return NewTCPInfo(net.JoinHostPort(host, port), info)
}

func openUSBAddr(addr, rest string, info Info) (Printer, error) {
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) < 2 {
		return nil, badAddr(addr, "want usb:VID:PID[:SERIAL]")
	}
	var ids [2]uint16
	for i, name := range []string{"vendor id", "product id"} {
		s := strings.TrimPrefix(strings.ToLower(parts[i]), "0x")
		n, err := strconv.ParseUint(s, 16, 16)
		if err != nil || s == "" {
			return nil, badAddr(addr, "%s %q: want 1 to 4 hex digits", name, parts[i])
		}
		ids[i] = uint16(n)
	}
	serial := ""
	if len(parts) == 3 {
		if serial = parts[2]; serial == "" {
			return nil, badAddr(addr, "serial number is empty")
		}
	}
	return NewUSB(ids[0], ids[1], serial, info)
}

func openSerial(addr, rest string, info Info) (Printer, error) {
	path, baud := rest, 9600
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			return nil, badAddr(addr, "baud %q: not a number", rest[i+1:])
		}
		path, baud = rest[:i], n
	}
	if path == "" {
		return nil, badAddr(addr, "serial device is empty")
	}
	if !validBaud(baud) {
		return nil, badAddr(addr, "baud %d: want 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200", baud)
	}
	return NewSerial(path, baud, info)
}

// QueryStatus opens the printer at addr (see Open), asks ~HS and closes it:
// for a "printer status" command. Errors are Open's, ErrUnreachable (with
// ErrNoAnswer on a timeout), ErrBadStatus, or ErrNoStatus for a spool.
func QueryStatus(ctx context.Context, addr string) (Status, error) {
	p, err := Open(addr, Info{})
	if err != nil {
		return Status{}, err
	}
	defer closePrinter(p)
	sr, ok := p.(StatusReader)
	if !ok {
		return Status{}, fmt.Errorf("status of %s: %w", p, ErrNoStatus)
	}
	return sr.Status(ctx)
}

// ErrNoStatus is wrapped by QueryStatus for a printer that cannot be asked,
// and by Print's ErrNotConfirmed when a job went to a printer that is not
// asked (see SkipStatus) or cannot answer.
var ErrNoStatus = errors.New("this kind of printer has no status")

// SendFile prints the file at path, unchanged, on the printer at addr (see
// Open) through the same driver as the server's jobs, using the file's name
// as the job id: for a "printer send" command. Errors are Open's, the
// file's (*fs.PathError) or Print's (*JobError).
func SendFile(ctx context.Context, addr, path string) error {
	// Stat first: reading a named pipe or a device could block for ever.
	if info, err := os.Stat(path); err != nil {
		return fmt.Errorf("send file: %w", err)
	} else if !info.Mode().IsRegular() {
		return fmt.Errorf("send file: %s: not a regular file (%s)", path, info.Mode().Type())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("send file: %w", err)
	}
	p, err := Open(addr, Info{})
	if err != nil {
		return err
	}
	defer closePrinter(p)
	return p.Print(ctx, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), data)
}

func closePrinter(p Printer) {
	if c, ok := p.(io.Closer); ok {
		c.Close()
	}
}
