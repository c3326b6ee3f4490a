package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer"
	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// The print queue. Every job is stored as queued before anything is sent;
// one sender per printer address takes that printer's jobs oldest first, one
// at a time, and records what happened:
//
//   - printed: the printer took the job and said afterwards it is fine;
//   - sent: written whole to a printer that is never asked (status "none");
//   - queued again, with attempts+1, the reason and a backoff, when nothing
//     was sent (printer not ready or unreachable): it goes when the backoff
//     ends, or at once when the printer reports ready;
//   - unconfirmed: bytes went but the printer did not confirm, so it may
//     have printed. It is never sent again by itself; a person looks and
//     presses Reprint (audited), which queues it again;
//   - failed: it could not be sent for a reason a retry will not fix.
//
// A job found "sending" at start (the server stopped mid-send) becomes
// unconfirmed, so nothing prints twice by accident.

// RetryBackoff is the default wait before a job's next try after attempts
// tries that found the printer not ready: 1 s, 2 s, 4 s… up to 30 s.
func RetryBackoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	if attempts > 6 {
		return 30 * time.Second
	}
	return min(time.Second<<(attempts-1), 30*time.Second)
}

// printerEntry is one printer the server drives, by address.
type printerEntry struct {
	addr     string // as printer.Open takes it
	p        printer.Printer
	noStatus bool // never asked ~HS (station printer_status "none")
}

// printQueue runs one sender per printer address and lets requests wait
// briefly for their job's outcome.
type printQueue struct {
	s *Server

	mu      sync.Mutex
	ctx     context.Context                // nil until start; ends at Close
	senders map[string]chan struct{}       // wake channel per address
	waiters map[string][]chan struct{}     // by job id
	polled  map[string]store.PrinterConfig // addresses last polled, with a station using each
	pollNow chan struct{}                  // asks for a poll before the next tick
}

func newPrintQueue(s *Server) *printQueue {
	return &printQueue{s: s, senders: map[string]chan struct{}{}, waiters: map[string][]chan struct{}{},
		polled: map[string]store.PrinterConfig{}, pollNow: make(chan struct{}, 1)}
}

// poll asks for the printers to be polled now (their settings changed).
func (q *printQueue) poll() {
	select {
	case q.pollNow <- struct{}{}:
	default:
	}
}

// start marks interrupted jobs unconfirmed, starts a sender for every
// printer with queued jobs, and polls printer status until ctx ends.
func (q *printQueue) start(ctx context.Context) error {
	ids, err := q.s.store.RecoverSending(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		q.s.log.Warn("print job was being sent when the server stopped: marked unconfirmed", "job", id)
	}
	q.mu.Lock()
	q.ctx = ctx
	q.mu.Unlock()
	jobs, err := q.s.store.QueuedJobs(ctx)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if j.Addr == "" { // stored before jobs recorded their printer's address
			e, _, err := q.s.stationPrinter(ctx, j.Station)
			if err != nil {
				return err
			}
			if err := q.s.store.SetJobPrinter(ctx, j.ID, e.p.String(), e.addr); err != nil {
				return err
			}
			j.Addr = e.addr
		}
		q.wake(j.Addr)
	}
	q.s.wg.Add(1)
	go func() {
		defer q.s.wg.Done()
		q.pollLoop(ctx)
	}()
	return nil
}

// wake starts the sender for addr, or tells it to look at its queue again.
func (q *printQueue) wake(addr string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.ctx == nil || q.ctx.Err() != nil {
		return // not started, or closing: queued jobs wait for the next start
	}
	ch, ok := q.senders[addr]
	if !ok {
		ch = make(chan struct{}, 1)
		q.senders[addr] = ch
		q.s.wg.Add(1)
		go func() {
			defer q.s.wg.Done()
			q.send(q.ctx, addr, ch)
		}()
	}
	select {
	case ch <- struct{}{}:
	default: // already woken
	}
}

// send is the sender of one printer: it sends the oldest queued job once
// it is due, then the next, and sleeps when there is none.
func (q *printQueue) send(ctx context.Context, addr string, wake <-chan struct{}) {
	for {
		var timer <-chan time.Time
		job, err := q.s.store.NextQueuedJob(ctx, addr)
		switch {
		case ctx.Err() != nil:
			return
		case oms.ErrorCode(err) == oms.ENotFound:
		case err != nil:
			q.s.log.Error("print queue", "printer", addr, "err", err)
			timer = time.After(time.Second)
		default:
			if wait := q.due(job); wait > 0 {
				timer = time.After(wait)
			} else {
				q.sendJob(ctx, addr, job)
				continue
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-timer:
		}
	}
}

// due returns how long the job still waits out its backoff.
func (q *printQueue) due(job *store.PrintJob) time.Duration {
	if job.NextAttemptAt == "" {
		return 0
	}
	at, err := time.Parse(time.RFC3339Nano, job.NextAttemptAt)
	if err != nil {
		return 0
	}
	return at.Sub(q.s.store.Now())
}

// sendJob sends one job and records its outcome. The outcome is written
// even when ctx ended during the send (the server is closing), so a job is
// never left "sending" by an orderly stop.
func (q *printQueue) sendJob(ctx context.Context, addr string, job *store.PrintJob) {
	e, err := q.s.printerAt(ctx, addr)
	if err != nil {
		q.s.log.Error("print queue: printer", "printer", addr, "err", err)
		return
	}
	if perr := q.readyToSend(ctx, e, job); perr != nil {
		bg := context.WithoutCancel(ctx)
		if err := q.record(bg, e, job, perr); err != nil {
			q.s.log.Error("print queue: record outcome", "job", job.ID, "err", err)
		}
		q.changed(bg, job.ID)
		q.s.printerOutcome(bg, e, job.Station, perr)
		q.s.broadcastCounts(bg)
		return
	}
	if err := q.s.store.StartSending(ctx, job.ID); err != nil {
		if oms.ErrorCode(err) != oms.EConflict {
			q.s.log.Error("print queue", "job", job.ID, "err", err)
		}
		return
	}
	q.changed(ctx, job.ID)

	perr := e.p.Print(ctx, job.ID, job.Data)
	bg := context.WithoutCancel(ctx)
	if err := q.record(bg, e, job, perr); err != nil {
		q.s.log.Error("print queue: record outcome", "job", job.ID, "err", err)
	}
	q.changed(bg, job.ID)
	q.s.printerOutcome(bg, e, job.Station, perr)
	q.s.broadcastCounts(bg)
}

// readyToSend asks a printer that answers ~HS for its state before the job
// is marked "sending", and returns a JobError that nothing was sent when the
// printer is not ready or not answering. So "sending" means the printer was
// ready a moment ago and the bytes are on their way: a job the server finds
// "sending" after a crash may really have printed, while one that only
// waited for an answer stays queued and prints by itself.
func (q *printQueue) readyToSend(ctx context.Context, e *printerEntry, job *store.PrintJob) error {
	sr, ok := e.p.(printer.StatusReader)
	if !ok || e.noStatus {
		return nil
	}
	st, err := sr.Status(ctx)
	jobErr := &printer.JobError{Job: job.ID, Printer: e.p.String(), Len: len(job.Data), Err: err}
	switch {
	case err != nil:
		jobErr.Kind = printer.ErrUnreachable
		return jobErr
	case !st.Ready():
		jobErr.Kind, jobErr.Status = printer.ErrNotReady, &st
		return jobErr
	}
	return nil
}

// record stores what became of one send (see printQueue).
func (q *printQueue) record(ctx context.Context, e *printerEntry, job *store.PrintJob, perr error) error {
	var je *printer.JobError
	switch {
	case perr == nil:
		q.s.log.Info("print job printed", "job", job.ID, "printer", e.p.String(), "bytes", len(job.Data))
		return q.s.store.SetJobStatus(ctx, job.ID, store.JobPrinted, "")
	case !errors.As(perr, &je):
		q.s.log.Error("print job failed", "job", job.ID, "printer", e.p.String(), "err", perr)
		return q.s.store.SetJobStatus(ctx, job.ID, store.JobFailed, perr.Error())
	case je.SafeToRetry():
		wait := q.s.cfg.PrintRetry(job.Attempts + 1)
		q.s.log.Warn("print job waits for the printer", "job", job.ID, "printer", e.p.String(),
			"reason", retryReason(je), "attempt", job.Attempts+1, "retry_in", wait, "err", perr)
		return q.s.store.RetryJob(ctx, job.ID, retryReason(je), q.s.store.Now().Add(wait))
	case errors.Is(perr, printer.ErrNotConfirmed) && errors.Is(perr, printer.ErrNoStatus):
		q.s.log.Info("print job sent (printer not asked)", "job", job.ID, "printer", e.p.String())
		return q.s.store.SetJobStatus(ctx, job.ID, store.JobSent, "")
	default:
		q.s.log.Error("print job not confirmed", "job", job.ID, "printer", e.p.String(), "err", perr)
		return q.s.store.SetJobStatus(ctx, job.ID, store.JobUnconfirmed, perr.Error())
	}
}

// retryReason says in a packer's words why a job that was not sent waits.
func retryReason(je *printer.JobError) string {
	switch {
	case je.Kind == printer.ErrNotReady && je.Status != nil:
		return strings.Join(je.Status.Problems(), ", ")
	case je.Kind == printer.ErrUnreachable:
		return "printer unreachable"
	case je.Kind == nil:
		return "not sent: the server was stopping"
	}
	return je.Kind.Error()
}

// submit wakes the sender of the job's printer and waits up to PrintWait
// for the job's first outcome (printed, sent, unconfirmed, failed, or put
// back after a try); it returns the job as it is then.
func (q *printQueue) submit(ctx context.Context, job *store.PrintJob) (*store.JobSummary, error) {
	ch := q.waitFor(job.ID)
	defer q.stopWaiting(job.ID, ch)
	q.wake(job.Addr)
	timeout := time.After(max(q.s.cfg.PrintWait, 0))
	for {
		sum, err := q.s.store.JobSummary(ctx, job.ID)
		if err != nil || answered(sum) {
			return sum, err
		}
		select {
		case <-ch:
		case <-timeout:
			return sum, nil
		case <-ctx.Done():
			return sum, nil
		}
	}
}

// answered reports whether a job has had an outcome to tell.
func answered(j *store.JobSummary) bool {
	return j.Status != store.JobSending && (j.Status != store.JobQueued || j.Attempts > 0)
}

func (q *printQueue) waitFor(id string) chan struct{} {
	ch := make(chan struct{}, 1)
	q.mu.Lock()
	q.waiters[id] = append(q.waiters[id], ch)
	q.mu.Unlock()
	return ch
}

func (q *printQueue) stopWaiting(id string, ch chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	ws := q.waiters[id]
	for i, w := range ws {
		if w == ch {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(q.waiters, id)
	} else {
		q.waiters[id] = ws
	}
}

// changed tells waiters and the job's station pages that a job changed.
func (q *printQueue) changed(ctx context.Context, id string) {
	q.mu.Lock()
	for _, ch := range q.waiters[id] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	q.mu.Unlock()
	q.s.publishJob(ctx, id)
}

// jobMsg tells a station's pages that one of its print jobs changed.
type jobMsg struct {
	Type string            `json:"type"` // "job"
	Job  *store.JobSummary `json:"job"`
}

// jobsMsg lists a station's print jobs that are not done.
type jobsMsg struct {
	Type string             `json:"type"` // "jobs"
	Jobs []store.JobSummary `json:"jobs"`
}

// publishJob pushes a job's state to its station's pages.
func (s *Server) publishJob(ctx context.Context, id string) {
	sum, err := s.store.JobSummary(ctx, id)
	if err != nil {
		s.log.Error("print job update", "job", id, "err", err)
		return
	}
	s.hub.publish("pack:"+sum.Station, jobMsg{Type: "job", Job: sum})
}

// stationJobs lists a station's open print jobs for its page.
func (s *Server) stationJobs(ctx context.Context, station string) (jobsMsg, error) {
	jobs, err := s.store.OpenStationJobs(ctx, station, 50)
	return jobsMsg{Type: "jobs", Jobs: jobs}, err
}

// printerAddr returns the address a station's printer settings point at:
// its own printer, else the server's default, else the spool folder.
func (s *Server) printerAddr(c store.PrinterConfig) (string, error) {
	name, spool := strings.CutPrefix(c.Addr, "spool:")
	switch {
	case c.Addr != "" && !spool:
		return c.Addr, nil
	case c.Addr == "" && s.cfg.Printer != "":
		return s.cfg.Printer, nil
	}
	// A station's own spool folder (spool:NAME) is inside the server's.
	dir, err := filepath.Abs(filepath.Join(s.cfg.SpoolDir, name))
	if err != nil {
		return "", fmt.Errorf("spool folder: %w", err)
	}
	return "spool:" + dir, nil
}

// stationPrinter returns the printer a station's jobs go to and the
// station's printer settings (for building labels at its resolution).
func (s *Server) stationPrinter(ctx context.Context, station string) (*printerEntry, store.PrinterConfig,
	error) {
	c, err := s.store.StationPrinterConfig(ctx, station)
	if err != nil {
		return nil, c, err
	}
	addr, err := s.printerAddr(c)
	if err != nil {
		return nil, c, err
	}
	e, err := s.driver(addr, c)
	return e, c, err
}

// labelPrinter is what the label templates need to know of a station's
// printer.
func labelPrinter(c store.PrinterConfig) labels.Printer {
	return labels.Printer{DPI: c.DPI, Width: labels.Length(c.WidthMM)}
}

// printerAt returns the driver for addr, set up as the station that uses it
// says (the default settings when none does).
func (s *Server) printerAt(ctx context.Context, addr string) (*printerEntry, error) {
	cfgs, err := s.store.StationPrinterConfigs(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cfgs {
		if a, err := s.printerAddr(c); err == nil && a == addr {
			return s.driver(addr, c)
		}
	}
	return s.driver(addr, store.DefaultPrinterConfig(""))
}

// driver returns the one driver kept for addr, so one job at a time reaches
// each printer; it is made anew when the status setting changed.
func (s *Server) driver(addr string, c store.PrinterConfig) (*printerEntry, error) {
	noStatus := c.Status == store.StatusQueryNone
	s.printersMu.Lock()
	defer s.printersMu.Unlock()
	if e, ok := s.printers[addr]; ok && e.noStatus == noStatus {
		return e, nil
	}
	p, err := printer.Open(addr, printer.Info{DPI: c.DPI, WidthMM: c.WidthMM})
	if err != nil {
		return nil, oms.Errorf(oms.EInvalid, "printer of station %s: %v", c.Station, err)
	}
	switch d := p.(type) {
	case *printer.TCP:
		d.Timeouts = s.cfg.PrinterTimeouts
		d.SkipStatus(noStatus)
	case *printer.Serial:
		d.Timeouts = s.cfg.PrinterTimeouts
		d.SkipStatus(noStatus)
	case *printer.USB:
		d.Timeouts = s.cfg.PrinterTimeouts
		d.SkipStatus(noStatus)
	}
	if old, ok := s.printers[addr]; ok {
		closeDriver(old.p)
	}
	e := &printerEntry{addr: addr, p: p, noStatus: noStatus}
	s.printers[addr] = e
	return e, nil
}

// closeDrivers closes every printer driver, at shutdown.
func (s *Server) closeDrivers() {
	s.printersMu.Lock()
	defer s.printersMu.Unlock()
	for _, e := range s.printers {
		closeDriver(e.p)
	}
}

func closeDriver(p printer.Printer) {
	if c, ok := p.(interface{ Close() error }); ok {
		c.Close()
	}
}
