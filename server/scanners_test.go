package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyScanner plays a serial scanner: a pseudo-terminal whose slave side is
// reached through a link, as /dev/serial/by-id links reach real adapters.
type ptyScanner struct {
	t      *testing.T
	link   string
	master *os.File
}

func newPtyScanner(t *testing.T) *ptyScanner {
	p := &ptyScanner{t: t, link: filepath.Join(t.TempDir(), "scanner")}
	p.plug()
	return p
}

// plug opens a new pseudo-terminal pair and points the link at its slave.
func (p *ptyScanner) plug() {
	master, slave, err := pty.Open()
	if err != nil {
		p.t.Fatal(err)
	}
	path := slave.Name()
	slave.Close() // the node stays while the master is open
	p.t.Cleanup(func() { master.Close() })
	p.master = master
	tmp := p.link + ".new"
	if err := os.Symlink(path, tmp); err != nil {
		p.t.Fatal(err)
	}
	if err := os.Rename(tmp, p.link); err != nil {
		p.t.Fatal(err)
	}
}

// unplug removes the link and closes the master, as pulling the cable does.
func (p *ptyScanner) unplug() {
	if err := os.Remove(p.link); err != nil {
		p.t.Fatal(err)
	}
	p.master.Close()
}

func (p *ptyScanner) write(s string) {
	p.t.Helper()
	if _, err := p.master.Write([]byte(s)); err != nil {
		p.t.Fatal(err)
	}
}

type deviceJSON struct {
	Kind, Name, Station, State, Detail string
}

// waitDevice reads the page's messages until a devices message shows the
// device in state, and returns it.
func (p *wsPage) waitDevice(name, state string) deviceJSON {
	p.t.Helper()
	p.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var m struct {
			Type    string       `json:"type"`
			Devices []deviceJSON `json:"devices"`
		}
		if err := p.conn.ReadJSON(&m); err != nil {
			p.t.Fatalf("waiting for %s %s: %v", name, state, err)
		}
		for _, d := range m.Devices {
			if m.Type == "devices" && d.Name == name && d.State == state {
				return d
			}
		}
	}
}

// expectVerdict waits for the next verdict and checks it.
func (p *wsPage) expectVerdict(ok bool, message string) wsMsg {
	p.t.Helper()
	v := p.next("verdict")
	if v.OK != ok || !strings.Contains(v.Message, message) || !strings.HasPrefix(v.CmdID, "dev:S1-serial:") {
		p.t.Fatalf("verdict %+v, want ok=%v %q with a device command id", v, ok, message)
	}
	return v
}

// TestSerialScannerAtStation wires a scanner on a real pseudo-terminal to
// station S1 through the REST API and packs an order with it: the verdicts
// reach the station's page, a double trigger counts once, the last item
// releases the label, and an unplug and replug show on the dashboard.
func TestSerialScannerAtStation(t *testing.T) {
	ts := startServer(t)
	for _, o := range []string{validOrder, orderWith(`"W-1"`, `"W-2"`)} {
		if code, body := ts.call("POST", "/api/v1/orders", o); code != http.StatusCreated {
			t.Fatalf("create: %d %s", code, body)
		}
	}
	ts.pick()
	ts.pick()
	dash := ts.open("/ws/dashboard")
	page := ts.open("/ws/pack?station=S1")
	dev := newPtyScanner(t)

	body := `{"station": "S1", "kind": "serial", "port": "` + dev.link + `"}`
	if code, out := ts.call("PUT", "/api/v1/scanners/S1-serial", body); code != http.StatusCreated {
		t.Fatalf("PUT scanner: %d %s", code, out)
	}
	if d := dash.waitDevice("S1-serial", "online"); d.Station != "S1" || d.Kind != "scanner" {
		t.Errorf("dashboard device %+v", d)
	}

	dev.write("SO-000001\r")
	page.expectVerdict(true, "Order SO-000001: scan each item")
	dev.write("MUG\rMUG\r") // one trigger read twice
	page.expectVerdict(true, "Mug")
	dev.write("CUP\r")
	page.expectVerdict(true, "Cup")
	sess, err := ts.st.StationSession(t.Context(), "S1")
	if err != nil || sess.Lines[0].SKU != "MUG" || sess.Lines[0].Verified != 1 || sess.Lines[1].Verified != 1 {
		t.Fatalf("session after MUG, MUG, CUP: %+v, %v; want MUG verified once", sess, err)
	}
	dev.write("MUG\r") // a second mug, not a double trigger: CUP came between
	page.expectVerdict(true, "Mug")
	if l := page.next("label"); l.Status != "printed" {
		t.Errorf("label %+v, want printed", l)
	}
	scans, err := ts.st.RecentScans(t.Context(), 10)
	packed := 0
	for _, sc := range scans {
		if sc.Where == "pack" && sc.User == "scanner S1-serial" && sc.Station == "S1" {
			packed++
		}
	}
	if err != nil || packed != 4 || scans[4].Where != "pick" {
		t.Errorf("recorded scans %+v, %v: want 4 at packing, by scanner S1-serial", scans, err)
	}

	dev.unplug()
	if d := dash.waitDevice("S1-serial", "offline"); d.Detail == "" {
		t.Errorf("offline without a reason: %+v", d)
	}
	dev.plug()
	dash.waitDevice("S1-serial", "online")
	dev.write("SO-000002\r")
	page.expectVerdict(true, "Order SO-000002: scan each item")
}

// TestScannerConfigChanges: removing a scanner stops it and takes it off
// the dashboard; a bad config is refused with the field and value.
func TestScannerConfigChanges(t *testing.T) {
	ts := startServer(t)
	dash := ts.open("/ws/dashboard")
	dev := newPtyScanner(t)
	body := `{"station": "S2", "kind": "serial", "port": "` + dev.link + `", "baud": 115200}`
	if code, out := ts.call("PUT", "/api/v1/scanners/S1-serial", body); code != http.StatusCreated {
		t.Fatalf("PUT scanner: %d %s", code, out)
	}
	dash.waitDevice("S1-serial", "online")

	code, out := ts.call("GET", "/api/v1/scanners", "")
	var list struct {
		Stations []string `json:"stations"`
		Scanners []struct {
			Name, Station, Suffix string
			Baud, GapMS           int
			DedupeMS              int `json:"dedupe_ms"`
		} `json:"scanners"`
	}
	if err := json.Unmarshal(out, &list); code != 200 || err != nil || len(list.Scanners) != 1 ||
		list.Stations[0] != "S2" || list.Scanners[0].Baud != 115200 || list.Scanners[0].DedupeMS != 300 ||
		list.Scanners[0].Suffix != "CR" {
		t.Fatalf("GET scanners: %d %s", code, out)
	}

	code, out = ts.call("PUT", "/api/v1/scanners/S1-serial", `{"station": "S2", "kind": "serial",
		"port": "/dev/ttyUSB0", "baud": 1234}`)
	if code != 400 || errorText(t, out) != "scanner S1-serial: baud 1234: not a rate the port can be set to (e.g. 9600, 115200)" {
		t.Errorf("bad baud: %d %s", code, out)
	}

	if code, out := ts.call("DELETE", "/api/v1/scanners/S1-serial", ""); code != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", code, out)
	}
	dash.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var m struct {
			Type    string       `json:"type"`
			Devices []deviceJSON `json:"devices"`
		}
		if err := dash.conn.ReadJSON(&m); err != nil {
			t.Fatalf("waiting for the scanner to go: %v", err)
		}
		if m.Type == "devices" && len(m.Devices) == 0 {
			break
		}
	}
	if code, out := ts.call("DELETE", "/api/v1/scanners/S1-serial", ""); code != 404 ||
		errorText(t, out) != `no scanner "S1-serial"` {
		t.Errorf("second DELETE: %d %s", code, out)
	}
}
