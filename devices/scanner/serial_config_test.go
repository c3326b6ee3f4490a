package scanner

import (
	"strings"
	"testing"
	"time"
)

func TestNewSerialConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     SerialConfig
		wantErr string // empty: valid
	}{
		{name: "defaults", cfg: SerialConfig{Port: "/dev/ttyUSB0"}},
		{name: "7E1 CRLF", cfg: SerialConfig{Port: "/dev/ttyS0", Baud: 19200, DataBits: 7,
			Parity: "even", StopBits: 1, Suffix: SuffixCRLF, Gap: 80 * time.Millisecond}},
		{name: "no port", cfg: SerialConfig{}, wantErr: `port "": must name a device`},
		{name: "odd baud", cfg: SerialConfig{Port: "/dev/x", Baud: 9601}, wantErr: "baud 9601:"},
		{name: "negative baud", cfg: SerialConfig{Port: "/dev/x", Baud: -1}, wantErr: "baud -1:"},
		{name: "4 data bits", cfg: SerialConfig{Port: "/dev/x", DataBits: 4},
			wantErr: "data bits 4: must be 5, 6, 7 or 8"},
		{name: "9 data bits", cfg: SerialConfig{Port: "/dev/x", DataBits: 9}, wantErr: "data bits 9:"},
		{name: "mark parity", cfg: SerialConfig{Port: "/dev/x", Parity: "mark"},
			wantErr: `parity "mark": must be`},
		{name: "upper-case parity", cfg: SerialConfig{Port: "/dev/x", Parity: "EVEN"},
			wantErr: `parity "EVEN":`},
		{name: "3 stop bits", cfg: SerialConfig{Port: "/dev/x", StopBits: 3},
			wantErr: "stop bits 3: must be 1 or 2"},
		{name: "tab suffix", cfg: SerialConfig{Port: "/dev/x", Suffix: "TAB"},
			wantErr: `suffix "TAB": must be`},
		{name: "negative gap", cfg: SerialConfig{Port: "/dev/x", Gap: -time.Second},
			wantErr: "gap -1s: must be between 10ms and 5s"},
		{name: "gap too long", cfg: SerialConfig{Port: "/dev/x", Gap: time.Minute},
			wantErr: "gap 1m0s:"},
		{name: "gap under two characters", cfg: SerialConfig{Port: "/dev/x", Baud: 300,
			Gap: 20 * time.Millisecond}, wantErr: "gap 20ms: shorter than two characters at 300 baud"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSerial("S1-serial", tt.cfg)
			if tt.wantErr == "" {
				if err != nil || s.Name() != "S1-serial" {
					t.Fatalf("NewSerial = %v, %v; want a driver named S1-serial", s, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) ||
				!strings.Contains(err.Error(), `"S1-serial"`) {
				t.Fatalf("NewSerial error = %v; want one naming the device and %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewSerialEmptyName(t *testing.T) {
	_, err := NewSerial("", SerialConfig{Port: "/dev/ttyUSB0"})
	if err == nil || !strings.Contains(err.Error(), `name ""`) {
		t.Fatalf("NewSerial error = %v; want one about the empty name", err)
	}
}

func TestSerialConfigDefaults(t *testing.T) {
	tests := []struct {
		name string
		cfg  SerialConfig
		want SerialConfig
	}{
		{name: "suffix", cfg: SerialConfig{Port: "p"}, want: SerialConfig{Port: "p", Baud: 9600,
			DataBits: 8, Parity: "none", StopBits: 1, Suffix: SuffixCR, Gap: 250 * time.Millisecond}},
		{name: "no suffix", cfg: SerialConfig{Port: "p", Suffix: SuffixNone}, want: SerialConfig{
			Port: "p", Baud: 9600, DataBits: 8, Parity: "none", StopBits: 1, Suffix: SuffixNone,
			Gap: 50 * time.Millisecond}},
		{name: "slow line stretches the gap", cfg: SerialConfig{Port: "p", Baud: 300,
			Suffix: SuffixNone}, want: SerialConfig{Port: "p", Baud: 300, DataBits: 8,
			Parity: "none", StopBits: 1, Suffix: SuffixNone, Gap: 200 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSerial("S1", tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Config(); got != tt.want {
				t.Fatalf("Config() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
