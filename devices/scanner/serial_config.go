package scanner

import (
	"fmt"
	"slices"
	"time"
)

// Suffix is the end-of-scan suffix a serial scanner is programmed to send.
type Suffix string

// Suffixes a serial scanner may end each scan with.
const (
	SuffixCR   Suffix = "CR"   // carriage return, 0x0D (used when SerialConfig.Suffix is empty)
	SuffixLF   Suffix = "LF"   // line feed, 0x0A
	SuffixCRLF Suffix = "CRLF" // 0x0D 0x0A
	SuffixNone Suffix = "none" // no suffix: only a pause (SerialConfig.Gap) ends a scan
)

// Defaults for the zero fields of a SerialConfig.
const (
	DefaultSerialBaud = 9600 // with 8 data bits, no parity, 1 stop bit: a common factory setting

	// DefaultSerialGap ends a scan when no suffix is configured. A scanner
	// sends a whole scan in one burst, so 50 ms of silence means it is done.
	DefaultSerialGap = 50 * time.Millisecond

	// DefaultSerialSuffixGap ends a scan whose suffix never came. It is
	// longer than DefaultSerialGap so that a slow link (a USB adapter's
	// latency timer, a Bluetooth serial profile) does not split a scan, and
	// shorter than the time a person needs to aim and pull the trigger again,
	// so a lost suffix cannot glue two scans together.
	DefaultSerialSuffixGap = 250 * time.Millisecond
)

// Limits on SerialConfig.Gap.
const (
	MinSerialGap = 10 * time.Millisecond
	MaxSerialGap = 5 * time.Second
)

// serialBauds are the rates Linux termios (and so tarm/serial) can set.
var serialBauds = []int{
	50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
	57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000,
	1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
}

// SerialConfig says how to reach one serial scanner and how its scans are
// framed. The zero value of every field but Port means its default.
type SerialConfig struct {
	// Port is the device node, e.g. /dev/ttyUSB0, /dev/ttyACM0 or, better
	// because it survives replugging into another socket, a link in
	// /dev/serial/by-id.
	Port string

	Baud     int    // bits per second; DefaultSerialBaud when 0
	DataBits int    // 5 to 8; 8 when 0
	Parity   string // "none" (when empty), "odd" or "even"
	StopBits int    // 1 (when 0) or 2

	// Suffix is what the scanner sends after each scan; SuffixCR when
	// empty. It is removed from the scan.
	Suffix Suffix

	// Gap is the silence that ends a scan. With SuffixNone it is the only
	// end of a scan (DefaultSerialGap when 0). With a suffix it ends a scan
	// whose suffix was lost (DefaultSerialSuffixGap when 0); that scan is
	// delivered as it came, since a lost suffix is far more likely than lost
	// data bytes. Either default is raised to five character times at a low
	// baud rate; an explicit Gap must be between MinSerialGap and
	// MaxSerialGap and at least two character times.
	Gap time.Duration
}

// withDefaults returns c with its zero fields set to their defaults.
func (c SerialConfig) withDefaults() SerialConfig {
	if c.Baud == 0 {
		c.Baud = DefaultSerialBaud
	}
	if c.DataBits == 0 {
		c.DataBits = 8
	}
	if c.Parity == "" {
		c.Parity = "none"
	}
	if c.StopBits == 0 {
		c.StopBits = 1
	}
	if c.Suffix == "" {
		c.Suffix = SuffixCR
	}
	if c.Gap == 0 {
		c.Gap = c.defaultGap()
	}
	return c
}

func (c SerialConfig) defaultGap() time.Duration {
	gap := DefaultSerialSuffixGap
	if c.Suffix == SuffixNone {
		gap = DefaultSerialGap
	}
	if c.Baud > 0 {
		gap = max(gap, 5*c.charTime())
	}
	return gap
}

// charTime is how long one character takes on the line at the worst
// framing: a start bit, 8 data bits, a parity bit and 2 stop bits.
func (c SerialConfig) charTime() time.Duration {
	return 12 * time.Second / time.Duration(c.Baud)
}

// validate checks a config that has its defaults set. Errors name the field
// and its value.
func (c SerialConfig) validate() error {
	checks := []func() error{c.validPort, c.validBaud, c.validFraming, c.validSuffix, c.validGap}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c SerialConfig) validPort() error {
	if c.Port == "" {
		return fmt.Errorf("port %q: must name a device, e.g. /dev/ttyUSB0", c.Port)
	}
	return nil
}

func (c SerialConfig) validBaud() error {
	if !slices.Contains(serialBauds, c.Baud) {
		return fmt.Errorf("baud %d: not a rate the port can be set to (e.g. 9600, 115200)", c.Baud)
	}
	return nil
}

func (c SerialConfig) validFraming() error {
	if c.DataBits < 5 || c.DataBits > 8 {
		return fmt.Errorf("data bits %d: must be 5, 6, 7 or 8", c.DataBits)
	}
	if c.Parity != "none" && c.Parity != "odd" && c.Parity != "even" {
		return fmt.Errorf("parity %q: must be \"none\", \"odd\" or \"even\"", c.Parity)
	}
	if c.StopBits != 1 && c.StopBits != 2 {
		return fmt.Errorf("stop bits %d: must be 1 or 2", c.StopBits)
	}
	return nil
}

func (c SerialConfig) validSuffix() error {
	switch c.Suffix {
	case SuffixCR, SuffixLF, SuffixCRLF, SuffixNone:
		return nil
	}
	return fmt.Errorf("suffix %q: must be \"CR\", \"LF\", \"CRLF\" or \"none\"", c.Suffix)
}

func (c SerialConfig) validGap() error {
	if c.Gap < MinSerialGap || c.Gap > MaxSerialGap {
		return fmt.Errorf("gap %v: must be between %v and %v", c.Gap, MinSerialGap, MaxSerialGap)
	}
	if c.Gap < 2*c.charTime() {
		return fmt.Errorf("gap %v: shorter than two characters at %d baud (%v)",
			c.Gap, c.Baud, 2*c.charTime())
	}
	return nil
}

// suffixBytes returns the bytes that end a scan, nil for SuffixNone.
func (c SerialConfig) suffixBytes() []byte {
	switch c.Suffix {
	case SuffixCR:
		return []byte("\r")
	case SuffixLF:
		return []byte("\n")
	case SuffixCRLF:
		return []byte("\r\n")
	}
	return nil
}
