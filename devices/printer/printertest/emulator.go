// Package printertest provides a network label printer emulator for tests: it
// listens on loopback like a printer's raw port 9100, records what it is sent,
// answers the ZPL status query ~HS in a state the test sets, and "prints" a
// job only while online, as a real printer does.
package printertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// State is what the emulated printer is doing.
type State int

// The states a test can set.
const (
	Online    State = iota // prints what it gets, answers ~HS "ready"
	PaperOut               // holds jobs, answers with the paper out flag
	HeadOpen               // holds jobs, answers with the head up flag
	Paused                 // holds jobs, answers with the pause flag
	RibbonOut              // holds jobs, answers with the ribbon out flag
	// Silent takes and prints jobs but never answers ~HS, like a printer
	// whose answers are lost (or a model that stays silent in an error).
	Silent
)

// String names the state.
func (s State) String() string {
	names := []string{"online", "paper out", "head open", "paused", "ribbon out", "silent"}
	if int(s) < len(names) {
		return names[s]
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Emulator is a raw-port printer on 127.0.0.1. On each connection it answers
// every "~HS" in the stream at once and keeps the other bytes; when the
// sender closes the connection those bytes, if any, make one job. A job is
// printed (see Jobs) when it ends while the printer is Online or Silent, and
// otherwise held until SetState(Online), like a printer out of paper that
// still takes data. A connection that fails or is still open when the
// emulator closes makes no job: a real printer would not have a whole job.
type Emulator struct {
	ln net.Listener
	wg sync.WaitGroup

	mu       sync.Mutex
	state    State
	onJob    *State // state to switch to when job bytes next arrive
	split    int    // answer ~HS in writes of this many bytes; 0: one write
	dropNext int    // connections to drop as soon as they are accepted
	jobs     [][]byte
	held     [][]byte
	received [][]byte
	changed  chan struct{} // closed and replaced whenever a record changes
	conns    map[net.Conn]struct{}
	closed   bool
}

// NewEmulator starts an emulator, Online, on a free loopback port. It fails
// the test if it cannot listen, and closes itself when the test ends.
func NewEmulator(t testing.TB) *Emulator {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("printertest: listen: %v", err)
	}

	e := &Emulator{ln: ln, changed: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	e.wg.Add(1)
	go e.accept()
	t.Cleanup(func() { e.Close() })
	return e
}

// Addr returns the host:port to print to.
func (e *Emulator) Addr() string {
	return e.ln.Addr().String()
}

// SetState changes what the printer does from now on. Going Online (or
// Silent) prints the jobs held meanwhile, in the order they came.
func (e *Emulator) SetState(s State) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setState(s)
}

// SetStateOnJob makes the printer switch to s as soon as the first job byte
// (anything but ~HS) of a later connection arrives: a printer that runs out
// of paper, or falls silent, while a job comes in. It applies once.
func (e *Emulator) SetStateOnJob(s State) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onJob = &s
}

// SplitAnswers makes the printer write each ~HS answer n bytes at a time,
// pausing briefly between writes so that they arrive as separate reads;
// 1 sends it byte by byte, 0 in one write.
func (e *Emulator) SplitAnswers(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.split = n
}

// DropConnections makes the printer close the next n connections as soon as
// it accepts them, like a printer resetting its network card.
func (e *Emulator) DropConnections(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.dropNext += n
}

// Jobs returns a copy of the jobs printed so far, in the order they were
// printed: each the bytes one connection carried, less its ~HS queries.
func (e *Emulator) Jobs() [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return clone(e.jobs)
}

// Held returns a copy of the jobs received but not printed yet.
func (e *Emulator) Held() [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return clone(e.held)
}

// Formats returns the ZPL formats, ^XA to ^XZ inclusive, of the printed
// jobs, in order: one label design each (several labels if it says ^PQ).
func (e *Emulator) Formats() [][]byte {
	var out [][]byte
	for _, job := range e.Jobs() {
		out = append(out, formats(job)...)
	}
	return out
}

// Received returns a copy of every connection's raw bytes, ~HS queries
// included, in the order the connections ended, whether or not they made a
// job.
func (e *Emulator) Received() [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return clone(e.received)
}

// WaitJobs waits until at least n jobs have been printed and returns them all.
// When ctx ends first it returns the jobs printed so far and an error wrapping
// ctx's error.
func (e *Emulator) WaitJobs(ctx context.Context, n int) ([][]byte, error) {
	return e.wait(ctx, n, "printed jobs", e.Jobs)
}

// WaitReceived waits until at least n connections have ended and returns
// their raw bytes (see Received), or what there is and ctx's error.
func (e *Emulator) WaitReceived(ctx context.Context, n int) ([][]byte, error) {
	return e.wait(ctx, n, "connections", e.Received)
}

func (e *Emulator) wait(ctx context.Context, n int, what string, get func() [][]byte) ([][]byte, error) {
	for {
		e.mu.Lock()
		changed := e.changed
		e.mu.Unlock()
		got := get()
		if len(got) >= n {
			return got, nil
		}

		select {
		case <-changed:
		case <-ctx.Done():
			return got, fmt.Errorf("printertest: wait for %d %s, have %d: %w", n, what, len(got), ctx.Err())
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
			continue
		}
		e.wg.Add(1)
		go e.serve(conn)
	}
}

// track records an open connection; false means close it at once.
func (e *Emulator) track(conn net.Conn) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	if e.dropNext > 0 {
		e.dropNext--
		return false
	}
	e.conns[conn] = struct{}{}
	return true
}

// serve reads one connection until the sender closes it, answering ~HS.
func (e *Emulator) serve(conn net.Conn) {
	defer e.wg.Done()
	var raw, job []byte
	var match int // bytes of "~HS" matched so far
	buf := make([]byte, 32<<10)
	var err error
	for {
		var n int
		n, err = conn.Read(buf)
		for _, b := range buf[:n] {
			raw = append(raw, b)
			job, match = e.scan(conn, job, match, b)
		}
		if err != nil {
			break
		}
	}
	job = append(job, query[:match]...)
	conn.Close()
	e.end(conn, raw, job, err)
}

var query = []byte("~HS")

// scan takes one byte: part of a ~HS query, which it answers, or of the job.
func (e *Emulator) scan(conn net.Conn, job []byte, match int, b byte) ([]byte, int) {
	if b == query[match] {
		match++
		if match == len(query) {
			e.answer(conn)
			return job, 0
		}
		return job, match
	}
	job = append(job, query[:match]...)
	if b == query[0] {
		return job, 1
	}
	e.jobBytes()
	return append(job, b), 0
}

// jobBytes applies SetStateOnJob.
func (e *Emulator) jobBytes() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.onJob != nil {
		e.setState(*e.onJob)
		e.onJob = nil
	}
}

// answer writes the three ~HS strings for the current state, unless Silent.
func (e *Emulator) answer(conn net.Conn) {
	e.mu.Lock()
	state, split, held := e.state, e.split, len(e.held)
	e.mu.Unlock()
	if state == Silent {
		return
	}
	msg := []byte(HostStatus(state, held))
	if split <= 0 {
		split = len(msg)
	}
	for len(msg) > 0 {
		n := min(split, len(msg))
		if _, err := conn.Write(msg[:n]); err != nil {
			return
		}
		msg = msg[n:]
		if len(msg) > 0 {
			time.Sleep(time.Millisecond) // let each piece be a read of its own
		}
	}
}

// end records a finished connection and its job.
func (e *Emulator) end(conn net.Conn, raw, job []byte, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.conns, conn)
	e.received = append(e.received, raw)
	if !errors.Is(err, io.EOF) || e.closed || len(job) == 0 {
		e.notify()
		return
	}
	if e.state == Online || e.state == Silent {
		e.jobs = append(e.jobs, job)
	} else {
		e.held = append(e.held, job)
	}
	e.notify()
}

func (e *Emulator) setState(s State) {
	e.state = s
	if (s == Online || s == Silent) && len(e.held) > 0 {
		e.jobs = append(e.jobs, e.held...)
		e.held = nil
	}
	e.notify()
}

func (e *Emulator) notify() {
	close(e.changed)
	e.changed = make(chan struct{})
}

// HostStatus returns the answer a printer in state s, holding held formats,
// gives to ~HS, laid out as in the ZPL II Programming Guide (~HS): a 4x6 inch
// label at 203 dpi (1218 dots long), tear-off mode, serial 9600 8N1.
func HostStatus(s State, held int) string {
	flag := func(on bool) int {
		if on {
			return 1
		}
		return 0
	}
	one := fmt.Sprintf("\x02030,%d,%d,1218,%03d,0,0,0,000,0,0,0\x03\r\n",
		flag(s == PaperOut), flag(s == Paused), held)
	two := fmt.Sprintf("\x02001,0,%d,%d,1,2,6,0,00000000,1,000\x03\r\n",
		flag(s == HeadOpen), flag(s == RibbonOut))
	return one + two + "\x021234,0\x03\r\n"
}

func formats(job []byte) [][]byte {
	var out [][]byte
	for {
		start := bytes.Index(job, []byte("^XA"))
		if start < 0 {
			return out
		}
		end := bytes.Index(job[start:], []byte("^XZ"))
		if end < 0 {
			return out
		}
		out = append(out, job[start:start+end+3])
		job = job[start+end+3:]
	}
}

func clone(jobs [][]byte) [][]byte {
	out := make([][]byte, len(jobs))
	for i, job := range jobs {
		out[i] = bytes.Clone(job)
	}
	return out
}
