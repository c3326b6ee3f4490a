// Package scanner reads barcode scanners attached to the server: serial
// (RS-232 or USB CDC-ACM) ports and USB HID keyboard-wedge scanners. A driver
// delivers each scan as the bytes the scanner sent, without its end-of-scan
// framing; what the code means is decided by labels/scan, not here.
//
// Drivers reopen a device that goes away and comes back, and report both as
// events, so the server can show each scanner's state. They do not log.
package scanner

import (
	"context"
	"time"
)

// Kind says what an Event reports.
type Kind string

// Event kinds.
const (
	Scanned Kind = "scan"    // Data holds one scan
	Online  Kind = "online"  // the device was opened (at start or after coming back)
	Offline Kind = "offline" // the device went away or could not be opened; Err says why
)

// Event is one scan or a change of a device's state.
type Event struct {
	Device string    // the scanner's configured name, e.g. "S1-serial"
	Kind   Kind      //
	Data   string    // Scanned: the bytes of the scan, end-of-scan suffix removed
	Err    string    // Offline: why, e.g. "open /dev/ttyUSB0: no such file or directory"
	At     time.Time // when the scan completed or the state changed
}

// Scanner is a barcode scanner driver.
type Scanner interface {
	// Run reads scans until ctx is done, calling emit for every scan and
	// every change of state, from one goroutine. A device that cannot be
	// opened or goes away is reported Offline and reopened when it comes
	// back; Run returns only when ctx is done (with nil), or for a
	// configuration that can never work (with an error).
	Run(ctx context.Context, emit func(Event)) error

	// Name returns the configured device name.
	Name() string
}
