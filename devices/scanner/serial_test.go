package scanner

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// serialWait is how long a test waits for an event that must come. It is a
// deadline for a hang, not a measure of speed.
const serialWait = 10 * time.Second

// serialRig is a scanner on a pseudo-terminal pair: the driver opens a link
// in a temporary directory that leads to the slave side, and the test plays
// the scanner by writing to the master side.
type serialRig struct {
	t      *testing.T
	link   string
	master *os.File
	events chan Event
}

// newSerialRig starts a driver for cfg (its Port is set to the rig's link)
// with the scanner plugged in, and waits for it to report Online.
func newSerialRig(t *testing.T, cfg SerialConfig) *serialRig {
	r := &serialRig{t: t, link: filepath.Join(t.TempDir(), "scanner"), events: make(chan Event, 100)}
	r.plug()
	r.start(cfg)
	r.expect(Online)
	return r
}

// start runs the driver until the test ends, then checks that Run returned
// nil and left no reading goroutine behind.
func (r *serialRig) start(cfg SerialConfig) {
	cfg.Port = r.link
	s, err := NewSerial("S1-serial", cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, func(e Event) { r.events <- e }) }()

	r.t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				r.t.Errorf("Run returned %v, want nil", err)
			}
		case <-time.After(serialWait):
			r.t.Fatal("Run did not return after its context was cancelled")
		}
		assertNoSerialReader(r.t)
	})
}

// plug opens a new pseudo-terminal pair and points the link at its slave,
// replacing the link in one rename as udev does.
func (r *serialRig) plug() {
	master, slave, err := pty.Open()
	if err != nil {
		r.t.Fatal(err)
	}
	path := slave.Name()
	slave.Close() // the node stays while the master is open
	r.t.Cleanup(func() { master.Close() })
	r.master = master

	tmp := r.link + ".new"
	if err := os.Symlink(path, tmp); err != nil {
		r.t.Fatal(err)
	}
	if err := os.Rename(tmp, r.link); err != nil {
		r.t.Fatal(err)
	}
}

func (r *serialRig) write(s string) {
	if _, err := r.master.Write([]byte(s)); err != nil {
		r.t.Fatal(err)
	}
}

// next returns the next event, failing the test when none comes.
func (r *serialRig) next() Event {
	r.t.Helper()
	select {
	case e := <-r.events:
		if e.Device != "S1-serial" || e.At.IsZero() {
			r.t.Fatalf("event %+v: want Device S1-serial and a time", e)
		}
		return e
	case <-time.After(serialWait):
		r.t.Fatalf("no event within %v", serialWait)
		return Event{}
	}
}

// expect returns the next event, failing unless it is of kind.
func (r *serialRig) expect(kind Kind) Event {
	r.t.Helper()
	e := r.next()
	if e.Kind != kind {
		r.t.Fatalf("event %+v, want %s", e, kind)
	}
	if (kind == Offline) != (e.Err != "") {
		r.t.Fatalf("event %+v: Err must be set on Offline and only there", e)
	}
	return e
}

// expectScans fails unless the next events are exactly the scans want.
func (r *serialRig) expectScans(want ...string) {
	r.t.Helper()
	for _, w := range want {
		if e := r.expect(Scanned); e.Data != w {
			r.t.Fatalf("scan %q, want %q", e.Data, w)
		}
	}
}

// expectOnline skips Offline events (one more each time the reason changes)
// up to Online.
func (r *serialRig) expectOnline() {
	r.t.Helper()
	for {
		switch e := r.next(); e.Kind {
		case Online:
			return
		case Offline:
			continue
		default:
			r.t.Fatalf("event %+v while waiting to be online", e)
		}
	}
}

// finish checks that nothing more was delivered: a last scan sent now must
// be the next event.
func (r *serialRig) finish() {
	r.t.Helper()
	r.write("LAST\r\n")
	e := r.expect(Scanned)
	if strings.Trim(e.Data, "\r\n") != "LAST" {
		r.t.Fatalf("scan %q, want LAST: bytes were left over", e.Data)
	}
}

// assertNoSerialReader fails if a reading goroutine outlives its Run. A
// reader that has closed its done channel may still be on its way out for a
// moment (stop returns as the deferred close runs), so it gets a grace
// period before it counts as left behind.
func assertNoSerialReader(t *testing.T) {
	buf := make([]byte, 1<<20)
	deadline := time.Now().Add(2 * time.Second)
	for {
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "(*serialReader).loop") {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("a serial reading goroutine is still running:\n%s", stacks)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSerialOneByteWrites(t *testing.T) {
	r := newSerialRig(t, SerialConfig{})
	for _, w := range []string{"T", "es", "t\r"} {
		r.write(w)
		time.Sleep(20 * time.Millisecond) // well under the gap; lets each write be read alone
	}
	r.expectScans("Test")
	r.finish()
}

func TestSerialSuffixes(t *testing.T) {
	tests := []struct {
		suffix Suffix
		write  []string
		want   []string
	}{
		{suffix: SuffixCR, write: []string{"Test\r", "Next\r"}, want: []string{"Test", "Next"}},
		{suffix: SuffixLF, write: []string{"Test\n", "Next\n"}, want: []string{"Test", "Next"}},
		{suffix: SuffixCRLF, write: []string{"Test\r\n", "A\rB\r\n"}, want: []string{"Test", "A\rB"}},
		{suffix: SuffixCRLF, write: []string{"Split\r", "\n"}, want: []string{"Split"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.suffix), func(t *testing.T) {
			r := newSerialRig(t, SerialConfig{Suffix: tt.suffix, Gap: time.Second})
			for _, w := range tt.write {
				r.write(w)
			}
			r.expectScans(tt.want...)
			r.finish()
		})
	}
}

func TestSerialGapEndsScans(t *testing.T) {
	r := newSerialRig(t, SerialConfig{Suffix: SuffixNone, Gap: 50 * time.Millisecond})
	r.write("ABC")
	r.expectScans("ABC") // arrives only once the gap has passed
	r.write("DEF")
	r.expectScans("DEF")
}

func TestSerialPausesUnderGapKeepScan(t *testing.T) {
	r := newSerialRig(t, SerialConfig{Suffix: SuffixNone, Gap: time.Second})
	for _, w := range []string{"40", "06381", "333931"} {
		r.write(w)
		time.Sleep(20 * time.Millisecond)
	}
	r.expectScans("4006381333931")
}

func TestSerialLostSuffixEndsByGap(t *testing.T) {
	r := newSerialRig(t, SerialConfig{Gap: 100 * time.Millisecond})
	r.write("A1") // its CR was lost
	r.expectScans("A1")
	r.write("B2\r")
	r.expectScans("B2")
}

func TestSerialTwoScansInOneWrite(t *testing.T) {
	r := newSerialRig(t, SerialConfig{})
	r.write("A\rB\r")
	r.expectScans("A", "B")
	r.finish()
}

func TestSerialControlBytesKept(t *testing.T) {
	r := newSerialRig(t, SerialConfig{})
	r.write("\x02]C1\x1d0109501101530003\x1e\x04\r") // STX, AIM id, GS, RS, EOT
	r.expectScans("\x02]C1\x1d0109501101530003\x1e\x04")
	r.finish()
}

func TestSerialUnplugLink(t *testing.T) {
	r := newSerialRig(t, SerialConfig{})
	r.write("OK\rPART")
	r.expectScans("OK")

	if err := os.Remove(r.link); err != nil {
		t.Fatal(err)
	}
	e := r.expect(Offline)
	if !strings.Contains(e.Err, "went away") {
		t.Errorf("Offline Err = %q, want it to say the device went away", e.Err)
	}
	if !strings.Contains(e.Err, "dropped 4 bytes") {
		t.Errorf("Offline Err = %q, want it to report the 4 bytes of PART dropped", e.Err)
	}

	r.plug()
	r.expectOnline()
	r.write("NEW\r")
	r.expectScans("NEW") // not PARTNEW
	r.finish()
}

func TestSerialUnplugHangUp(t *testing.T) {
	r := newSerialRig(t, SerialConfig{})
	// The slave side is hung up and its node goes away: a read under way
	// fails with EIO, later ones return nothing at once.
	r.master.Close()
	e := r.expect(Offline)
	if !strings.Contains(e.Err, r.link) {
		t.Errorf("Offline Err = %q, want it to name %s", e.Err, r.link)
	}

	r.plug()
	r.expectOnline()
	r.write("Again\r")
	r.expectScans("Again")
	r.finish()
}

func TestSerialLinkMovedToAnotherDevice(t *testing.T) {
	r := newSerialRig(t, SerialConfig{})
	old := r.master
	r.plug() // the old pair stays open: only the identity check can notice
	e := r.expect(Offline)
	if !strings.Contains(e.Err, "another device") {
		t.Errorf("Offline Err = %q, want it to say the link leads elsewhere", e.Err)
	}
	r.expectOnline()
	old.Write([]byte("OLD\r"))
	r.write("NEW\r")
	r.expectScans("NEW")
	r.finish()
}

func TestSerialOfflineAtStart(t *testing.T) {
	r := &serialRig{t: t, link: filepath.Join(t.TempDir(), "scanner"), events: make(chan Event, 100)}
	r.start(SerialConfig{})
	e := r.expect(Offline)
	if !strings.Contains(e.Err, "no such file or directory") || !strings.Contains(e.Err, r.link) {
		t.Errorf("Offline Err = %q, want the missing %s", e.Err, r.link)
	}

	r.plug()
	r.expect(Online) // the same reason is not reported twice
	r.write("First\r")
	r.expectScans("First")
}

func TestSerialNotATTY(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := &serialRig{t: t, link: path, events: make(chan Event, 100)}
	r.start(SerialConfig{})
	e := r.expect(Offline)
	if !strings.Contains(e.Err, "set up "+path) {
		t.Errorf("Offline Err = %q, want it to name the failed set-up of %s", e.Err, path)
	}
}
