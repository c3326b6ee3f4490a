package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

// wsPage is one page's websocket on the test server.
type wsPage struct {
	t    *testing.T
	ts   *testServer
	conn *websocket.Conn
}

func (ts *testServer) open(path string) *wsPage {
	ts.t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.url, "http")+path, nil)
	if err != nil {
		ts.t.Fatalf("dial %s: %v", path, err)
	}
	ts.t.Cleanup(func() { conn.Close() })
	return &wsPage{t: ts.t, ts: ts, conn: conn}
}

// wsMsg holds the fields of any server message the tests look at.
type wsMsg struct {
	Type    string `json:"type"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	CmdID   string `json:"cmd_id"`
	Status  string `json:"status"`
	Error   string `json:"error"`
	JobID   string `json:"job_id"`
	// A label message's parcel k of N and tracking number.
	Parcel, Parcels int
	Tracking        string `json:"tracking"`
	Job             *struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		Error    string `json:"error"`
		Attempts int    `json:"attempts"`
	} `json:"job"`
	Devices []struct {
		Kind, Name, State, Detail string
	} `json:"devices"`
	Task *struct {
		ID          int64  `json:"id"`
		OrderNumber string `json:"order_number"`
		Lines       []struct {
			Picked int `json:"picked"`
		} `json:"lines"`
	} `json:"task"`
}

// next returns the next message of type typ, or of any type for "".
func (p *wsPage) next(typ string) wsMsg {
	p.t.Helper()
	p.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var m wsMsg
		if err := p.conn.ReadJSON(&m); err != nil {
			p.t.Fatalf("waiting for %s: %v", typ, err)
		}
		if m.Type == typ || typ == "" {
			return m
		}
	}
}

// settled returns a label answer once its job has an outcome: the answer
// itself when it has one, else the job as stored, else the job's later
// "job" messages until one is not "queued" or "sending". (A change stored
// after the store is read is pushed after it too.)
func (p *wsPage) settled(label wsMsg) wsMsg {
	p.t.Helper()
	pending := func() bool { return label.Status == "queued" || label.Status == "sending" }
	if pending() {
		j, err := p.ts.st.JobSummary(p.t.Context(), label.JobID)
		if err != nil {
			p.t.Fatal(err)
		}
		label.Status, label.Error = j.Status, j.Error
	}
	for pending() {
		if m := p.next("job"); m.Job.ID == label.JobID {
			label.Status, label.Error = m.Job.Status, m.Job.Error
		}
	}
	return label
}

func (p *wsPage) send(v map[string]any) {
	p.t.Helper()
	if err := p.conn.WriteJSON(v); err != nil {
		p.t.Fatal(err)
	}
}

// TestTwoDevicesOnePicker: both handhelds logged in under one name see the
// progress made on either.
func TestTwoDevicesOnePicker(t *testing.T) {
	ts := startServer(t)
	ts.call("POST", "/api/v1/orders", validOrder)
	a := ts.open("/ws/pick?user=ann")
	b := ts.open("/ws/pick?user=ann")
	first := a.next("task").Task
	if second := b.next("task").Task; second.ID != first.ID {
		t.Fatalf("two devices got tasks %d and %d", first.ID, second.ID)
	}
	a.send(map[string]any{"type": "scan", "id": "a1", "code": "A-01-01"})
	a.send(map[string]any{"type": "scan", "id": "a2", "code": "MUG"})
	a.next("verdict")
	if v := a.next("verdict"); !v.OK || v.CmdID != "a2" {
		t.Fatalf("scan on device a: %+v", v)
	}
	for {
		m := b.next("task")
		if m.Task.Lines[0].Picked == 1 {
			break
		}
	}
}

// TestPickerLeaves: an untouched task goes back to the pool when its picker's
// last device disconnects, and is pushed to a picker who is waiting.
func TestPickerLeaves(t *testing.T) {
	ts := startServer(t)
	ts.call("POST", "/api/v1/orders", validOrder)
	ann := ts.open("/ws/pick?user=ann")
	task := ann.next("task").Task
	bob := ts.open("/ws/pick?user=bob")
	bob.next("idle")
	ann.conn.Close()
	if got := bob.next("task").Task; got.OrderNumber != task.OrderNumber {
		t.Errorf("bob got %+v, want order %s", got, task.OrderNumber)
	}
}

// TestAssignTask: a supervisor moves a started task to another picker; both
// pickers' pages are told.
func TestAssignTask(t *testing.T) {
	ts := startServer(t)
	ts.call("POST", "/api/v1/orders", validOrder)
	ann := ts.open("/ws/pick?user=ann")
	task := ann.next("task").Task
	ann.send(map[string]any{"type": "scan", "id": "a1", "code": "A-01-01"})
	ann.next("verdict")
	bob := ts.open("/ws/pick?user=bob")
	bob.next("idle")

	path := "/api/v1/pick-tasks/" + jsonNumber(task.ID) + "/assign"
	if code, body := ts.call("POST", path, `{"picker":"bob"}`); code != http.StatusOK {
		t.Fatalf("assign: %d %s", code, body)
	}
	if got := bob.next("task").Task; got.ID != task.ID {
		t.Errorf("bob got task %+v, want %d", got, task.ID)
	}
	ann.next("idle")
	if code, body := ts.call("POST", "/api/v1/pick-tasks/999/assign", `{"picker":"cy"}`); code != 404 {
		t.Errorf("assign unknown task: %d %s", code, body)
	}
	var open []struct {
		Picker string `json:"picker"`
	}
	code, body := ts.call("GET", "/api/v1/pick-tasks", "")
	if err := json.Unmarshal(body, &open); code != 200 || err != nil || len(open) != 1 || open[0].Picker != "bob" {
		t.Errorf("open tasks: %d %s", code, body)
	}
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestReprintAfterPrinterFailure: a label the printer took but did not
// confirm (it fell silent mid-job) is reported as not confirmed and is not
// sent again by itself; the station is free for the next order, a reloaded
// page still offers the reprint, the dashboard counts it as an exception,
// and a reprint once the printer is back sends the same label once more.
func TestReprintAfterPrinterFailure(t *testing.T) {
	ts := startServer(t, quickPrinters)
	emu := printertest.NewEmulator(t)
	emu.SetStateOnJob(printertest.Silent)
	if code, body := ts.call("PUT", "/api/v1/stations/S1/printer", `{"addr":"`+emu.Addr()+`"}`); code != 200 {
		t.Fatalf("set printer: %d %s", code, body)
	}
	ts.call("POST", "/api/v1/orders", validOrder)
	ts.pick()
	station := ts.open("/ws/pack?station=S1&user=bo")
	station.next("idle")
	for i, code := range []string{"SO-000001", "MUG", "MUG", "CUP"} {
		station.send(map[string]any{"type": "scan", "id": "p" + jsonNumber(int64(i)), "code": code})
	}
	label := station.next("label")
	if got := station.settled(label); got.Status != "unconfirmed" || !strings.Contains(got.Error, emu.Addr()) {
		t.Fatalf("label from a printer gone silent: %+v", got)
	}
	if idle := station.next("idle"); !strings.Contains(idle.Message, "next order") {
		t.Errorf("station after the label: %+v", idle)
	}
	reloaded := ts.open("/ws/pack?station=S1&user=bo")
	reloaded.next("idle")
	if l := reloaded.next("label"); l.Status != "unconfirmed" || l.JobID != label.JobID {
		t.Errorf("a reloaded station page shows %+v, want the unconfirmed label %s", l, label.JobID)
	}
	code, body := ts.call("GET", "/api/v1/dashboard", "")
	if code != 200 || !strings.Contains(string(body), `"exception":1`) {
		t.Errorf("dashboard with a label not confirmed: %d %s", code, body)
	}
	code, body = ts.call("GET", "/api/v1/audit?entity=order&id=SO-000001", "")
	if code != 200 || !strings.Contains(string(body), `"action":"label.print_unconfirmed"`) {
		t.Errorf("audit of the unconfirmed print: %d %s", code, body)
	}
	first, err := emu.WaitJobs(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}

	emu.SetState(printertest.Online)
	station.send(map[string]any{"type": "reprint", "id": "r1", "job_id": label.JobID})
	again := station.next("label")
	if again.CmdID != "r1" || again.JobID != label.JobID || station.settled(again).Status != "printed" {
		t.Fatalf("reprint: %+v", again)
	}
	jobs, err := emu.WaitJobs(t.Context(), 2)
	if err != nil || len(jobs) != 2 || !bytes.Equal(jobs[1], first[0]) || !strings.HasPrefix(string(jobs[1]), "^XA") {
		t.Errorf("printer got %d jobs, want the label twice (the silent one, the reprint): %q", len(jobs), jobs)
	}
	code, body = ts.call("GET", "/api/v1/orders/SO-000001", "")
	if code != 200 || !strings.Contains(string(body), `"status":"printed"`) {
		t.Errorf("order labels after the reprint: %d %s", code, body)
	}
	if code, body = ts.call("GET", "/api/v1/dashboard", ""); !strings.Contains(string(body), `"exception":0`) {
		t.Errorf("dashboard after the reprint: %d %s", code, body)
	}
	if code, body := ts.call("POST", "/api/v1/print-jobs/nope/reprint", ""); code != 404 {
		t.Errorf("reprint unknown job: %d %s", code, body)
	}
}

// TestAPIEdges covers the small things an integrator runs into.
func TestAPIEdges(t *testing.T) {
	ts := startServer(t)
	tests := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"HEAD", "/healthz", "", 200, ""},
		{"GET", "/api/v1/nothing", "", 404, `"error":"no API endpoint GET /api/v1/nothing"`},
		{"GET", "/api/v1/orders?status=lost", "", 400, `status: \"lost\" is not one of waiting, allocated`},
		{"POST", "/api/v1/orders", `{"lines":[{"qty":"2"}]}`, 400, "lines.qty: expected a whole number, got a JSON string"},
		{"POST", "/api/v1/orders", `{"channel":`, 400, "request body"},
		{"POST", "/api/v1/orders", "", 400, "request body: empty"},
		{"POST", "/api/v1/orders", `{"channel":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "larger than 1048576 bytes"},
		{"PUT", "/api/v1/stations/S1/printer", `{}`, 400, "no change: give addr, dpi, width_mm or status"},
		{"PUT", "/api/v1/stations/a%20b/printer", `{"addr":""}`, 400, `station id \"a b\": use 1 to 64 letters`},
		{"GET", "/ws/pack?station=a/b", "", 400, "station id"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			code, body := ts.call(tc.method, tc.path, tc.body)
			if code != tc.status || !strings.Contains(string(body), tc.want) {
				t.Errorf("%s %s = %d %.200s, want %d containing %s", tc.method, tc.path, code, body, tc.status, tc.want)
			}
		})
	}
}

// TestAuditTrail: the API shows who changed what, newest first, filtered by
// entity.
func TestAuditTrail(t *testing.T) {
	ts := startServer(t)
	req, _ := http.NewRequest("POST", ts.url+"/api/v1/orders", strings.NewReader(validOrder))
	req.Header.Set("X-Shipshape-User", "integrator-7")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %v %v", resp, err)
	}
	resp.Body.Close()
	var entries []struct {
		Actor, Action, Entity, Detail string
		EntityID                      string `json:"entity_id"`
	}
	code, body := ts.call("GET", "/api/v1/audit?entity=order&id=SO-000001", "")
	if err := json.Unmarshal(body, &entries); code != 200 || err != nil || len(entries) != 2 ||
		entries[1].Actor != "integrator-7" || entries[1].Action != "order.create" ||
		entries[0].Action != "order.allocate" || entries[0].Detail != "2 from A-01-01, 1 from A-01-02" {
		t.Errorf("audit of SO-000001: %d %s", code, body)
	}
	if code, body := ts.call("GET", "/api/v1/audit?limit=0", ""); code != 400 {
		t.Errorf("limit=0: %d %s", code, body)
	}
}

// TestScanLimits: an empty scan (nothing, or only a scanner's control
// framing) or an absurdly long one is refused before it is recorded.
func TestScanLimits(t *testing.T) {
	ts := startServer(t)
	ts.call("POST", "/api/v1/orders", validOrder)
	p := ts.open("/ws/pick?user=ann")
	p.next("task")
	p.send(map[string]any{"type": "scan", "id": "e1", "code": "  "})
	if e := p.next("error"); e.CmdID != "e1" || e.Message != "empty scan: scan again" {
		t.Errorf("empty scan: %+v", e)
	}
	p.send(map[string]any{"type": "scan", "id": "e3", "code": "\x02\x00\x00\r\n"})
	if e := p.next("error"); e.CmdID != "e3" || e.Message != "empty scan: scan again" {
		t.Errorf("scan of framing only: %+v", e)
	}
	p.send(map[string]any{"type": "scan", "id": "e2", "code": strings.Repeat("9", 5000)})
	if e := p.next("error"); e.CmdID != "e2" || !strings.Contains(e.Message, "scan too long (5000 bytes") {
		t.Errorf("long scan: %+v", e)
	}
	scans, err := ts.st.RecentScans(t.Context(), 10)
	if err != nil || len(scans) != 0 {
		t.Errorf("refused scans were recorded: %+v, %v", scans, err)
	}
}
