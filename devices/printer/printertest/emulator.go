// Package printertest provides a network label printer emulator for tests: it
// listens on loopback like a printer's raw port 9100 and records what it is sent.
package printertest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
)

// Emulator is a raw-port printer on 127.0.0.1. Each connection's bytes, read until
// the sender closes it, are recorded as one job. A connection that fails or is
// still open when the emulator closes is not recorded: a real printer would not
// have a whole job either.
type Emulator struct {
	ln net.Listener
	wg sync.WaitGroup

	mu      sync.Mutex
	jobs    [][]byte
	arrived chan struct{} // closed and replaced whenever a job is recorded
	conns   map[net.Conn]struct{}
	closed  bool
}

// NewEmulator starts an emulator on a free loopback port. It fails the test if
// it cannot listen, and closes itself when the test ends.
func NewEmulator(t testing.TB) *Emulator {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("printertest: listen: %v", err)
	}

	e := &Emulator{ln: ln, arrived: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	e.wg.Add(1)
	go e.accept()
	t.Cleanup(func() { e.Close() })
	return e
}

// Addr returns the host:port to print to.
func (e *Emulator) Addr() string {
	return e.ln.Addr().String()
}

// Jobs returns a copy of the jobs received so far, in the order they completed.
func (e *Emulator) Jobs() [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.copyJobs()
}

// WaitJobs waits until at least n jobs have been received and returns them all.
// When ctx ends first it returns the jobs received so far and an error wrapping
// ctx's error.
func (e *Emulator) WaitJobs(ctx context.Context, n int) ([][]byte, error) {
	for {
		e.mu.Lock()
		jobs, arrived := e.copyJobs(), e.arrived
		e.mu.Unlock()
		if len(jobs) >= n {
			return jobs, nil
		}

		select {
		case <-arrived:
		case <-ctx.Done():
			return jobs, fmt.Errorf("printertest: wait for %d jobs, have %d: %w", n, len(jobs), ctx.Err())
		}
	}
}

// Close stops listening, drops connections still open and waits for the
// emulator's goroutines to end. It is safe to call more than once.
func (e *Emulator) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	for conn := range e.conns {
		conn.Close()
	}
	e.mu.Unlock()

	err := e.ln.Close()
	e.wg.Wait()
	return err
}

func (e *Emulator) accept() {
	defer e.wg.Done()
	for {
		conn, err := e.ln.Accept()
		if err != nil {
			return // closed
		}
		if !e.track(conn) {
			conn.Close()
			return
		}
		e.wg.Add(1)
		go e.receive(conn)
	}
}

// receive reads one job until the sender closes the connection.
func (e *Emulator) receive(conn net.Conn) {
	defer e.wg.Done()
	job, err := io.ReadAll(conn)
	conn.Close()

	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.conns, conn)
	if err != nil || e.closed {
		return
	}
	e.jobs = append(e.jobs, job)
	close(e.arrived)
	e.arrived = make(chan struct{})
}

func (e *Emulator) track(conn net.Conn) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	e.conns[conn] = struct{}{}
	return true
}

func (e *Emulator) copyJobs() [][]byte {
	jobs := make([][]byte, len(e.jobs))
	for i, job := range e.jobs {
		jobs[i] = bytes.Clone(job)
	}
	return jobs
}
