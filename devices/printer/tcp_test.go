package printer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

// zplGlob matches the real courier labels shared with the project.
const zplGlob = "../../../shared/data/zpl/*/*.zpl"

func TestTCPPrint(t *testing.T) {
	e := printertest.NewEmulator(t)
	p := NewTCP(e.Addr())
	job := []byte("^XA^CI28^FO10,10^A0N,30^FH_^FDZoë_5E^FS^XZ\n")

	if err := p.Print(context.Background(), "job-1", job); err != nil {
		t.Fatal(err)
	}

	jobs, err := e.WaitJobs(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || !bytes.Equal(jobs[0], job) {
		t.Fatalf("printer got %q, want one job %q", jobs, job)
	}
	if got, want := p.String(), "tcp "+e.Addr(); got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

// TestTCPConcurrentJobs sends two large jobs at once: each must arrive whole
// and on its own.
func TestTCPConcurrentJobs(t *testing.T) {
	e := printertest.NewEmulator(t)
	p := NewTCP(e.Addr())
	jobA := bytes.Repeat([]byte("^XA^FDaaaa^FS^XZ\n"), 64<<10)
	jobB := bytes.Repeat([]byte("^XA^FDbbbb^FS^XZ\n"), 64<<10)

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, job := range [][]byte{jobA, jobB} {
		wg.Go(func() { errs[i] = p.Print(context.Background(), "job", job) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}

	jobs, err := e.WaitJobs(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 {
		t.Fatalf("got %d jobs, want 2", len(jobs))
	}
	gotA := bytes.Equal(jobs[0], jobA) && bytes.Equal(jobs[1], jobB)
	gotB := bytes.Equal(jobs[0], jobB) && bytes.Equal(jobs[1], jobA)
	if !gotA && !gotB {
		t.Fatalf("jobs arrived mixed or cut: lengths %d and %d, want %d each",
			len(jobs[0]), len(jobs[1]), len(jobA))
	}
}

func TestTCPRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	err = NewTCP(addr).Print(context.Background(), "job-7", []byte("^XA^XZ"))
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want connection refused", err)
	}
	if !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), `"job-7"`) {
		t.Fatalf("error %q does not name the address %s and the job", err, addr)
	}
}

func TestTCPCancelledBeforeStart(t *testing.T) {
	e := printertest.NewEmulator(t)
	p := NewTCP(e.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	err := p.Print(ctx, "job-1", []byte("^XA^FDcancelled^FS^XZ"))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), e.Addr()) {
		t.Fatalf("err = %v, want context.Canceled naming %s", err, e.Addr())
	}

	// A later job is the only one the printer sees: the cancelled one never
	// opened a connection.
	next := []byte("^XA^FDnext^FS^XZ")
	if err := p.Print(context.Background(), "job-2", next); err != nil {
		t.Fatal(err)
	}
	jobs, err := e.WaitJobs(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || !bytes.Equal(jobs[0], next) {
		t.Fatalf("printer got %q, want only %q", jobs, next)
	}
}

// TestTCPWaitsForBusyPrinter holds the printer as a running job would: a job
// waiting its turn gives up when its context ends, and runs once it is free.
func TestTCPWaitsForBusyPrinter(t *testing.T) {
	e := printertest.NewEmulator(t)
	p := NewTCP(e.Addr())
	p.busy <- struct{}{}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Print(ctx, "job-1", []byte("^XA^XZ")) }()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "wait for the printer") {
		t.Fatalf("err = %v, want context.Canceled while waiting for the printer", err)
	}

	<-p.busy
	if err := p.Print(context.Background(), "job-2", []byte("^XA^XZ")); err != nil {
		t.Fatalf("Print after the printer was freed: %v", err)
	}
	if _, err := e.WaitJobs(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
}

func TestTCPCancelledMidJob(t *testing.T) {
	addr, accepted := stalledPrinter(t)
	p := NewTCP(addr)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Print(ctx, "big", make([]byte, 64<<20)) }()

	<-accepted // the job is under way, and cannot finish: nobody reads it
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestTCPWriteTimeout(t *testing.T) {
	addr, _ := stalledPrinter(t)
	p := NewTCP(addr)
	p.WriteTimeout = 50 * time.Millisecond

	err := p.Print(context.Background(), "big", make([]byte, 64<<20))
	var je *JobError
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.Is(err, ErrUnreachable) ||
		!strings.Contains(err.Error(), addr) || !errors.As(err, &je) || je.SafeToRetry() || je.Written == 0 {
		t.Fatalf("err = %v, want an unreachable deadline error naming %s after a partial write", err, addr)
	}
}

// TestTCPRealLabels sends every shared courier label and checks each arrives
// byte for byte, UTF-8 byte order marks and CRLFs included.
func TestTCPRealLabels(t *testing.T) {
	files, err := filepath.Glob(zplGlob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 29 {
		t.Fatalf("found %d label files matching %s, want 29", len(files), zplGlob)
	}

	e := printertest.NewEmulator(t)
	p := NewTCP(e.Addr())
	for i, file := range files {
		label, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Print(context.Background(), filepath.Base(file), label); err != nil {
			t.Fatal(err)
		}
		jobs, err := e.WaitJobs(context.Background(), i+1)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(jobs[i], label) {
			t.Errorf("%s: printer got %d bytes, want the file's %d", file, len(jobs[i]), len(label))
		}
	}
}

// stalledPrinter listens on loopback and accepts connections but never reads
// them after answering one ~HS, like a printer that has stopped taking data. Each accepted connection
// is announced on the returned channel.
func stalledPrinter(t *testing.T) (string, <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan struct{}, 1)
	conns := make(chan net.Conn, 8)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- conn
			// Answer the driver's first ~HS, then stop reading.
			if _, err := io.ReadFull(conn, make([]byte, 3)); err == nil {
				conn.Write([]byte(printertest.HostStatus(printertest.Online, 0)))
			}
			accepted <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for len(conns) > 0 {
			(<-conns).Close()
		}
	})
	return ln.Addr().String(), accepted
}
