package printertest

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
)

func TestEmulatorRecordsEachConnectionAsAJob(t *testing.T) {
	e := NewEmulator(t)
	want := [][]byte{[]byte("^XA^FDone^FS^XZ"), []byte("^XA^FDtwo^FS^XZ"), {}}

	for i, job := range want {
		send(t, e.Addr(), job)
		if _, err := e.WaitJobs(context.Background(), i+1); err != nil {
			t.Fatal(err)
		}
	}

	got := e.Jobs()
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
