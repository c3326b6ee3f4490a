package printer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

func TestOpen(t *testing.T) {
	tests := []struct {
		addr, want string
	}{
		{"tcp:10.0.0.5:9100", "tcp 10.0.0.5:9100"},
		{"tcp:printer-3", "tcp printer-3:9100"},
		{"10.0.0.5:6101", "tcp 10.0.0.5:6101"},
		{"tcp:[::1]:9100", "tcp [::1]:9100"},
		{"usb:0a5f:0181", "usb 0a5f:0181"},
		{"usb:0x0A5F:181:XXZ123", "usb 0a5f:0181 serial XXZ123"},
		{"serial:/dev/ttyUSB0", "serial /dev/ttyUSB0 at 9600 baud"},
		{"serial:/dev/ttyS1:115200", "serial /dev/ttyS1 at 115200 baud"},
		{"spool:/var/spool/labels", "spool /var/spool/labels"},
	}
	for _, tt := range tests {
		p, err := Open(tt.addr, Info{})
		if err != nil {
			t.Errorf("Open(%q): %v", tt.addr, err)
			continue
		}
		if p.String() != tt.want || p.Info() != DefaultInfo {
			t.Errorf("Open(%q) = %s %+v, want %s", tt.addr, p, p.Info(), tt.want)
		}
		closePrinter(p)
	}
}

func TestOpenBad(t *testing.T) {
	tests := []struct {
		addr, want string
	}{
		{"", "want tcp:HOST:PORT"},
		{"lpt:LPT1:x", "want tcp:HOST:PORT"},
		{"tcp:host:0", `port "0"`},
		{"tcp:host:http", `port "http"`},
		{"tcp::9100", "host is empty"},
		{"usb:0a5f", "want usb:VID:PID"},
		{"usb:zebra:0181", `vendor id "zebra"`},
		{"usb:0a5f:10000", `product id "10000"`},
		{"usb:0a5f:0181:", "serial number is empty"},
		{"serial:/dev/ttyUSB0:fast", `baud "fast"`},
		{"serial:/dev/ttyUSB0:9601", "baud 9601"},
		{"serial::9600", "serial device is empty"},
		{"spool:", "spool directory is empty"},
	}
	for _, tt := range tests {
		_, err := Open(tt.addr, Info{})
		if !errors.Is(err, ErrBadAddress) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q) err = %v, want ErrBadAddress saying %s", tt.addr, err, tt.want)
		}
	}
}

func TestInfoValidate(t *testing.T) {
	for _, bad := range []Info{{DPI: 200, WidthMM: 104}, {DPI: 300, WidthMM: 5}, {DPI: 600, WidthMM: 300}} {
		if _, err := Open("tcp:h:9100", bad); err == nil || !strings.Contains(err.Error(), "printer info") {
			t.Errorf("Open with %+v: err = %v, want an info error", bad, err)
		}
	}
	p, err := Open("tcp:h:9100", Info{DPI: 600, WidthMM: 54})
	if err != nil || p.Info().WidthDots() != 1296 || p.Info().DotsPerMM() != 24 {
		t.Fatalf("600 dpi 54 mm: %v, %+v", err, p)
	}
}

func TestSendFileAndQueryStatus(t *testing.T) {
	e := printertest.NewEmulator(t)
	file := filepath.Join(t.TempDir(), "label.zpl")
	label := "^XA^FDfile^FS^XZ\r\n"
	if err := os.WriteFile(file, []byte(label), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SendFile(context.Background(), e.Addr(), file); err != nil {
		t.Fatal(err)
	}
	if jobs, err := e.WaitJobs(context.Background(), 1); err != nil || string(jobs[0]) != label {
		t.Fatalf("printed %q, %v", jobs, err)
	}
	e.SetState(printertest.Paused)
	st, err := QueryStatus(context.Background(), e.Addr())
	if err != nil || !st.Paused || st.Ready() {
		t.Fatalf("QueryStatus = %+v, %v; want paused", st, err)
	}
	if _, err := QueryStatus(context.Background(), "spool:"+t.TempDir()); !errors.Is(err, ErrNoStatus) {
		t.Fatalf("spool status err = %v, want ErrNoStatus", err)
	}
}
