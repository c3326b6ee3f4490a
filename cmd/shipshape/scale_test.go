package main

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/creack/pty"
)

func TestStationScaleCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shipshape.db")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"S1"}, `{"station":"S1","port":"","baud":9600,"protocol":"nci"}` + "\n"},
		{[]string{"S1", "--port", "/dev/ttyUSB1"}, `{"station":"S1","port":"/dev/ttyUSB1","baud":9600,"protocol":"nci"}` + "\n"},
		{[]string{"--baud", "19200", "S1", "--protocol", "sma"}, `{"station":"S1","port":"/dev/ttyUSB1","baud":19200,"protocol":"sma"}` + "\n"},
		{[]string{"S1"}, `{"station":"S1","port":"/dev/ttyUSB1","baud":19200,"protocol":"sma"}` + "\n"},
	}
	for _, tt := range tests {
		args := append([]string{"station", "scale", "--db", db, "--user", "ann"}, tt.args...)
		out, err := runCLI(args...)
		if err != nil || out != tt.want {
			t.Fatalf("%q = %q, %v; want %q", args, out, err, tt.want)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"S1", "--baud", "9601"}, "baud: 9601: want one of [1200 2400 4800 9600 19200 38400 57600 115200]"},
		{[]string{"S1", "--protocol", "dibal"}, `protocol: "dibal": want nci, sma or continuous`},
		{[]string{}, "station scale takes one station id, got []"},
	} {
		args := append([]string{"station", "scale", "--db", db}, tt.args...)
		if out, err := runCLI(args...); err == nil || err.Error() != tt.want || out != "" {
			t.Errorf("%q = %q, %v; want %q", args, out, err, tt.want)
		}
	}
}

func TestScaleReadCommand(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close(); master.Close() })
	go func() {
		req := make([]byte, 3)
		if _, err := io.ReadFull(master, req); err == nil && string(req) == "\nW\r" {
			master.Write([]byte("\n 1G       0.750kg \r"))
		}
	}()
	out, err := runCLI("scale", "read", slave.Name(), "--protocol", "sma")
	want := `{"grams":750,"raw":"\n 1G       0.750kg \r","stable":true}` + "\n"
	if err != nil || out != want {
		t.Fatalf("scale read = %q, %v; want %q", out, err, want)
	}
}
