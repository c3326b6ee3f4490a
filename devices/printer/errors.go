package printer

import (
	"errors"
	"fmt"
	"strings"
)

// The three ways a job can fail, for errors.Is. Each Print error is a
// *JobError wrapping one of them (or only ctx's error when the job was
// cancelled before any byte was sent).
var (
	// ErrNotReady: the printer answered ~HS before the job with a problem
	// (paper out, head open, paused…). Nothing was sent: safe to retry once
	// the problem is fixed. JobError.Status says which problem.
	ErrNotReady = errors.New("printer not ready")

	// ErrUnreachable: the printer could not be reached (connect, open or
	// status query failed) or the job could not be written whole.
	// JobError.Written says how much went: when 0, nothing was sent and a
	// retry is safe; when more, the printer may hold a cut-off format (see
	// JobError).
	ErrUnreachable = errors.New("printer unreachable")

	// ErrNotConfirmed: every byte was written, then the printer did not
	// answer ~HS in time, or answered with a problem (paper ran out during
	// the job). The label may or may not print; never resend it
	// automatically, or it may print twice. Someone must look.
	ErrNotConfirmed = errors.New("printed job not confirmed")

	// ErrNoAnswer is wrapped (with one of the above) when the printer did
	// not answer ~HS within the status timeout.
	ErrNoAnswer = errors.New("no answer to ~HS")
)

// JobError is the error of one Print. It wraps Kind (ErrNotReady,
// ErrUnreachable or ErrNotConfirmed; nil when only cancelled) and Err, the
// cause (a net, serial or USB error, ctx's error, ErrNoAnswer, ErrBadStatus).
//
// Safe to retry: ErrNotReady, and ErrUnreachable with Written == 0. Not safe
// without looking: ErrNotConfirmed, and ErrUnreachable with 0 < Written <
// Len. A cut-off job leaves the printer holding a format begun with ^XA but
// never ended with ^XZ; ZPL II has no rule for when such a format is
// dropped, and the printer reports it as the partial format flag of ~HS (see
// Status.PartialFormat), which makes the next Print fail with ErrNotReady
// until the printer is cleared (power cycle, or cancel on its panel) rather
// than have the next job swallowed into it.
type JobError struct {
	Job     string  // job id
	Printer string  // the printer's String()
	Kind    error   // ErrNotReady, ErrUnreachable, ErrNotConfirmed or nil
	Status  *Status // the printer's last answer, when it gave one
	Written int     // bytes of the job written
	Len     int     // bytes in the job
	Err     error   // the cause
}

// Error says which job on which printer, what happened and the cause.
func (e *JobError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "print job %q on %s", e.Job, e.Printer)
	if e.Kind != nil {
		fmt.Fprintf(&b, ": %v", e.Kind)
	}
	if e.Status != nil && !e.Status.Ready() {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Status.Problems(), ", "))
	}
	if e.Kind == ErrUnreachable && e.Written > 0 {
		fmt.Fprintf(&b, " after %d of %d bytes", e.Written, e.Len)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns Kind and Err, so errors.Is finds either.
func (e *JobError) Unwrap() []error {
	var out []error
	for _, err := range []error{e.Kind, e.Err} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// SafeToRetry reports whether sending the job again cannot print it twice
// or into a cut-off format: the printer was not ready, or nothing was sent.
func (e *JobError) SafeToRetry() bool {
	return e.Kind == ErrNotReady || e.Written == 0 && e.Kind != ErrNotConfirmed
}
