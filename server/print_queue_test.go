package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/store"
)

// quickPrinters makes printer waits short: a retry after 20 ms, a status
// poll every 50 ms, and a printer that does not answer ~HS after a job
// given up on after 300 ms. Nothing asserts on these times; they only keep
// the tests quick.
func quickPrinters(c *server.Config) {
	c.PrintRetry = func(int) time.Duration { return 20 * time.Millisecond }
	c.PrinterPoll = 50 * time.Millisecond
	c.PrinterTimeouts = printer.Timeouts{StatusTimeout: 300 * time.Millisecond,
		ConfirmTimeout: 300 * time.Millisecond}
}

// waitJob waits, with the test's deadline, until the stored job has the
// status, and returns it.
func (ts *testServer) waitJob(id, status string) *store.JobSummary {
	ts.t.Helper()
	ctx, cancel := context.WithTimeout(ts.t.Context(), 15*time.Second)
	defer cancel()
	for {
		j, err := ts.st.JobSummary(ctx, id)
		if err == nil && j.Status == status {
			return j
		}
		select {
		case <-ctx.Done():
			ts.t.Fatalf("job %s: %+v, %v; want it %s", id, j, err, status)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitTried waits until a queued job has been tried and put back.
func (ts *testServer) waitTried(id string) {
	ts.t.Helper()
	for ts.waitJob(id, "queued").Attempts == 0 {
		time.Sleep(10 * time.Millisecond)
	}
}

// release releases an order's label at S1 over the API and returns the
// job's status in the answer.
func (ts *testServer) release(order string) string {
	ts.t.Helper()
	code, body := ts.call("POST", "/api/v1/orders/"+order+"/label?station=S1", "")
	var got struct{ Status string }
	if err := json.Unmarshal(body, &got); code != http.StatusCreated || err != nil {
		ts.t.Fatalf("release %s: %d %s", order, code, body)
	}
	return got.Status
}

// courier posts a courier label to station S1 and returns the answer.
func (ts *testServer) courier(zpl string) courierAnswer {
	ts.t.Helper()
	code, _, body := ts.send("POST", "/api/v1/stations/S1/print", []byte(zpl),
		map[string]string{"Content-Type": "application/zpl", "X-Shipshape-User": "ada"})
	var got courierAnswer
	if err := json.Unmarshal(body, &got); code != http.StatusCreated || err != nil {
		ts.t.Fatalf("POST courier label = %d %s", code, body)
	}
	return got
}

// nextDevice reads a page's messages until its printer is in state.
func (p *wsPage) nextDevice(state string) {
	p.t.Helper()
	for !hasPrinter(p.next("devices"), state) {
	}
}

// hasPrinter reports whether a devices message has a printer in state.
func hasPrinter(m wsMsg, state string) bool {
	for _, d := range m.Devices {
		if d.Kind == "printer" && d.State == state {
			return true
		}
	}
	return false
}

// TestPrintQueueEndToEnd drives the print queue through a real server on
// loopback with an emulated printer as station S1's: labels released while
// the printer is out of paper wait (queued, "paper out", shown on the
// station page and the dashboard) and print once, in order, when it is back;
// a label the printer does not confirm is never sent again by itself and a
// reprint (audited) prints it once more; a job queued when the server stops
// prints once after a restart, and one left "sending" becomes unconfirmed.
func TestPrintQueueEndToEnd(t *testing.T) {
	emu := printertest.NewEmulator(t)
	ts := startServer(t, quickPrinters, func(c *server.Config) { c.PrintWait = -1 })
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"tcp:`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	station := ts.open("/ws/pack?station=S1&user=bo")
	station.next("idle")
	dash := ts.open("/ws/dashboard")
	ts.call("POST", "/api/v1/orders", validOrder)
	ts.call("POST", "/api/v1/orders", orderWith("W-1", "W-2"))

	// The first label prints at once.
	ts.pick()
	ts.pack("S1", "SO-000001", "MUG", "MUG", "CUP")
	ts.release("SO-000001")
	first := ts.waitJob("label-SO-000001-1", "printed")
	if _, err := emu.WaitJobs(t.Context(), 1); err != nil {
		t.Fatal(err)
	}

	// Paper runs out: the next labels wait, nothing reaches the printer.
	emu.SetState(printertest.PaperOut)
	ts.pick()
	ts.pack("S1", "SO-000002", "MUG", "MUG", "CUP")
	if got := ts.release("SO-000002"); got != "queued" {
		t.Errorf("label released with the paper out: %s, want queued", got)
	}
	var couriers []string
	for _, zpl := range []string{"^XA^FDc1^FS^XZ", "^XA^FDc2^FS^XZ", "^XA^FDc3^FS^XZ"} {
		if got := ts.courier(zpl); got.Status != "queued" {
			t.Errorf("courier label with the paper out: %+v, want queued", got)
		} else {
			couriers = append(couriers, got.JobID)
		}
	}
	var waiting, paperOut bool // the station page shows both, in either order
	for !waiting || !paperOut {
		m := station.next("")
		switch {
		case m.Type == "job" && m.Job.ID == "label-SO-000002-2" && m.Job.Error == "paper out":
			if m.Job.Status != "queued" || m.Job.Attempts < 1 {
				t.Errorf("label waiting for paper: %+v", m.Job)
			}
			waiting = true
		case m.Type == "devices":
			paperOut = paperOut || hasPrinter(m, "paper out")
		}
	}
	dash.nextDevice("paper out")
	code, body := ts.call("GET", "/api/v1/dashboard", "")
	if code != 200 || !strings.Contains(string(body), `"labels_waiting":1`) ||
		!strings.Contains(string(body), `"exception":0`) {
		t.Errorf("dashboard with a label waiting for paper: %d %s", code, body)
	}
	var info struct {
		Device struct{ State string }
		Queue  []struct{ ID, Status, Error string }
	}
	code, body = ts.call("GET", "/api/v1/stations/S1/printer", "")
	if err := json.Unmarshal(body, &info); code != 200 || err != nil || info.Device.State != "paper out" ||
		len(info.Queue) != 4 || info.Queue[0].ID != "label-SO-000002-2" || info.Queue[0].Error != "paper out" {
		t.Errorf("station printer with the paper out: %d %s", code, body)
	}
	if held := emu.Held(); len(held) != 0 || len(emu.Jobs()) != 1 {
		t.Errorf("the printer got %d held and %d printed jobs with its paper out, want 0 and 1",
			len(held), len(emu.Jobs()))
	}

	// Paper back: every waiting label prints once, in the order it came.
	emu.SetState(printertest.Online)
	for _, id := range append([]string{"label-SO-000002-2"}, couriers...) {
		ts.waitJob(id, "printed")
	}
	station.nextDevice("online")
	emu.WaitJobs(t.Context(), 5) // a job is the printer's once the driver hangs up
	formats := emu.Formats()
	if len(formats) != 5 || !bytes.Contains(formats[0], []byte(first.Tracking)) ||
		!bytes.Contains(formats[1], []byte("SO-000002")) || string(formats[2]) != "^XA^FDc1^FS^XZ" ||
		string(formats[3]) != "^XA^FDc2^FS^XZ" || string(formats[4]) != "^XA^FDc3^FS^XZ" {
		t.Errorf("printed formats %q, want each label once in order", formats)
	}

	// The printer falls silent after taking a label: not confirmed, not
	// retried (the next label prints, the silent one is not sent again).
	emu.SetStateOnJob(printertest.Silent)
	silent := ts.courier("^XA^FDc4^FS^XZ").JobID
	ts.waitJob(silent, "unconfirmed")
	emu.SetState(printertest.Online)
	next := ts.courier("^XA^FDc5^FS^XZ").JobID
	ts.waitJob(next, "printed")
	emu.WaitJobs(t.Context(), 7)
	if f := emu.Formats(); len(f) != 7 || string(f[5]) != "^XA^FDc4^FS^XZ" || string(f[6]) != "^XA^FDc5^FS^XZ" {
		t.Errorf("after the silent label, printed %q; want c4 and c5 once each", f[5:])
	}
	if j := ts.waitJob(silent, "unconfirmed"); j.Attempts != 0 {
		t.Errorf("unconfirmed job %+v was tried again", j)
	}
	code, body = ts.call("POST", "/api/v1/print-jobs/"+silent+"/reprint?station=S1", "")
	if code != 200 || !strings.Contains(string(body), `"job_id":"`+silent+`"`) {
		t.Errorf("reprint: %d %s", code, body)
	}
	ts.waitJob(silent, "printed")
	if f, err := emu.WaitJobs(t.Context(), 8); err != nil || string(f[7]) != "^XA^FDc4^FS^XZ" {
		t.Errorf("after the reprint the printer has %q, %v; want c4 last", f, err)
	}
	code, body = ts.call("GET", "/api/v1/audit?entity=print_job&id="+silent, "")
	if code != 200 || !strings.Contains(string(body), `"action":"label.reprint"`) {
		t.Errorf("audit of the reprint: %d %s", code, body)
	}

	// Restart: one job queued with the paper out, one left "sending" as if
	// the server had died mid-send.
	emu.SetState(printertest.PaperOut)
	queued := ts.courier("^XA^FDc6^FS^XZ").JobID
	ts.waitTried(queued)
	if err := ts.srv.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), ts.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	cut, _, err := st.QueueCourierLabel(t.Context(), store.CourierLabel{Station: "S1", Actor: "ada",
		Printer: "tcp " + emu.Addr(), Addr: "tcp:" + emu.Addr(), Data: []byte("^XA^FDc7^FS^XZ")})
	if err == nil {
		err = st.StartSending(t.Context(), cut.ID)
	}
	if err := errors.Join(err, st.Close()); err != nil {
		t.Fatal(err)
	}
	emu.SetState(printertest.Online)
	ts2 := restart(t, ts)
	ts2.waitJob(queued, "printed")
	if j := ts2.waitJob(cut.ID, "unconfirmed"); j.Error != store.InterruptedSending {
		t.Errorf("job cut off by the stop: %+v", j)
	}
	emu.WaitJobs(t.Context(), 9)
	f := emu.Formats()
	if len(f) != 9 || string(f[8]) != "^XA^FDc6^FS^XZ" {
		t.Errorf("after the restart the printer has %q; want c6 once and not c7", f[8:])
	}
}

// restart starts a new server on ts's database, as ts was configured.
func restart(t *testing.T, ts *testServer) *testServer {
	cfg := server.Config{Addr: "127.0.0.1:0", DBPath: ts.dbPath, SpoolDir: ts.spool, PollInterval: time.Hour}
	quickPrinters(&cfg)
	srv, err := server.New(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &testServer{t: t, srv: srv, st: srv.Store(), url: srv.URL(), dbPath: ts.dbPath, spool: ts.spool,
		client: ts.client}
}

// TestPrinterWithoutStatus: a station printer set to status "none" is never
// asked ~HS, so one that stays silent still gets its jobs, and they end
// "sent" (written whole, not confirmed), never "printed".
func TestPrinterWithoutStatus(t *testing.T) {
	emu := printertest.NewEmulator(t)
	emu.SetState(printertest.Silent)
	ts := startServer(t, quickPrinters)
	body := `{"addr":"` + emu.Addr() + `","status":"none","dpi":300}`
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", body); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	id := ts.courier("^XA^FDquiet^FS^XZ").JobID
	ts.waitJob(id, "sent")
	jobs, err := emu.WaitJobs(t.Context(), 1)
	if err != nil || string(jobs[0]) != "^XA^FDquiet^FS^XZ" {
		t.Errorf("printer got %q, %v", jobs, err)
	}
	if raw := emu.Received(); len(raw) != 1 || bytes.Contains(raw[0], []byte("~HS")) {
		t.Errorf("printer received %q, want the job without ~HS", raw)
	}
}
