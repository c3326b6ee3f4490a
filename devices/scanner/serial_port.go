package scanner

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/tarm/serial"
)

// serialReadTimeout bounds every read (termios VTIME, whole deciseconds), so
// a reader notices within that time that it was asked to stop.
//
// tarm/serial opens the node with O_NONBLOCK, then clears it with a raw
// fcntl. The os.File does not know the descriptor blocks: its Close waits
// for a read under way to return, and with VMIN=1 (no ReadTimeout) a read
// on a silent port never returns, so Close would hang. With ReadTimeout the
// port is set to VMIN=0, VTIME=n: a read returns as soon as a byte arrives,
// or after n deciseconds with nothing (0 bytes, which os.File reports as
// io.EOF).
const serialReadTimeout = 100 * time.Millisecond

// errSerialHungUp reports a tty that was hung up: its adapter unplugged, or
// the master side of a pseudo-terminal closed.
var errSerialHungUp = errors.New("hung up (reads return end of file at once)")

// serialNode identifies a device node: the file system entry (so a node
// created anew after a replug differs, even with the same major and minor
// numbers) and the device it stands for.
type serialNode struct {
	dev, ino, rdev uint64
}

// statSerialNode returns the identity of the node path names, following
// links. Errors are the *fs.PathError of os.Stat.
func statSerialNode(path string) (serialNode, error) {
	info, err := os.Stat(path)
	if err != nil {
		return serialNode{}, err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return serialNode{}, fmt.Errorf("stat %s: no device numbers", path)
	}
	return serialNode{dev: uint64(st.Dev), ino: st.Ino, rdev: uint64(st.Rdev)}, nil
}

// serialPort is an open port and the node it was opened through.
type serialPort struct {
	port  io.ReadCloser
	path  string
	node  serialNode
	close sync.Once
}

// openSerialPort opens and sets up the port cfg names. The node is looked
// at before and after opening, and a node that changed in between is
// refused, so the identity kept is that of the device opened.
func openSerialPort(cfg SerialConfig) (*serialPort, error) {
	before, err := statSerialNode(cfg.Port)
	if err != nil {
		return nil, err
	}
	port, err := serial.OpenPort(tarmConfig(cfg))
	if err != nil {
		return nil, serialOpenError(cfg.Port, err)
	}

	after, err := statSerialNode(cfg.Port)
	if err == nil && after != before {
		err = fmt.Errorf("open %s: device changed while opening", cfg.Port)
	}
	if err != nil {
		port.Close()
		return nil, err
	}
	return &serialPort{port: port, path: cfg.Port, node: after}, nil
}

func tarmConfig(cfg SerialConfig) *serial.Config {
	parity := map[string]serial.Parity{
		"none": serial.ParityNone, "odd": serial.ParityOdd, "even": serial.ParityEven,
	}
	return &serial.Config{
		Name:        cfg.Port,
		Baud:        cfg.Baud,
		Size:        byte(cfg.DataBits),
		Parity:      parity[cfg.Parity],
		StopBits:    serial.StopBits(cfg.StopBits),
		ReadTimeout: serialReadTimeout,
	}
}

// serialOpenError names the port in err: os errors already do; tarm/serial
// returns a bare errno when the node is not a tty (ENOTTY) or refuses the
// settings.
func serialOpenError(path string, err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return err
	}
	return fmt.Errorf("set up %s: %w", path, err)
}

// check returns an error when the configured path no longer leads to the
// device that was opened: the node is gone (a USB adapter unplugged), or it
// is another node (a link moved, or the adapter replugged between checks).
func (p *serialPort) check() error {
	node, err := statSerialNode(p.path)
	if err != nil {
		return fmt.Errorf("device went away: %w", err)
	}
	if node != p.node {
		return fmt.Errorf("%s now leads to another device", p.path)
	}
	return nil
}

// Close closes the port once; later calls do nothing. It waits for a read
// under way, at most serialReadTimeout.
func (p *serialPort) Close() {
	p.close.Do(func() { p.port.Close() })
}

// serialChunk is what one read gave: bytes, or the error that ended reading.
type serialChunk struct {
	data []byte
	err  error
}

// serialReader reads a port on its own goroutine, so that the goroutine
// running Run can wait for bytes, a gap timer and ctx at once.
type serialReader struct {
	port   *serialPort
	chunks chan serialChunk
	quit   chan struct{}
	done   chan struct{}
}

func startSerialReader(p *serialPort) *serialReader {
	r := &serialReader{
		port:   p,
		chunks: make(chan serialChunk),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go r.loop()
	return r
}

// stop closes the port and returns once the reading goroutine has ended.
func (r *serialReader) stop() {
	close(r.quit)
	r.port.Close()
	<-r.done
}

func (r *serialReader) loop() {
	defer close(r.done)
	buf := make([]byte, 512)
	for {
		data, err := r.read(buf)
		if len(data) > 0 && !r.send(serialChunk{data: data}) {
			return
		}
		if err != nil {
			r.send(serialChunk{err: err})
			return
		}
		if r.stopped() {
			return
		}
	}
}

// read returns a copy of the bytes one read gave, and an error only when
// reading should end. A read that times out with nothing is not an error.
//
// A hung-up tty (unplugged USB adapter, closed pseudo-terminal master)
// returns 0 bytes at once, every time, which os.File reports as io.EOF just
// like a timeout; Linux n_tty returns 0 before VTIME has run out only on a
// hang-up. So an empty read that came back in less than half the timeout is
// taken as a hang-up rather than spinning on it.
func (r *serialReader) read(buf []byte) ([]byte, error) {
	start := time.Now()
	n, err := r.port.port.Read(buf)
	data := append([]byte(nil), buf[:n]...)
	switch {
	case err == nil || n > 0 && errors.Is(err, io.EOF):
		return data, nil
	case errors.Is(err, io.EOF) && time.Since(start) >= serialReadTimeout/2:
		return nil, nil
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("read %s: %w", r.port.path, errSerialHungUp)
	}
	return data, err
}

func (r *serialReader) send(c serialChunk) bool {
	select {
	case r.chunks <- c:
		return true
	case <-r.quit:
		return false
	}
}

func (r *serialReader) stopped() bool {
	select {
	case <-r.quit:
		return true
	default:
		return false
	}
}
