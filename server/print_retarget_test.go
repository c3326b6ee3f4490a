package server_test

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/server"
)

// deadAddr returns a loopback address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestQueuedLabelFollowsNewPrinter: a label waiting for a station's printer
// that cannot be reached goes to the printer the station is given instead,
// by itself, and prints once.
func TestQueuedLabelFollowsNewPrinter(t *testing.T) {
	ts := startServer(t, quickPrinters, func(c *server.Config) { c.PrintWait = -1 })
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"tcp:`+deadAddr(t)+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	job := ts.courier("^XA^FDwaiting^FS^XZ").JobID
	ts.waitTried(job)

	emu := printertest.NewEmulator(t)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"tcp:`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	ts.waitJob(job, "printed")
	jobs, err := emu.WaitJobs(t.Context(), 1)
	if err != nil || len(jobs) != 1 || string(jobs[0]) != "^XA^FDwaiting^FS^XZ" {
		t.Errorf("new printer received %q, %v; want the waiting label once", jobs, err)
	}
}

// TestSilentPrinterKeepsJobQueued: a printer that takes connections but
// never answers ~HS is "not answering", and its job stays queued (nothing
// was sent), so after a crash it would still print by itself rather than
// count as possibly printed.
func TestSilentPrinterKeepsJobQueued(t *testing.T) {
	emu := printertest.NewEmulator(t)
	emu.SetState(printertest.Silent)
	ts := startServer(t, quickPrinters, func(c *server.Config) { c.PrintWait = -1 })
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"tcp:`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	job := ts.courier("^XA^FDquiet^FS^XZ").JobID
	// Watch the job through three tries: "sending" would mean bytes went.
	for seen := 0; seen < 3; {
		j, err := ts.st.JobSummary(t.Context(), job)
		if err != nil || j.Status == "sending" {
			t.Fatalf("job %+v, %v while the printer never answered", j, err)
		}
		seen = j.Attempts
		time.Sleep(5 * time.Millisecond)
	}

	j := ts.waitJob(job, "queued")
	if j.Error == "" {
		t.Errorf("queued job %+v has no reason", j)
	}
	if n := len(emu.Jobs()); n != 0 {
		t.Errorf("silent printer received %d jobs, want none", n)
	}
	emu.SetState(printertest.Online)
	ts.waitJob(job, "printed")
}

// TestStationSpoolFolderInsideServers: a station's own spool folder is a
// name inside the server's spool folder, and its labels land there.
func TestStationSpoolFolderInsideServers(t *testing.T) {
	ts := startServer(t, quickPrinters)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"spool:s1"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	job := ts.courier("^XA^FDspooled^FS^XZ").JobID
	ts.waitJob(job, "printed")
	data, err := os.ReadFile(filepath.Join(ts.spool, "s1", job+".zpl"))
	if err != nil || string(data) != "^XA^FDspooled^FS^XZ" {
		t.Errorf("spooled label %q, %v", data, err)
	}
}
