package printer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

// serialPrinter opens a pseudo-terminal pair and plays the printer on the
// master side: it reads everything, answers each ~HS byte by byte, and
// returns the other bytes it got when stopped.
func serialPrinter(t *testing.T, answer string) (path string, stop func() []byte) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	path = tty.Name()
	tty.Close() // the driver opens it by name

	got := make(chan []byte, 1)
	var stopped atomic.Bool
	go func() {
		var job []byte
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			job = append(job, buf[:n]...)
			for bytes.HasSuffix(job, []byte("~HS")) {
				job = job[:len(job)-3]
				for i := range len(answer) {
					master.Write([]byte{answer[i]})
				}
			}
			if err != nil && stopped.Load() {
				got <- job
				return
			}
			if err != nil {
				// EIO while no one holds the terminal side open: wait
				// for the driver to open it again.
				time.Sleep(5 * time.Millisecond)
			}
		}
	}()
	return path, func() []byte {
		stopped.Store(true)
		master.Close()
		return <-got
	}
}

func TestSerialPrint(t *testing.T) {
	path, stop := serialPrinter(t, printertest.HostStatus(printertest.Online, 0))
	p, err := NewSerial(path, 9600, Info{DPI: 300, WidthMM: 104})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	job := bytes.Repeat([]byte("^XA^FO10,10^A0N,30^FDserial^FS^XZ\r\n"), 200)

	if err := p.Print(context.Background(), "job-1", job); err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(context.Background())
	if err != nil || !st.Ready() {
		t.Fatalf("Status = %+v, %v; want ready", st, err)
	}
	if got := stop(); !bytes.Equal(got, job) {
		t.Fatalf("printer got %d bytes, want the job's %d", len(got), len(job))
	}
	if p.Info().WidthDots() != 1248 {
		t.Errorf("WidthDots = %d, want 1248", p.Info().WidthDots())
	}
}

func TestSerialNotReady(t *testing.T) {
	path, stop := serialPrinter(t, printertest.HostStatus(printertest.HeadOpen, 0))
	p, err := NewSerial(path, 115200, Info{})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Print(context.Background(), "job-1", []byte("^XA^XZ"))
	if !errors.Is(err, ErrNotReady) {
		t.Fatalf("err = %v, want ErrNotReady", err)
	}
	if got := stop(); len(got) != 0 {
		t.Fatalf("printer got %q, want nothing but ~HS", got)
	}
	if err := p.Close(); err != nil || p.Close() != nil {
		t.Fatal("Close twice failed")
	}
	if err := p.Print(context.Background(), "job-2", nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Print after Close: %v", err)
	}
}

func TestSerialMissingDevice(t *testing.T) {
	p, err := NewSerial("/nonexistent/ttyUSB9", 9600, Info{})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Print(context.Background(), "job-1", []byte("^XA^XZ"))
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want ErrUnreachable for a missing device", err)
	}
	var _ io.Closer = p
}
