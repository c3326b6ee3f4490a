package store_test

import (
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

func serialScanner(edit func(*store.Scanner)) store.Scanner {
	sc := store.NewScanner("S1-serial")
	sc.Station, sc.Kind, sc.Port = "S1", store.ScannerSerial, "/dev/ttyUSB0"
	if edit != nil {
		edit(&sc)
	}
	return sc
}

func TestPutScannerRefusesBadConfig(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		edit func(*store.Scanner)
		want string
	}{
		{"name with a space", func(s *store.Scanner) { s.Name = "S1 serial" },
			`scanner name "S1 serial": use 1 to 64 letters, digits, dots, dashes or underscores`},
		{"no station", func(s *store.Scanner) { s.Station = "" },
			`scanner S1-serial: station "": use 1 to 64 letters, digits, dots, dashes or underscores`},
		{"kind", func(s *store.Scanner) { s.Kind = "bluetooth" },
			`scanner S1-serial: kind "bluetooth": must be "serial" or "usb"`},
		{"no port", func(s *store.Scanner) { s.Port = "" },
			`scanner S1-serial: port "": must name a device, e.g. /dev/ttyUSB0`},
		{"baud", func(s *store.Scanner) { s.Baud = 9601 },
			`scanner S1-serial: baud 9601: not a rate the port can be set to (e.g. 9600, 115200)`},
		{"parity", func(s *store.Scanner) { s.Parity = "mark" },
			`scanner S1-serial: parity "mark": must be "none", "odd" or "even"`},
		{"suffix", func(s *store.Scanner) { s.Suffix = "tab" },
			`scanner S1-serial: suffix "TAB": must be "CR", "LF", "CRLF" or "none"`},
		{"gap", func(s *store.Scanner) { s.GapMS = 6000 },
			`scanner S1-serial: gap 6s: must be between 10ms and 5s`},
		{"dedupe", func(s *store.Scanner) { s.DedupeMS = -1 },
			`scanner S1-serial: dedupe_ms -1: must be 0 to 10000`},
		{"assume aim", func(s *store.Scanner) { s.AssumeAIM = "A0" },
			`scanner S1-serial: assume_aim "A0": must be an AIM id such as ]A0`},
		{"usb id", func(s *store.Scanner) { s.Kind, s.USB = store.ScannerUSB, "05e0" },
			`scanner S1-serial: usb "05e0": want VENDOR:PRODUCT in hex, e.g. 05e0:1200`},
		{"layout", func(s *store.Scanner) { s.Kind, s.USB, s.Layout = store.ScannerUSB, "05e0:1200", "fr" },
			`scanner S1-serial: keyboard layout "fr": unknown (want us, uk or de)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.st.PutScanner(f.ctx, "tester", serialScanner(tt.edit))
			if oms.ErrorCode(err) != oms.EInvalid || oms.ErrorMessage(err) != tt.want {
				t.Errorf("error %v, want invalid %q", err, tt.want)
			}
		})
	}
	if list, err := f.st.Scanners(f.ctx); err != nil || len(list) != 0 {
		t.Errorf("refused configs stored: %+v, %v", list, err)
	}
}

// TestScannerLifecycle: add, replace and remove, each audited; defaults
// are written out and the change counter moves.
func TestScannerLifecycle(t *testing.T) {
	f := newFixture(t)
	v0, err := f.st.ScannersVersion(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	sc, created, err := f.st.PutScanner(f.ctx, "ann", serialScanner(nil))
	if err != nil || !created {
		t.Fatalf("add: %v, created %v", err, created)
	}
	want := "serial /dev/ttyUSB0 9600 8N1 suffix CR gap 250ms, dedupe 300ms"
	if sc.Summary() != want || sc.CreatedAt == "" {
		t.Errorf("stored %q (%+v), want %q", sc.Summary(), sc, want)
	}
	if stations, err := f.st.Stations(f.ctx); err != nil || len(stations) != 1 || stations[0] != "S1" {
		t.Errorf("stations %v, %v: want S1 created", stations, err)
	}

	usb := serialScanner(func(s *store.Scanner) {
		s.Kind, s.USB, s.Layout, s.Code39Check, s.Enabled = store.ScannerUSB, "05E0:1200", "UK", true, false
	})
	sc, created, err = f.st.PutScanner(f.ctx, "bo", usb)
	if err != nil || created || sc.Port != "" || sc.Baud != 0 {
		t.Fatalf("replace: %+v, %v, created %v", sc, err, created)
	}
	got, err := f.st.ScannerByName(f.ctx, "S1-serial")
	want = "usb 05e0:1200, layout uk, code39-check, dedupe 300ms, disabled"
	if err != nil || got.Summary() != want || !got.DecodeConfig().Code39Check {
		t.Errorf("read back %q, %v; want %q", got.Summary(), err, want)
	}

	if err := f.st.RemoveScanner(f.ctx, "cy", "S1-serial"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RemoveScanner(f.ctx, "cy", "S1-serial"); oms.ErrorCode(err) != oms.ENotFound {
		t.Errorf("second remove: %v, want not found", err)
	}
	if _, err := f.st.ScannerByName(f.ctx, "S1-serial"); oms.ErrorMessage(err) != `no scanner "S1-serial"` {
		t.Errorf("after remove: %v", err)
	}
	if v, err := f.st.ScannersVersion(f.ctx); err != nil || v != v0+3 {
		t.Errorf("version %d, %v; want %d after three changes", v, err, v0+3)
	}

	trail, err := f.st.Audit(f.ctx, "scanner", "S1-serial", 10)
	if err != nil || len(trail) != 3 {
		t.Fatalf("audit %+v, %v", trail, err)
	}
	wantTrail := []struct{ actor, action, detail string }{
		{"cy", "scanner.remove", "station S1"},
		{"bo", "scanner.set", "station S1: usb 05e0:1200, layout uk, code39-check, dedupe 300ms, disabled"},
		{"ann", "scanner.add", "station S1: serial /dev/ttyUSB0 9600 8N1 suffix CR gap 250ms, dedupe 300ms"},
	}
	for i, w := range wantTrail {
		if e := trail[i]; e.Actor != w.actor || e.Action != w.action || e.Detail != w.detail {
			t.Errorf("audit[%d] = %+v, want %+v", i, e, w)
		}
	}
}

// TestPackScanWithRequireAIM: a scanner set up to send AIM ids has a bare
// code refused instead of read as typed.
func TestPackScanWithRequireAIM(t *testing.T) {
	f := newFixture(t)
	res, err := f.st.PackScanWith(f.ctx, "S1", "bo", "c1", "SO-000001", store.Scanner{RequireAIM: true}.DecodeConfig())
	if err != nil || res.Verdict.OK ||
		res.Verdict.Message != "Barcode not read: no symbology identifier: this scanner must send AIM ids" {
		t.Errorf("verdict %+v, %v", res, err)
	}
	res, err = f.st.PackScan(f.ctx, "S1", "bo", "c2", "SO-000001")
	if err != nil || res.Verdict.Message != `No order or tote "SO-000001": scan an order number or tote` {
		t.Errorf("wedge verdict %+v, %v", res, err)
	}
}

// TestScannerDeviceAndStationClash: a second scanner on a device another
// already reads is refused, as is a station named like one that exists but
// for letter case; the store is unchanged.
func TestScannerDeviceAndStationClash(t *testing.T) {
	f := newFixture(t)
	first := store.NewScanner("S1-a")
	first.Station, first.Kind, first.Port = "S1", store.ScannerSerial, "/dev/ttyUSB0"
	if _, _, err := f.st.PutScanner(f.ctx, "ada", first); err != nil {
		t.Fatal(err)
	}
	usb := store.NewScanner("S1-usb")
	usb.Station, usb.Kind, usb.USB = "S1", store.ScannerUSB, "05e0:1200"
	if _, _, err := f.st.PutScanner(f.ctx, "ada", usb); err != nil {
		t.Fatal(err)
	}
	before := dump(t, f.raw(), "scanners", "stations", "audit")

	samePort := store.NewScanner("S2-b")
	samePort.Station, samePort.Kind, samePort.Port = "S2", store.ScannerSerial, "/dev/ttyUSB0"
	_, _, err := f.st.PutScanner(f.ctx, "ada", samePort)
	wantErr(t, err, oms.EConflict, "scanner S2-b:", "is already scanner S1-a's device")

	sameUSB := store.NewScanner("S2-usb")
	sameUSB.Station, sameUSB.Kind, sameUSB.USB = "S2", store.ScannerUSB, "05E0:1200"
	_, _, err = f.st.PutScanner(f.ctx, "ada", sameUSB)
	wantErr(t, err, oms.EConflict, "is already scanner S1-usb's device")

	lower := store.NewScanner("s1-c")
	lower.Station, lower.Kind, lower.Port = "s1", store.ScannerSerial, "/dev/ttyUSB1"
	_, _, err = f.st.PutScanner(f.ctx, "ada", lower)
	wantErr(t, err, oms.EInvalid, `station "s1": there is a station S1`)

	if after := dump(t, f.raw(), "scanners", "stations", "audit"); after != before {
		t.Errorf("a refused scanner changed the store:\n%s\nwant:\n%s", after, before)
	}
	first.Baud = 19200 // the same scanner may change its own settings
	if _, _, err := f.st.PutScanner(f.ctx, "ada", first); err != nil {
		t.Errorf("changing S1-a: %v", err)
	}
}
