package printertest

import (
	"bytes"
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
)

func TestEmulatorRecordsEachConnectionAsAJob(t *testing.T) {
	e := NewEmulator(t)
	// The empty connection makes no job; ~HS queries are not part of one.
	want := [][]byte{[]byte("^XA^FDone^FS^XZ"), []byte("^XA^FDtwo~H~^FS^XZ")}
	send(t, e.Addr(), want[0])
	send(t, e.Addr(), nil)
	conn, err := net.Dial("tcp", e.Addr())
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("^XA^FDtwo~H~"))
	ask(t, conn) // "~HS", answered
	conn.Write([]byte("^FS^XZ"))
	conn.Close()
	received, err := e.WaitReceived(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	// Connections are handled side by side, so they may be recorded in
	// another order than they were made.
	if !slices.ContainsFunc(received, func(b []byte) bool { return string(b) == "^XA^FDtwo~H~~HS^FS^XZ" }) {
		t.Errorf("received %q, want the third connection's bytes with its ~HS", received)
	}

	got := e.Jobs()
	slices.SortFunc(got, bytes.Compare) // recorded as connections end, not as they began
	if len(got) != len(want) {
		t.Fatalf("got %d jobs, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("job %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestEmulatorJobsIsACopy(t *testing.T) {
	e := NewEmulator(t)
	send(t, e.Addr(), []byte("abc"))
	jobs, err := e.WaitJobs(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}

	jobs[0][0] = 'X'
	if got := e.Jobs()[0]; string(got) != "abc" {
		t.Fatalf("changing a returned job changed the record: %q", got)
	}
}

func TestEmulatorWaitJobsEndsWithContext(t *testing.T) {
	e := NewEmulator(t)
	send(t, e.Addr(), []byte("only one"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	jobs, err := e.WaitJobs(ctx, 2)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The cancelled wait may return before or after the first job is recorded.
	if len(jobs) > 1 {
		t.Fatalf("got %d jobs, want at most 1", len(jobs))
	}
}

func TestEmulatorClose(t *testing.T) {
	e := NewEmulator(t)
	conn, err := net.Dial("tcp", e.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("^XA half a job")); err != nil {
		t.Fatal(err)
	}

	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if jobs := e.Jobs(); len(jobs) != 0 {
		t.Fatalf("a job still open at Close was recorded: %q", jobs)
	}
	if c, err := net.Dial("tcp", e.Addr()); err == nil {
		c.Close()
		t.Fatal("closed emulator still accepts connections")
	}
}

// send writes data on a connection of its own and closes it.
func send(t *testing.T, addr string, data []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
}

// ask sends ~HS on conn and reads the three-string answer.
func ask(t *testing.T, conn net.Conn) string {
	t.Helper()
	if _, err := conn.Write([]byte("~HS")); err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 256)
	for bytes.Count(got, []byte("\x03\r\n")) < 3 {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		got = append(got, buf[:n]...)
	}
	return string(got)
}

func TestEmulatorHoldsJobsUntilOnline(t *testing.T) {
	e := NewEmulator(t)
	e.SetState(PaperOut)
	conn, err := net.Dial("tcp", e.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ask(t, conn), HostStatus(PaperOut, 0); got != want {
		t.Fatalf("answer %q, want %q", got, want)
	}
	conn.Write([]byte("^XA^FDa^FS^XZ^XA^FDb^FS^XZ"))
	conn.Close()
	if _, err := e.WaitReceived(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if len(e.Jobs()) != 0 || len(e.Held()) != 1 {
		t.Fatalf("jobs %q, held %q: want the job held", e.Jobs(), e.Held())
	}

	e.SetState(Online)
	want := []string{"^XA^FDa^FS^XZ", "^XA^FDb^FS^XZ"}
	var got []string
	for _, f := range e.Formats() {
		got = append(got, string(f))
	}
	if len(e.Held()) != 0 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("formats printed %q, want %q", got, want)
	}
}

func TestEmulatorSplitAnswer(t *testing.T) {
	e := NewEmulator(t)
	e.SetState(HeadOpen)
	e.SplitAnswers(1)
	conn, err := net.Dial("tcp", e.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got, want := ask(t, conn), HostStatus(HeadOpen, 0); got != want {
		t.Fatalf("answer %q, want %q", got, want)
	}
}
