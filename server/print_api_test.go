package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/labels"
)

// courierDir holds 29 real courier labels; the six of binarykits start with
// a UTF-8 byte-order mark.
const courierDir = "../../shared/data/zpl"

var bom = []byte{0xEF, 0xBB, 0xBF}

// courierLabels reads every real courier label, by file name.
func courierLabels(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(courierDir, "*", "*.zpl"))
	if err != nil || len(files) != 29 {
		t.Fatalf("courier labels in %s: %d files, %v; want 29", courierDir, len(files), err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f)] = data
	}
	return out
}

// send makes a request with a raw body and headers and returns the status,
// the response headers and the body.
func (ts *testServer) send(method, path string, body []byte, header map[string]string) (int, http.Header, []byte) {
	ts.t.Helper()
	req, err := http.NewRequestWithContext(ts.t.Context(), method, ts.url+path, bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, data
}

type courierAnswer struct {
	JobID   string `json:"job_id"`
	Station string `json:"station"`
	Printer string `json:"printer"`
	Bytes   int    `json:"bytes"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

// TestPrintCourierLabels posts each real courier label to a station whose
// printer is a loopback emulator: the printer gets the file's bytes exactly
// (less a byte-order mark), the job keeps them, and the audit trail names
// who sent it.
func TestPrintCourierLabels(t *testing.T) {
	ts := startServer(t)
	emu := printertest.NewEmulator(t)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr": "`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	types := []string{"application/zpl", "text/plain; charset=utf-8", "application/octet-stream", ""}
	files := courierLabels(t)
	i := 0
	for name, data := range files {
		want := bytes.TrimPrefix(data, bom)
		header := map[string]string{"X-Shipshape-User": "Ann", "Content-Type": types[i%len(types)]}
		code, _, body := ts.send("POST", "/api/v1/stations/S1/print", data, header)
		var got courierAnswer
		if err := json.Unmarshal(body, &got); code != http.StatusCreated || err != nil {
			t.Fatalf("%s: POST = %d %s, want 201", name, code, body)
		}
		wantAnswer := courierAnswer{JobID: fmt.Sprintf("courier-%d", i+1), Station: "S1",
			Printer: "tcp " + emu.Addr(), Bytes: len(want), Status: "printed"}
		if got != wantAnswer {
			t.Errorf("%s: answer %+v, want %+v", name, got, wantAnswer)
		}

		jobs, err := emu.WaitJobs(t.Context(), i+1)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(jobs[i], want) {
			t.Errorf("%s: the printer got %d bytes, not the file's %d (BOM removed: %v)",
				name, len(jobs[i]), len(want), len(want) != len(data))
		}
		code, h, stored := ts.send("GET", "/api/v1/print-jobs/"+got.JobID+"/zpl", nil, nil)
		if code != http.StatusOK || !bytes.Equal(stored, want) || h.Get("Content-Type") != "application/zpl" {
			t.Errorf("%s: GET zpl = %d %s with %d bytes, want 200 application/zpl with the %d sent",
				name, code, h.Get("Content-Type"), len(stored), len(want))
		}
		i++
	}

	audit, err := ts.st.Audit(t.Context(), "print_job", "", 100)
	if err != nil || len(audit) != len(files) {
		t.Fatalf("audit of print jobs: %d entries, %v; want %d", len(audit), err, len(files))
	}
	for _, a := range audit {
		if a.Actor != "Ann" || a.Action != "label.passthrough" || !strings.HasPrefix(a.Detail, "station S1, ") {
			t.Errorf("audit entry %+v, want a passthrough by Ann at S1", a)
		}
	}
	jobs, err := ts.st.PrintJobs(t.Context(), "S1", 100)
	if err != nil || len(jobs) != len(files) {
		t.Fatalf("print jobs: %d, %v; want %d", len(jobs), err, len(files))
	}
	for _, j := range jobs {
		if j.Kind != "courier" || j.Status != "printed" || j.OrderNumber != "" {
			t.Errorf("stored job %+v, want a printed courier label", j)
		}
	}
}

// TestPrintCourierLabelRefused: a label that is not ZPL, too big, or not
// sent as raw bytes is refused with the reason, and nothing is stored or
// printed.
func TestPrintCourierLabelRefused(t *testing.T) {
	ts := startServer(t)
	emu := printertest.NewEmulator(t)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr": "`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	label := []byte("^XA^FO50,50^A0N,40^FDParcel^FS^XZ")
	tooBig := append(bytes.Clone(label), bytes.Repeat([]byte(" "), labels.MaxPassthrough)...)
	tests := []struct {
		name, station, ctype string
		body                 []byte
		status               int
		want                 string
	}{
		{"empty", "S1", "application/zpl", nil, 400, "courier label: ZPL: is empty"},
		{"byte-order mark alone", "S1", "application/zpl", bom, 400, "courier label: ZPL: is empty"},
		{"a PDF", "S1", "application/octet-stream", []byte("%PDF-1.7\n"), 400,
			`courier label: ZPL: does not start with a ZPL command (^ or ~) but with "%PDF-1.7\n"`},
		{"no format", "S1", "text/plain", []byte("~DGR:LOGO.GRF,1,1,FF"), 400,
			"courier label: ZPL: has no label format: ^XA is missing"},
		{"over 8 MiB", "S1", "application/zpl", tooBig, 413,
			"courier label: larger than the limit of 8388608 bytes (8 MiB)"},
		{"as JSON", "S1", "application/json", []byte(`{"zpl": "^XA^XZ"}`), 415,
			`Content-Type "application/json": send the label's bytes as application/zpl, text/plain or ` +
				`application/octet-stream`},
		{"as a form", "S1", "application/x-www-form-urlencoded", label, 415,
			`Content-Type "application/x-www-form-urlencoded": send the label's bytes as application/zpl, ` +
				`text/plain or application/octet-stream`},
		{"bad station", "S 1", "application/zpl", label, 400, `station id "S 1": use 1 to 64 letters, digits, dots, dashes or underscores`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/api/v1/stations/" + strings.ReplaceAll(tt.station, " ", "%20") + "/print"
			code, _, body := ts.send("POST", path, tt.body, map[string]string{"Content-Type": tt.ctype})
			if code != tt.status || errorText(t, body) != tt.want {
				t.Errorf("POST = %d %s, want %d %q", code, body, tt.status, tt.want)
			}
		})
	}
	if jobs, err := ts.st.PrintJobs(t.Context(), "", 100); err != nil || len(jobs) != 0 {
		t.Errorf("refused labels stored %d print jobs, %v", len(jobs), err)
	}
	if jobs := emu.Jobs(); len(jobs) != 0 {
		t.Errorf("refused labels reached the printer: %d jobs", len(jobs))
	}
}

// TestPrintCourierLabelPrinterOff: the printer is gone, so the job is stored
// and answered as waiting in the queue (nothing was sent), never as failed;
// when the station is pointed at a working printer, a reprint moves the job
// there and it prints once.
func TestPrintCourierLabelPrinterOff(t *testing.T) {
	ts := startServer(t, quickPrinters)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	if code, body := ts.call("PUT", "/api/v1/stations/S9/printer", `{"addr": "`+addr+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	code, _, body := ts.send("POST", "/api/v1/stations/S9/print", []byte("^XA^XZ"),
		map[string]string{"Content-Type": "application/zpl"})
	var got courierAnswer
	if err := json.Unmarshal(body, &got); code != http.StatusCreated || err != nil {
		t.Fatalf("POST = %d %s, want 201", code, body)
	}
	if got.Status != "queued" || got.Error != "printer unreachable" || got.JobID != "courier-1" {
		t.Errorf("answer %+v, want courier-1 queued: printer unreachable", got)
	}
	job, err := ts.st.PrintJob(t.Context(), "courier-1")
	if err != nil || job.Status != "queued" || job.Attempts < 1 || string(job.Data) != "^XA^XZ" {
		t.Errorf("stored job %+v, %v; want it queued after a try, with its data", job, err)
	}

	// The station gets a working printer: the waiting label goes there by
	// itself, once; a reprint (an explicit, audited act) prints it once more.
	emu := printertest.NewEmulator(t)
	if code, body := ts.call("PUT", "/api/v1/stations/S9/printer", `{"addr": "`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	jobs, err := emu.WaitJobs(t.Context(), 1)
	if err != nil || len(jobs) != 1 || string(jobs[0]) != "^XA^XZ" {
		t.Errorf("printer got %q, %v; want the courier label once", jobs, err)
	}
	ts.waitJob("courier-1", "printed")
	code, body = ts.call("POST", "/api/v1/print-jobs/courier-1/reprint?station=S9", "")
	var again struct{ JobID, Status string }
	if err := json.Unmarshal(body, &again); code != http.StatusOK || err != nil || again.Status != "printed" {
		t.Fatalf("reprint = %d %s, want 200 printed", code, body)
	}
	if jobs, err := emu.WaitJobs(t.Context(), 2); err != nil || len(jobs) != 2 {
		t.Errorf("printer got %d jobs, %v; want the label and its reprint", len(jobs), err)
	}
	if job, err := ts.st.PrintJob(t.Context(), "courier-1"); err != nil || job.Status != "printed" {
		t.Errorf("stored job after the reprint %+v, %v; want printed", job, err)
	}
}

// TestJobZPL serves our own shipping label's ZPL exactly as stored and sent,
// lists it, and names what is wrong with a bad request.
func TestJobZPL(t *testing.T) {
	ts := startServer(t)
	if code, body := ts.call("POST", "/api/v1/orders", validOrder); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	ts.pick()
	ts.pack("S1", "SO-000001", "MUG", "MUG", "CUP")
	code, body := ts.call("POST", "/api/v1/orders/SO-000001/label?station=S1", "")
	var label struct {
		JobID    string `json:"job_id"`
		Tracking string `json:"tracking"`
	}
	if err := json.Unmarshal(body, &label); code != http.StatusCreated || err != nil {
		t.Fatalf("release: %d %s", code, body)
	}
	spooled, err := os.ReadFile(filepath.Join(ts.spool, label.JobID+".zpl"))
	if err != nil {
		t.Fatal(err)
	}

	code, h, zpl := ts.send("GET", "/api/v1/print-jobs/"+label.JobID+"/zpl", nil, nil)
	if code != http.StatusOK || !bytes.Equal(zpl, spooled) || !bytes.Contains(zpl, []byte(label.Tracking)) {
		t.Errorf("GET zpl = %d %q, want 200 and the %d bytes the printer got", code, zpl, len(spooled))
	}
	for name, want := range map[string]string{"Content-Type": "application/zpl",
		"Content-Disposition": `inline; filename=` + label.JobID + `.zpl`, "X-Content-Type-Options": "nosniff"} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	code, body = ts.call("GET", "/api/v1/print-jobs?station=S1&limit=5", "")
	var jobs []struct {
		ID, Kind, Station, Status, Tracking string
		OrderNumber                         string `json:"order_number"`
		Bytes                               int
	}
	if err := json.Unmarshal(body, &jobs); code != http.StatusOK || err != nil || len(jobs) != 1 {
		t.Fatalf("GET print-jobs = %d %s", code, body)
	}
	if j := jobs[0]; j.ID != label.JobID || j.Kind != "shipping" || j.OrderNumber != "SO-000001" ||
		j.Tracking != label.Tracking || j.Status != "printed" || j.Bytes != len(spooled) {
		t.Errorf("listed job %+v", j)
	}

	refusals := []struct {
		name, path string
		status     int
		want       string
	}{
		{"unknown job", "/api/v1/print-jobs/courier-404/zpl", 404, `no print job "courier-404"`},
		{"bad limit", "/api/v1/print-jobs?limit=0", 400, `limit: "0" is not a number from 1 to 1000`},
		{"bad station", "/api/v1/print-jobs?station=S/1", 400, `station id "S/1": use 1 to 64 letters, digits, dots, dashes or underscores`},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			code, body := ts.call("GET", tt.path, "")
			if code != tt.status || errorText(t, body) != tt.want {
				t.Errorf("GET %s = %d %s, want %d %q", tt.path, code, body, tt.status, tt.want)
			}
		})
	}
}
