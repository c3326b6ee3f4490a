// Package printer holds label printer drivers: each takes a complete print job,
// the bytes of a ZPL document, and delivers it unchanged to one printer. Drivers
// do not build, parse or log labels; package labels builds them and the caller
// records job status.
package printer

import "context"

// Printer sends one complete print job (e.g. a ZPL document) to a label printer.
type Printer interface {
	// Print delivers data as job jobID. It returns once the job has been handed
	// over whole, or an error when it could not be; the caller decides whether
	// to retry, so a driver never retries by itself.
	Print(ctx context.Context, jobID string, data []byte) error

	// String names the printer for logs and status pages, e.g. "tcp
	// 127.0.0.1:9100" or "spool /var/spool/shipshape".
	String() string
}
