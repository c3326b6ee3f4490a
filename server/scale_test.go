package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/creack/pty"
)

// ptyScaleAt plays an NCI scale on a pseudo-terminal and wires it to
// station S1; each call to reply answers one request. It returns reply.
func ptyScaleAt(ts *testServer, station string) func(answer string) {
	t := ts.t
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	// The slave stays open here too: reading a master whose slave no one
	// holds fails at once instead of waiting for the server to ask.
	t.Cleanup(func() { slave.Close(); master.Close() })
	code, body := ts.call("PUT", "/api/v1/stations/"+station+"/scale",
		`{"port":"`+slave.Name()+`","baud":9600,"protocol":"nci"}`)
	if code != 200 {
		t.Fatalf("set scale: %d %s", code, body)
	}
	return func(answer string) {
		go func() {
			req := make([]byte, 2)
			if _, err := io.ReadFull(master, req); err != nil || string(req) != "W\r" {
				return // the test's assertion on the answer fails
			}
			if answer != "" {
				master.Write([]byte(answer))
			}
		}()
	}
}

func TestReadStationScale(t *testing.T) {
	ts := startServer(t)
	reply := ptyScaleAt(ts, "S1")

	reply("\n  1.234kg\r\n00\r\x03")
	code, body := ts.call("GET", "/api/v1/stations/S1/scale", "")
	var r struct {
		Station string
		Grams   int
		Stable  bool
	}
	if err := json.Unmarshal(body, &r); code != 200 || err != nil || r.Grams != 1234 || !r.Stable || r.Station != "S1" {
		t.Fatalf("stable weight: %d %s", code, body)
	}

	tests := []struct {
		name, answer string
		code         int
		want         string
	}{
		{"in motion", "\n  1.200kg\r\n10\r\x03", http.StatusConflict, "weight not stable: try again (1200 g so far)"},
		{"over capacity", "\n^^^^^^^^kg\r\n02\r\x03", http.StatusConflict, "scale overloaded: the weight is over its capacity"},
		{"below zero", "\n -0.050kg\r\n00\r\x03", http.StatusConflict, "weight below zero: zero the scale with nothing on it (-0.050 kg)"},
		{"silent", "", http.StatusServiceUnavailable, "scale not answering at station S1: nothing within 2s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply(tt.answer)
			code, body := ts.call("GET", "/api/v1/stations/S1/scale", "")
			if code != tt.code || errorText(t, body) != tt.want {
				t.Fatalf("%d %s, want %d %q", code, body, tt.code, tt.want)
			}
		})
	}

	if code, body := ts.call("GET", "/api/v1/stations/S2/scale", ""); code != 409 ||
		errorText(t, body) != "no scale at station S2" {
		t.Fatalf("station without a scale: %d %s", code, body)
	}
	if code, body := ts.call("PUT", "/api/v1/stations/S1/scale", `{"baud":9601}`); code != 400 ||
		errorText(t, body) != "baud: 9601: want one of [1200 2400 4800 9600 19200 38400 57600 115200]" {
		t.Fatalf("bad baud: %d %s", code, body)
	}
	if code, body := ts.call("PUT", "/api/v1/stations/S1/scale", `{"port":""}`); code != 200 {
		t.Fatalf("remove scale: %d %s", code, body)
	}
	if code, body := ts.call("GET", "/api/v1/stations/S1/scale", ""); code != 409 ||
		errorText(t, body) != "no scale at station S1" {
		t.Fatalf("removed scale: %d %s", code, body)
	}
}
