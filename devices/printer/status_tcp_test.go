package printer

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

func TestTCPStatusEveryState(t *testing.T) {
	tests := []struct {
		state    printertest.State
		problems []string
	}{
		{printertest.Online, nil},
		{printertest.PaperOut, []string{"paper out"}},
		{printertest.HeadOpen, []string{"head open"}},
		{printertest.Paused, []string{"paused"}},
		{printertest.RibbonOut, []string{"ribbon out"}},
	}
	for _, tt := range tests {
		for _, split := range []int{0, 1, 7} {
			e := printertest.NewEmulator(t)
			e.SetState(tt.state)
			e.SplitAnswers(split)
			st, err := QueryStatus(context.Background(), "tcp:"+e.Addr())
			if err != nil {
				t.Fatalf("%v, split %d: %v", tt.state, split, err)
			}
			if !slices.Equal(st.Problems(), tt.problems) || st.LabelLengthDots != 1218 {
				t.Errorf("%v, split %d: problems %q, length %d; want %q, 1218",
					tt.state, split, st.Problems(), st.LabelLengthDots, tt.problems)
			}
			if st.Raw != printertest.HostStatus(tt.state, 0) {
				t.Errorf("%v: Raw = %q", tt.state, st.Raw)
			}
		}
	}
}

func TestTCPStatusSilentTimesOut(t *testing.T) {
	e := printertest.NewEmulator(t)
	e.SetState(printertest.Silent)
	p := NewTCP(e.Addr())
	p.StatusTimeout = 100 * time.Millisecond

	_, err := p.Status(context.Background())
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), e.Addr()) {
		t.Fatalf("err = %v, want ErrUnreachable and ErrNoAnswer naming %s", err, e.Addr())
	}
}

func TestTCPNotReadySendsNothing(t *testing.T) {
	for _, state := range []printertest.State{printertest.PaperOut, printertest.HeadOpen, printertest.Paused,
		printertest.RibbonOut} {
		e := printertest.NewEmulator(t)
		e.SetState(state)
		err := NewTCP(e.Addr()).Print(context.Background(), "job-1", []byte("^XA^FDx^FS^XZ"))

		var je *JobError
		if !errors.Is(err, ErrNotReady) || !errors.As(err, &je) || !je.SafeToRetry() || je.Status == nil ||
			!slices.Contains(je.Status.Problems(), state.String()) || !strings.Contains(err.Error(), state.String()) {
			t.Fatalf("%v: err = %v, want ErrNotReady saying so", state, err)
		}
		got, err := e.WaitReceived(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || string(got[0]) != "~HS" || len(e.Held())+len(e.Jobs()) != 0 {
			t.Fatalf("%v: printer received %q, want only ~HS", state, got)
		}
	}
}

func TestTCPSilentAfterJobNotConfirmed(t *testing.T) {
	e := printertest.NewEmulator(t)
	e.SetStateOnJob(printertest.Silent)
	p := NewTCP(e.Addr())
	p.ConfirmTimeout = 200 * time.Millisecond
	job := []byte("^XA^FDmaybe^FS^XZ")

	err := p.Print(context.Background(), "job-1", job)
	var je *JobError
	if !errors.Is(err, ErrNotConfirmed) || !errors.Is(err, ErrNoAnswer) || !errors.As(err, &je) ||
		je.SafeToRetry() || je.Written != len(job) {
		t.Fatalf("err = %v, want ErrNotConfirmed after the whole job", err)
	}
	// This printer did print: why a job not confirmed is never resent blindly.
	jobs, err := e.WaitJobs(context.Background(), 1)
	if err != nil || !bytes.Equal(jobs[0], job) {
		t.Fatalf("printed %q, %v", jobs, err)
	}
}

func TestTCPPaperOutDuringJob(t *testing.T) {
	e := printertest.NewEmulator(t)
	e.SetStateOnJob(printertest.PaperOut)
	job := []byte("^XA^FDheld^FS^XZ")

	err := NewTCP(e.Addr()).Print(context.Background(), "job-1", job)
	var je *JobError
	if !errors.Is(err, ErrNotConfirmed) || !errors.As(err, &je) || je.Status == nil || !je.Status.PaperOut {
		t.Fatalf("err = %v, want ErrNotConfirmed with paper out", err)
	}
	if _, err := e.WaitReceived(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if len(e.Jobs()) != 0 || len(e.Held()) != 1 {
		t.Fatalf("jobs %q held %q, want the job held", e.Jobs(), e.Held())
	}
	e.SetState(printertest.Online) // paper loaded: the held label prints
	if jobs, err := e.WaitJobs(context.Background(), 1); err != nil || !bytes.Equal(jobs[0], job) {
		t.Fatalf("printed %q, %v", jobs, err)
	}
}

func TestTCPSeveralFormatsInOneJob(t *testing.T) {
	e := printertest.NewEmulator(t)
	e.SplitAnswers(1)
	job := []byte("^XA^FDone^FS^XZ\r\n^XA^FDtwo^FS^XZ\r\n^XA^FDthree^FS^PQ2^XZ\r\n")
	if err := NewTCP(e.Addr()).Print(context.Background(), "job-1", job); err != nil {
		t.Fatal(err)
	}
	if _, err := e.WaitJobs(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	f := e.Formats()
	if len(f) != 3 || string(f[2]) != "^XA^FDthree^FS^PQ2^XZ" {
		t.Fatalf("formats %q, want 3", f)
	}
}

func TestTCPReconnectAfterDrop(t *testing.T) {
	e := printertest.NewEmulator(t)
	e.DropConnections(1)
	p := NewTCP(e.Addr())

	err := p.Print(context.Background(), "job-1", []byte("^XA^XZ"))
	var je *JobError
	if !errors.Is(err, ErrUnreachable) || !errors.As(err, &je) || !je.SafeToRetry() {
		t.Fatalf("err = %v, want ErrUnreachable with nothing sent", err)
	}
	if err := p.Print(context.Background(), "job-1", []byte("^XA^XZ")); err != nil {
		t.Fatalf("second try: %v", err)
	}
	if jobs, err := e.WaitJobs(context.Background(), 1); err != nil || string(jobs[0]) != "^XA^XZ" {
		t.Fatalf("printed %q, %v", jobs, err)
	}
}

// TestTCPConcurrentPrintAndStatus mixes big jobs and status queries: each
// job arrives whole and no query lands inside one.
func TestTCPConcurrentPrintAndStatus(t *testing.T) {
	e := printertest.NewEmulator(t)
	p := NewTCP(e.Addr())
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range 6 {
		wg.Go(func() {
			if i%2 == 0 {
				_, errs[i] = p.Status(context.Background())
				return
			}
			errs[i] = p.Print(context.Background(), "job", bytes.Repeat([]byte{'a' + byte(i)}, 4<<20))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got, err := e.WaitReceived(context.Background(), 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range got {
		if len(raw) != 3 && len(raw) != 4<<20+6 {
			t.Fatalf("a connection carried %d bytes: jobs mixed", len(raw))
		}
	}
}
