package server

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer"
	"github.com/shipshape-oms/shipshape/server/store"
)

// Printer states as the floor sees them (DeviceState.State): "online", a
// problem from printer.Status.Problems ("paper out", "head open", "paused",
// "ribbon out"…), or one of these.
const (
	printerOnline      = "online"
	printerOffline     = "offline"          // cannot be reached
	printerNotAnswered = "not answering"    // takes a connection but does not answer ~HS
	printerNotAsked    = "status not asked" // printer_status "none"
)

// pollLoop asks every station printer for its status each PrinterPoll, and
// picks up printer settings changed from outside (the CLI).
func (q *printQueue) pollLoop(ctx context.Context) {
	q.pollOnce(ctx)
	t := time.NewTicker(q.s.cfg.PrinterPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			q.pollOnce(ctx)
		case <-q.pollNow:
			q.pollOnce(ctx)
		}
	}
}

// pollOnce polls each printer address a station uses, once.
func (q *printQueue) pollOnce(ctx context.Context) {
	cfgs, err := q.s.store.StationPrinterConfigs(ctx)
	if err != nil {
		if ctx.Err() == nil {
			q.s.log.Error("printer status", "err", err)
		}
		return
	}
	seen := map[string]store.PrinterConfig{}
	for _, c := range cfgs {
		addr, err := q.s.printerAddr(c)
		if err == nil {
			q.retarget(ctx, c, addr)
		}
		if _, dup := seen[addr]; err != nil || dup {
			continue // TODO: a printer shared by stations shows on the first one's page only
		}
		seen[addr] = c
	}
	q.forgetPrinters(seen)
	for addr, c := range seen {
		if ctx.Err() != nil {
			return
		}
		e, err := q.s.driver(addr, c)
		if err != nil {
			q.s.setDevice(DeviceState{Kind: DevicePrinter, Name: addr, Station: c.Station,
				State: printerOffline, Detail: err.Error()})
			continue
		}
		q.s.pollPrinter(ctx, e, c.Station)
	}
}

// retarget sends a station's queued labels to its printer as configured
// now, when they were queued for one it no longer uses (the address was
// changed with the CLI or the API).
func (q *printQueue) retarget(ctx context.Context, c store.PrinterConfig, addr string) {
	e, err := q.s.driver(addr, c)
	if err != nil {
		return
	}
	n, err := q.s.store.RetargetQueued(ctx, c.Station, e.p.String(), addr)
	switch {
	case err != nil && ctx.Err() == nil:
		q.s.log.Error("print queue: retarget", "station", c.Station, "err", err)
	case n > 0:
		q.s.log.Info("queued labels moved to the station's printer", "station", c.Station,
			"printer", e.p.String(), "jobs", n)
		q.wake(addr)
	}
}

// forgetPrinters drops the device state of printers no station uses now.
func (q *printQueue) forgetPrinters(now map[string]store.PrinterConfig) {
	q.mu.Lock()
	old := q.polled
	q.polled = now
	q.mu.Unlock()
	for addr, c := range old {
		if n, ok := now[addr]; !ok || n.Station != c.Station {
			q.s.dropDevice(DevicePrinter, addr, c.Station)
		}
	}
}

// pollPrinter asks one printer ~HS (when it is asked at all) and records
// its state.
func (s *Server) pollPrinter(ctx context.Context, e *printerEntry, station string) {
	sr, ok := e.p.(printer.StatusReader)
	switch {
	case !ok:
		s.printerState(ctx, e, station, printerOnline, e.p.String())
		return
	case e.noStatus:
		s.printerState(ctx, e, station, printerNotAsked, "jobs are sent without asking ~HS")
		return
	}
	pctx, cancel := context.WithTimeout(ctx, s.cfg.PrinterPoll+10*time.Second)
	defer cancel()
	st, err := sr.Status(pctx)
	switch {
	case ctx.Err() != nil:
	case errors.Is(err, printer.ErrNoAnswer):
		s.printerState(ctx, e, station, printerNotAnswered, noAnswerDetail)
	case err != nil:
		s.printerState(ctx, e, station, printerOffline, err.Error())
	case !st.Ready():
		p := st.Problems()
		s.printerState(ctx, e, station, p[0], strings.Join(p, ", "))
	default:
		s.printerState(ctx, e, station, printerOnline, "")
	}
}

// noAnswerDetail is the one detail of a printer that does not answer ~HS:
// the error itself names a new local port on every try, which would make an
// unchanged state look new at every poll.
const noAnswerDetail = "connects but does not answer ~HS: check it is a ZPL printer, " +
	"or set its status to none"

// printerOutcome records what a job's outcome says of its printer.
func (s *Server) printerOutcome(ctx context.Context, e *printerEntry, station string, perr error) {
	var je *printer.JobError
	switch {
	case perr == nil:
		s.printerState(ctx, e, station, printerOnline, "")
	case !errors.As(perr, &je) || je.Kind == nil:
	case je.Status != nil && !je.Status.Ready():
		p := je.Status.Problems()
		s.printerState(ctx, e, station, p[0], strings.Join(p, ", "))
	case errors.Is(perr, printer.ErrNoStatus):
		s.printerState(ctx, e, station, printerNotAsked, "jobs are sent without asking ~HS")
	case errors.Is(perr, printer.ErrNoAnswer):
		s.printerState(ctx, e, station, printerNotAnswered, noAnswerDetail)
	case je.Kind == printer.ErrUnreachable:
		s.printerState(ctx, e, station, printerOffline, perr.Error())
	}
}

// printerState records a printer's state (see setDevice). A printer that
// is ready has its queued jobs sent at once, without waiting out their
// backoff.
func (s *Server) printerState(ctx context.Context, e *printerEntry, station, state, detail string) {
	s.setDevice(DeviceState{Kind: DevicePrinter, Name: e.addr, Station: station, State: state,
		Detail: detail})
	if state != printerOnline && state != printerNotAsked {
		return
	}
	n, err := s.store.ClearBackoff(ctx, e.addr)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("print queue", "printer", e.addr, "err", err)
		}
		return
	}
	if n > 0 {
		s.log.Info("printer ready: sending its queued jobs now", "printer", e.addr, "jobs", n)
		s.queue.wake(e.addr)
	}
}

// printerDevice returns the last known state of the printer at addr.
func (s *Server) printerDevice(addr string) (DeviceState, bool) {
	for _, d := range s.devices.list() {
		if d.Kind == DevicePrinter && d.Name == addr {
			return d, true
		}
	}
	return DeviceState{}, false
}

// greetPrinter sends a station page that connects its printer's last known
// state and the station's open print jobs.
func (s *Server) greetPrinter(ctx context.Context, cl *client, station string) {
	addr := ""
	if e, _, err := s.stationPrinter(ctx, station); err == nil {
		addr = e.addr
	}
	mine := []DeviceState{}
	for _, d := range s.devices.list() {
		if d.Station == station || d.Kind == DevicePrinter && d.Name == addr {
			mine = append(mine, d)
		}
	}
	cl.sendJSON(s.log, devicesMsg{Type: "devices", Devices: mine})
	msg, err := s.stationJobs(ctx, station)
	if err != nil {
		s.log.Error("station print jobs", "station", station, "err", err)
		return
	}
	cl.sendJSON(s.log, msg)
}
