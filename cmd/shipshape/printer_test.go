package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

// runCLI runs one command in process and returns its output and error.
func runCLI(args ...string) (string, error) {
	var out, errb bytes.Buffer
	err := Run(context.Background(), args, &out, &errb)
	return out.String(), err
}

func TestPrinterStatusCommand(t *testing.T) {
	emu := printertest.NewEmulator(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	off := ln.Addr().String()
	ln.Close() // nothing listens there: the printer is off
	tests := []struct {
		name, addr string
		state      printertest.State
		want       string // the JSON printed, less raw; "" for an error
		wantErr    string
	}{
		{"ready", "tcp:" + emu.Addr(), printertest.Online, `"ready":true,"problems":[],"paper_out":false,` +
			`"head_open":false,"paused":false,"ribbon_out":false,"buffer_full":false,"partial_format":false,` +
			`"formats_in_buffer":0,"labels_remaining":0,"label_length_dots":1218`, ""},
		{"paper out", emu.Addr(), printertest.PaperOut, `"ready":false,"problems":["paper out"],"paper_out":true`, ""},
		{"head open", emu.Addr(), printertest.HeadOpen, `"problems":["head open"],"paper_out":false,"head_open":true`, ""},
		{"off", off, printertest.Online, "", "printer unreachable"},
		{"bad address", "lpt1", printertest.Online, "", `bad printer address "lpt1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu.SetState(tt.state)
			out, err := runCLI("printer", "status", tt.addr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || out != "" {
					t.Fatalf("status %s = %q, %v; want an error with %q", tt.addr, out, err, tt.wantErr)
				}
				return
			}
			var got map[string]any
			if err != nil || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &got) != nil {
				t.Fatalf("status = %q, %v; want one JSON object", out, err)
			}
			if !strings.Contains(out, tt.want) || got["raw"] != printertest.HostStatus(tt.state, 0) ||
				got["addr"] != tt.addr {
				t.Errorf("status = %s, want it to contain %s", out, tt.want)
			}
		})
	}
}

func TestPrinterSendCommand(t *testing.T) {
	emu := printertest.NewEmulator(t)
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	label := write("ups-1.zpl", "\uFEFF^XA^FDhello^FS^XZ")
	out, err := runCLI("printer", "send", emu.Addr(), label)
	want := `{"bytes":17,"job":"ups-1","printer":"tcp ` + emu.Addr() + `","status":"printed"}` + "\n"
	if err != nil || out != want {
		t.Fatalf("send = %q, %v; want %q", out, err, want)
	}
	if jobs, err := emu.WaitJobs(t.Context(), 1); err != nil || string(jobs[0]) != "^XA^FDhello^FS^XZ" {
		t.Errorf("printer got %q, %v; want the label without its byte-order mark", jobs, err)
	}

	emu.SetState(printertest.PaperOut)
	out, err = runCLI("printer", "send", emu.Addr(), label)
	if err == nil || !strings.Contains(out, `"status":"not sent"`) || !strings.Contains(out, "paper out") {
		t.Errorf("send with the paper out = %q, %v; want not sent, paper out", out, err)
	}
	out, err = runCLI("printer", "send", emu.Addr(), write("page.html", "<html>oops</html>"))
	if err == nil || out != "" || !strings.Contains(err.Error(), "page.html") {
		t.Errorf("send of HTML = %q, %v; want it refused naming the file", out, err)
	}
	if got, err := emu.WaitReceived(t.Context(), 2); err != nil || len(got) != 2 || len(emu.Jobs()) != 1 {
		t.Errorf("printer saw %d connections and printed %d jobs, %v; want 2 and 1 (nothing for the HTML)",
			len(got), len(emu.Jobs()), err)
	}

	// A named pipe would block reading for ever: refused before it is opened.
	fifo := filepath.Join(dir, "pipe.zpl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI("printer", "send", emu.Addr(), fifo)
	if err == nil || out != "" || !strings.Contains(err.Error(), "pipe.zpl: not a regular file") {
		t.Errorf("send of a named pipe = %q, %v; want it refused", out, err)
	}
}

func TestStationPrinterCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	out, err := runCLI("station", "printer", "S1", "--db", db, "--addr", "tcp:127.0.0.1:9100", "--dpi", "300",
		"--width", "104", "--status", "none", "--user", "ops")
	want := `{"station":"S1","addr":"tcp:127.0.0.1:9100","dpi":300,"width_mm":104,"status":"none"}` + "\n"
	if err != nil || out != want {
		t.Fatalf("station printer = %q, %v; want %q", out, err, want)
	}
	out, err = runCLI("station", "printer", "S1", "--db", db, "--status", "hs")
	if err != nil || !strings.Contains(out, `"dpi":300,"width_mm":104,"status":"hs"`) {
		t.Errorf("changing only the status = %q, %v", out, err)
	}
	for _, tc := range []struct{ flag, value, want string }{
		{"--dpi", "200", "dpi: 200: want 203, 300 or 600"},
		{"--width", "500", "width_mm: 500: want 10 to 220"},
		{"--status", "snmp", `status: "snmp"`},
		{"--addr", "printer-1", `bad printer address "printer-1"`},
	} {
		if _, err := runCLI("station", "printer", "S1", "--db", db, tc.flag, tc.value); err == nil ||
			!strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: %v, want an error with %q", tc.flag, tc.value, err, tc.want)
		}
	}
}
