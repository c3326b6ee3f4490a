// Package printer holds label printer drivers: each takes a complete print job,
// the bytes of a ZPL document, and delivers it unchanged to one printer. Drivers
// do not build, parse or log labels; package labels builds them and the caller
// records job status.
//
// The network (TCP), USB and serial drivers talk ZPL's ~HS status query both
// ways round a job: before it, so a printer out of paper is not sent a job
// (ErrNotReady), and after it, so a job is reported printed only when the
// printer has taken every byte and is still fine. Anything less is an error
// saying what is known: ErrUnreachable (the job, or part of it, was not
// delivered) or ErrNotConfirmed (delivered, then no good answer). See
// JobError for which are safe to send again.
//
// Open makes a driver from an address such as "tcp:10.0.0.5:9100",
// "usb:0a5f:0181", "serial:/dev/ttyUSB0:9600" or "spool:/var/spool/labels".
package printer

import (
	"context"
	"fmt"
)

// Printer sends one complete print job (e.g. a ZPL document) to a label printer.
type Printer interface {
	// Print delivers data as job jobID. It returns nil once the job has been
	// handed over whole and, where the printer can answer, the printer said
	// it is still fine afterwards; else an error (see JobError). The caller
	// decides whether to retry, so a driver never retries by itself.
	Print(ctx context.Context, jobID string, data []byte) error

	// String names the printer for logs and status pages, e.g. "tcp
	// 127.0.0.1:9100" or "spool /var/spool/shipshape".
	String() string

	// Info returns the printer's resolution and print width, for building
	// labels that fit it.
	Info() Info
}

// StatusReader is a Printer that can be asked for its status (all but Spool).
type StatusReader interface {
	Printer
	// Status asks the printer for its status with ~HS and waits for the
	// answer. Errors wrap ErrUnreachable when the printer cannot be reached
	// or does not answer in time (then also ErrNoAnswer), or ErrBadStatus.
	Status(ctx context.Context) (Status, error)
}

// Info is what a label builder needs to know about a printer.
type Info struct {
	// DPI is the print head's resolution in dots per inch: 203, 300 or 600
	// (8, 12 or 24 dots per millimetre).
	DPI int
	// WidthMM is the widest the head prints, in millimetres, e.g. 104 for a
	// 4-inch desktop printer. It is at least 10 and at most 220.
	WidthMM float64
}

// DefaultInfo is a 4-inch, 203 dpi printer, the common shipping label printer;
// drivers use it when given a zero Info.
var DefaultInfo = Info{DPI: 203, WidthMM: 104}

// Validate reports an Info whose DPI is not 203, 300 or 600, or whose WidthMM
// is outside 10–220 mm; the error names the field and value.
func (i Info) Validate() error {
	switch i.DPI {
	case 203, 300, 600:
	default:
		return fmt.Errorf("printer info: dpi %d: want 203, 300 or 600", i.DPI)
	}
	if i.WidthMM < 10 || i.WidthMM > 220 {
		return fmt.Errorf("printer info: width %g mm: want 10 to 220 mm", i.WidthMM)
	}
	return nil
}

// DotsPerMM returns the resolution in dots per millimetre: 8, 12 or 24.
func (i Info) DotsPerMM() int {
	return map[int]int{203: 8, 300: 12, 600: 24}[i.DPI]
}

// WidthDots returns the print width in dots, rounded down.
func (i Info) WidthDots() int {
	return int(i.WidthMM * float64(i.DotsPerMM()))
}

// orDefaultInfo returns DefaultInfo for a zero Info, else i if it is valid.
func orDefaultInfo(i Info) (Info, error) {
	if i == (Info{}) {
		return DefaultInfo, nil
	}
	return i, i.Validate()
}
