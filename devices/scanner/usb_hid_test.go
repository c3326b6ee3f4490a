package scanner

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/gousb"
)

// scriptStep is one result of a scripted read: a report or an error.
type scriptStep struct {
	report []byte
	err    error
}

// scriptedReader plays its steps, then reports timeouts until ctx ends, as
// an idle scanner does.
type scriptedReader struct {
	steps  []scriptStep
	closed int
	idle   chan struct{} // if set, closed when the steps run out
}

func (r *scriptedReader) ReadContext(ctx context.Context, buf []byte) (int, error) {
	if len(r.steps) == 0 {
		if r.idle != nil {
			close(r.idle)
			r.idle = nil
		}
		<-ctx.Done()
		return 0, errHIDReadTimeout
	}
	s := r.steps[0]
	r.steps = r.steps[1:]
	return copy(buf, s.report), s.err
}

func (r *scriptedReader) Close() error { r.closed++; return nil }

// typed returns the reports that type s (digits only) and Enter.
func typed(s string) []scriptStep {
	var steps []scriptStep
	for _, c := range s {
		k := byte(0x1e + c - '1')
		if c == '0' {
			k = 0x27
		}
		steps = append(steps, scriptStep{report: kr(0, k)}, scriptStep{report: release})
	}
	return append(steps, scriptStep{report: kr(0, usageEnter)}, scriptStep{report: release})
}

func TestUSBHIDRunReopens(t *testing.T) {
	noDevice := errors.New("read usb 1.4: " + gousb.TransferNoDevice.Error())
	first := &scriptedReader{steps: append(typed("123"), scriptStep{err: noDevice})}
	second := &scriptedReader{steps: typed("456")}
	opens := []func() (hidReportReader, error){
		func() (hidReportReader, error) { return first, nil },
		func() (hidReportReader, error) { return nil, errors.New("open usb 05e0:1200: no such device") },
		func() (hidReportReader, error) { return nil, errors.New("open usb 05e0:1200: no such device") },
		func() (hidReportReader, error) { return second, nil },
	}

	u, err := NewUSBHID("S2-usb", HIDConfig{VendorID: 0x05e0, ProductID: 0x1200})
	if err != nil {
		t.Fatal(err)
	}
	u.retry = time.Millisecond
	u.readTimeout = time.Hour // the scripted reader returns at once, or when ctx ends
	u.open = func(HIDConfig) (hidReportReader, error) {
		next := opens[0]
		opens = opens[1:]
		return next()
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	emit := func(e Event) {
		if e.Device != "S2-usb" || e.At.IsZero() {
			t.Errorf("event %+v: want device S2-usb and a time", e)
		}
		got = append(got, string(e.Kind)+":"+e.Data+e.Err)
		if e.Data == "456" {
			cancel()
		}
	}
	if err := u.Run(ctx, emit); err != nil {
		t.Fatalf("Run = %v, want nil after cancel", err)
	}

	want := []string{"online:", "scan:123", "offline:" + noDevice.Error(), "online:", "scan:456"}
	if !slices.Equal(got, want) {
		t.Fatalf("events\n got %q\nwant %q", got, want)
	}
	if first.closed != 1 || second.closed != 1 {
		t.Fatalf("closed first %d, second %d times; want 1 each", first.closed, second.closed)
	}
}

func TestUSBHIDRunOfflineAtStart(t *testing.T) {
	u, err := NewUSBHID("S2-usb", HIDConfig{VendorID: 1, ProductID: 2})
	if err != nil {
		t.Fatal(err)
	}
	u.retry = time.Millisecond
	tries := 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	u.open = func(HIDConfig) (hidReportReader, error) {
		tries++
		if tries == 3 {
			cancel()
		}
		return nil, errors.New("list usb devices: no usb bus")
	}

	var got []Event
	if err := u.Run(ctx, func(e Event) { got = append(got, e) }); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if len(got) != 1 || got[0].Kind != Offline || got[0].Err != "list usb devices: no usb bus" {
		t.Fatalf("events %+v, want one Offline naming the error", got)
	}
}

func TestUSBHIDDecodeErrors(t *testing.T) {
	r := &scriptedReader{
		steps: []scriptStep{{report: kr(0, 0x3a)}, {report: []byte{0, 0, 4}}},
		idle:  make(chan struct{}),
	}
	idle := r.idle
	var errs []string
	u, err := NewUSBHID("S2-usb", HIDConfig{VendorID: 1, ProductID: 2,
		OnDecodeError: func(err error) { errs = append(errs, err.Error()) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	u.readTimeout = time.Hour
	u.open = func(HIDConfig) (hidReportReader, error) { return r, nil }
	go func() {
		<-idle
		cancel()
	}()
	if err := u.Run(ctx, func(Event) {}); err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || !strings.Contains(errs[0], "usage 0x3a") || !strings.Contains(errs[1], "length 3") {
		t.Fatalf("decode errors %q", errs)
	}
}

func TestNewUSBHIDNeedsIDs(t *testing.T) {
	_, err := NewUSBHID("S2-usb", HIDConfig{VendorID: 0x05e0})
	if err == nil || !strings.Contains(err.Error(), "product id 0x0000") {
		t.Fatalf("err = %v, want one naming the missing product id", err)
	}
}

func TestHIDEndpointPrefersBootKeyboard(t *testing.T) {
	intf := func(num int, class gousb.Class, proto gousb.Protocol, dir gousb.EndpointDirection) gousb.InterfaceDesc {
		eps := map[gousb.EndpointAddress]gousb.EndpointDesc{gousb.EndpointAddress(num + 1): {
			Number: num + 1, Direction: dir, TransferType: gousb.TransferTypeInterrupt,
		}}
		return gousb.InterfaceDesc{Number: num, AltSettings: []gousb.InterfaceSetting{
			{Number: num, Class: class, Protocol: proto, Endpoints: eps},
		}}
	}
	in, out := gousb.EndpointDirectionIn, gousb.EndpointDirectionOut
	cfg := gousb.ConfigDesc{Interfaces: []gousb.InterfaceDesc{
		intf(0, gousb.ClassComm, 0, in),
		intf(1, gousb.ClassHID, 2, in), // a mouse
		intf(2, gousb.ClassHID, 1, in), // the boot keyboard
		intf(3, gousb.ClassHID, 1, out),
	}}
	s, n, err := hidEndpoint(cfg)
	if err != nil || s.Number != 2 || n != 3 {
		t.Fatalf("hidEndpoint = interface %d endpoint %d, %v; want 2, 3", s.Number, n, err)
	}
	if _, _, err := hidEndpoint(gousb.ConfigDesc{}); err == nil {
		t.Fatal("hidEndpoint of an empty configuration: want an error")
	}
}

func TestDescribeUSB(t *testing.T) {
	kbd := gousb.InterfaceSetting{Class: gousb.ClassHID, Protocol: 1}
	d := &gousb.DeviceDesc{Vendor: 0x05e0, Product: 0x1200, Configs: map[int]gousb.ConfigDesc{
		1: {Interfaces: []gousb.InterfaceDesc{{AltSettings: []gousb.InterfaceSetting{kbd}}}},
	}}
	info := describeUSB(d)
	info.Product = "Symbol Bar Code Scanner"
	if got, want := info.String(), "05e0:1200 Symbol Bar Code Scanner [hid keyboard]"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	p := describeUSB(&gousb.DeviceDesc{Vendor: 0x0a5f, Product: 0x0166, Class: gousb.ClassPrinter})
	if !p.Printer || p.HID || p.String() != "0a5f:0166 [printer]" {
		t.Errorf("printer = %+v (%s)", p, p)
	}
}

// In a container without /dev/bus/usb, ListUSB says so with ErrNoUSB.
func TestListUSB(t *testing.T) {
	list, err := ListUSB()
	if _, serr := os.Stat(usbfsPath); serr != nil {
		if !errors.Is(err, ErrNoUSB) || list != nil {
			t.Fatalf("ListUSB() = %v, %v; want ErrNoUSB without %s", list, err, usbfsPath)
		}
		return
	}
	if err != nil {
		t.Fatalf("ListUSB() error %v with %s present", err, usbfsPath)
	}
}
