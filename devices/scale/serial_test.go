package scale

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyScale plays a scale on the master side of a pseudo-terminal pair; the
// driver opens the slave side.
type ptyScale struct {
	t      *testing.T
	master *os.File
	port   string
	done   chan error
}

func newPtyScale(t *testing.T) *ptyScale {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	// The test keeps the slave open too: reading the master of a slave no
	// one holds open fails (EIO) instead of waiting for the driver.
	t.Cleanup(func() { slave.Close(); master.Close() })
	port := slave.Name()
	return &ptyScale{t: t, master: master, port: port, done: make(chan error, 1)}
}

// answer waits for the request want, then writes reply (nothing when reply
// is ""). The error of a wrong request is reported by check.
func (p *ptyScale) answer(want, reply string) {
	go func() {
		got := make([]byte, len(want))
		if _, err := io.ReadFull(p.master, got); err != nil {
			p.done <- err
			return
		}
		if string(got) != want {
			p.done <- errors.New("request " + string(got) + ", want " + want)
			return
		}
		var err error
		if reply != "" {
			_, err = p.master.Write([]byte(reply))
		}
		p.done <- err
	}()
}

// stream writes line over and over, as a continuous scale does, until the
// test ends.
func (p *ptyScale) stream(lines ...string) {
	stop := make(chan struct{})
	p.t.Cleanup(func() { close(stop) })
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if _, err := p.master.Write([]byte(lines[i%len(lines)])); err != nil {
				return
			}
		}
	}()
}

func (p *ptyScale) check() {
	p.t.Helper()
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Fatalf("scale side: %v", err)
		}
	case <-time.After(10 * time.Second):
		p.t.Fatal("the scale was never asked")
	}
}

func TestSerialRead(t *testing.T) {
	const ok = "\n00\r\x03"
	tests := []struct {
		name, protocol, reply string
		want                  Reading
		err                   error
	}{
		{"nci kg", NCI, "\n  1.234kg\r" + ok, Reading{Grams: 1234, Stable: true}, nil},
		{"nci g", NCI, "\n   250 g\r" + ok, Reading{Grams: 250, Stable: true}, nil},
		{"nci lb", NCI, "\n  2.50lb\r" + ok, Reading{Grams: 1134, Stable: true}, nil},
		{"nci oz", NCI, "\n 16.0oz\r" + ok, Reading{Grams: 454, Stable: true}, nil},
		{"nci zero", NCI, "\n  0.000kg\r\n20\r\x03", Reading{Grams: 0, Stable: true}, nil},
		{"nci in motion", NCI, "\n  1.200kg\r\n10\r\x03", Reading{Grams: 1200}, ErrUnstable},
		{"nci over capacity", NCI, "\n^^^^^^^^kg\r\n02\r\x03", Reading{}, ErrOverload},
		{"nci under capacity", NCI, "\n________kg\r\n01\r\x03", Reading{}, ErrNegative},
		{"nci negative weight", NCI, "\n -0.120kg\r" + ok, Reading{}, ErrNegative},
		{"nci calibration error", NCI, "\n  1.000kg\r\n08\r\x03", Reading{}, ErrScale},
		{"nci not understood", NCI, "\n?\r\x03", Reading{}, ErrAnswer},
		{"nci unknown unit", NCI, "\n  1.000st\r" + ok, Reading{}, ErrAnswer},
		{"nci silent", NCI, "", Reading{}, ErrNoAnswer},
		{"sma lb", SMA, "\n 1G       5.025lb \r", Reading{Grams: 2279, Stable: true}, nil},
		{"sma kg", SMA, "\nZ1G       0.000kg \r", Reading{Grams: 0, Stable: true}, nil},
		{"sma in motion", SMA, "\n 1GM      7.650kg \r", Reading{Grams: 7650}, ErrUnstable},
		{"sma over capacity", SMA, "\nO1G     150.500kg \r", Reading{}, ErrOverload},
		{"sma under zero", SMA, "\nU1G      -0.020kg \r", Reading{}, ErrNegative},
		{"sma tare error", SMA, "\nT1G     ----------kg \r", Reading{}, ErrScale},
		{"sma not understood", SMA, "\n?\r", Reading{}, ErrAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPtyScale(t)
			s, err := NewSerial(Config{Port: p.port, Protocol: tt.protocol, Timeout: 500 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			p.answer(string(request(tt.protocol)), tt.reply)
			got, err := s.Read(t.Context())
			p.check()
			assertReading(t, got, err, tt.want, tt.err, tt.reply)
		})
	}
}

func TestSerialContinuous(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  Reading
		err   error
	}{
		{"stable prefix", []string{"ST,GS,+  1.234kg\r\n"}, Reading{Grams: 1234, Stable: true}, nil},
		{"unstable prefix", []string{"US,GS,+  1.100kg\r\n"}, Reading{Grams: 1100}, ErrUnstable},
		{"overload prefix", []string{"OL,GS,+999.999kg\r\n"}, Reading{}, ErrOverload},
		{"bare lines agree", []string{"  0.750kg\r\n"}, Reading{Grams: 750, Stable: true}, nil},
		{"bare lines keep changing", []string{"  0.750kg\r\n", "  0.760kg\r\n"}, Reading{Grams: 0}, ErrUnstable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPtyScale(t)
			s, err := NewSerial(Config{Port: p.port, Protocol: Continuous, Baud: 19200})
			if err != nil {
				t.Fatal(err)
			}
			p.stream(tt.lines...)
			got, err := s.Read(t.Context())
			if tt.name == "bare lines keep changing" && err != nil {
				// Whichever line came last is the weight so far.
				if got.Grams != 750 && got.Grams != 760 {
					t.Errorf("grams %d, want 750 or 760", got.Grams)
				}
				got.Grams = 0
			}
			assertReading(t, got, err, tt.want, tt.err, got.Raw)
		})
	}
}

func assertReading(t *testing.T, got Reading, err error, want Reading, wantErr error, raw string) {
	t.Helper()
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("error %v, want %v", err, wantErr)
	}
	var se *Error
	if err != nil && !errors.As(err, &se) {
		t.Fatalf("error %T is not a *scale.Error", err)
	}
	if got.Grams != want.Grams || got.Stable != want.Stable {
		t.Errorf("reading %+v, want %+v", got, want)
	}
	if err == nil && got.Raw != raw {
		t.Errorf("raw %q, want %q", got.Raw, raw)
	}
}

func TestSerialCancelled(t *testing.T) {
	p := newPtyScale(t)
	s, err := NewSerial(Config{Port: p.port})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Read(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{}, "scale: port must not be empty"},
		{Config{Port: "/dev/ttyUSB0", Baud: 9601}, "scale: baud 9601: want one of [1200 2400 4800 9600 19200 38400 57600 115200]"},
		{Config{Port: "/dev/ttyUSB0", Protocol: "dibal"}, `scale: protocol "dibal": want nci, sma or continuous`},
		{Config{Port: "/dev/ttyUSB0"}, ""},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		if got := ""; err != nil {
			got = err.Error()
			if got != tt.want {
				t.Errorf("Validate(%+v) = %q, want %q", tt.cfg, got, tt.want)
			}
		} else if tt.want != "" {
			t.Errorf("Validate(%+v) = nil, want %q", tt.cfg, tt.want)
		}
	}
	c := Config{Port: "/dev/ttyUSB0"}
	c.Validate()
	if c.Baud != 9600 || c.Protocol != NCI || c.Timeout != 2*time.Second {
		t.Errorf("defaults %+v", c)
	}
}

func TestReadMissingPort(t *testing.T) {
	s, err := NewSerial(Config{Port: "/nonexistent/ttyUSB9"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Read(t.Context())
	if err == nil || err.Error() != "open scale /nonexistent/ttyUSB9: open /nonexistent/ttyUSB9: no such file or directory" {
		t.Fatalf("error %v", err)
	}
}
