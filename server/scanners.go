package server

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/devices/scanner"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// scanners runs a driver for every enabled scanner in the database and
// follows changes to their configuration.
type scanners struct {
	mu      sync.Mutex // held through a whole sync
	base    context.Context
	version int64 // the store's ScannersVersion last synced; -1 before the first
	running map[string]*runningScanner
}

// runningScanner is one driver's goroutine and the config it runs with.
type runningScanner struct {
	cfg    store.Scanner
	cancel context.CancelFunc
	done   chan struct{}
}

// startScanners starts the configured scanners, their drivers living until
// ctx is done. Close waits for them through s.wg.
func (s *Server) startScanners(ctx context.Context) {
	s.scanners.mu.Lock()
	s.scanners.base, s.scanners.version = ctx, -1
	s.scanners.running = map[string]*runningScanner{}
	s.scanners.mu.Unlock()
	s.syncScanners(ctx)
}

// syncScanners makes the running drivers match the database when its
// scanners changed since the last look: a removed, disabled or changed
// scanner is stopped (and a changed one started again with its new config).
// The watch loop calls it every poll, so a change made with the CLI takes
// effect within the poll interval; the REST API calls it at once.
func (s *Server) syncScanners(ctx context.Context) {
	m := &s.scanners
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.base == nil || m.base.Err() != nil {
		return // not started, or shutting down
	}
	v, err := s.store.ScannersVersion(ctx)
	if err != nil || v == m.version {
		if err != nil {
			s.log.Error("scanners", "err", err)
		}
		return
	}
	list, err := s.store.Scanners(ctx)
	if err != nil {
		s.log.Error("scanners", "err", err)
		return
	}
	m.version = v
	s.stopChangedScanners(list)
	for _, sc := range list {
		if _, ok := m.running[sc.Name]; !ok && sc.Enabled {
			s.runScanner(sc)
		}
	}
}

// stopChangedScanners stops every running driver whose scanner is not in
// list as it runs, and forgets its state.
func (s *Server) stopChangedScanners(list []store.Scanner) {
	want := map[string]store.Scanner{}
	for _, sc := range list {
		if sc.Enabled {
			want[sc.Name] = sc
		}
	}
	for name, r := range s.scanners.running {
		sc, ok := want[name]
		if ok && sameScannerConfig(sc, r.cfg) {
			continue
		}
		r.cancel()
		<-r.done
		delete(s.scanners.running, name)
		s.dropDevice(DeviceScanner, name, r.cfg.Station)
		s.log.Info("scanner stopped", "scanner", name, "station", r.cfg.Station)
	}
}

// sameScannerConfig compares what a driver runs with, not when it was saved.
func sameScannerConfig(a, b store.Scanner) bool {
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = "", "", "", ""
	return reflect.DeepEqual(a, b)
}

// runScanner starts sc's driver in its own goroutine. Called with
// s.scanners.mu held.
func (s *Server) runScanner(sc store.Scanner) {
	d, err := sc.Driver(func(err error) {
		// A USB scanner's reports that do not decode: usually a keyboard
		// layout that is not the one the scanner was set up for.
		s.log.Warn("scanner report not decoded", "scanner", sc.Name, "err", err)
	})
	if err != nil {
		// The store validated it with the same constructor; a config edited
		// by hand in the database can still be wrong.
		s.log.Error("scanner not started", "scanner", sc.Name, "err", err)
		s.setDevice(DeviceState{Kind: DeviceScanner, Name: sc.Name, Station: sc.Station,
			State: "offline", Detail: err.Error()})
		return
	}
	ctx, cancel := context.WithCancel(s.scanners.base)
	r := &runningScanner{cfg: sc, cancel: cancel, done: make(chan struct{})}
	s.scanners.running[sc.Name] = r
	s.log.Info("scanner started", "scanner", sc.Name, "station", sc.Station, "device", sc.Summary())
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(r.done)
		events := &scannerEvents{s: s, cfg: sc}
		if err := d.Run(ctx, events.handle); err != nil {
			s.log.Error("scanner stopped", "scanner", sc.Name, "err", err)
			s.setDevice(DeviceState{Kind: DeviceScanner, Name: sc.Name, Station: sc.Station,
				State: "offline", Detail: err.Error()})
		}
	}()
}

// scannerEvents handles one running scanner's events, from its driver's
// goroutine only.
type scannerEvents struct {
	s        *Server
	cfg      store.Scanner
	lastCode string    // the last scan that counted
	lastAt   time.Time // and when it was read
}

func (e *scannerEvents) handle(ev scanner.Event) {
	st := DeviceState{Kind: DeviceScanner, Name: e.cfg.Name, Station: e.cfg.Station, Since: ev.At}
	switch ev.Kind {
	case scanner.Online:
		st.State = "online"
		e.s.setDevice(st)
	case scanner.Offline:
		st.State, st.Detail = "offline", ev.Err
		e.s.setDevice(st)
	case scanner.Scanned:
		e.scanned(ev)
	}
}

// scanned sends a scan down the station's scan pipeline, unless it is a
// double trigger: the same code again within the scanner's dedupe window of
// the one that counted.
func (e *scannerEvents) scanned(ev scanner.Event) {
	if ev.Data == e.lastCode && ev.At.Sub(e.lastAt) < e.cfg.Dedupe() {
		e.s.log.Debug("scanner double trigger dropped", "scanner", e.cfg.Name, "station", e.cfg.Station,
			"after", ev.At.Sub(e.lastAt))
		return
	}
	e.lastCode, e.lastAt = ev.Data, ev.At

	// A scan that arrived is finished even while the server stops: Close
	// waits for it before closing the database.
	ctx := context.WithoutCancel(e.s.scanners.base)
	packer, err := e.s.store.StationPacker(ctx, e.cfg.Station)
	if err != nil {
		e.s.log.Error("scanner scan", "scanner", e.cfg.Name, "err", err)
	}
	if packer == "" {
		packer = "scanner " + e.cfg.Name
	}
	topic := "pack:" + e.cfg.Station
	src := scanSource{user: packer, topic: topic,
		reply: func(msg any) { e.s.hub.publish(topic, msg) },
		fail:  e.fail}
	cmdID := fmt.Sprintf("dev:%s:%d", e.cfg.Name, ev.At.UnixNano())
	e.s.stationScan(ctx, src, e.cfg.Station, cmdID, ev.Data, e.cfg.DecodeConfig())
}

func (e *scannerEvents) fail(typ string, err error) {
	e.s.log.Warn("scanner command refused", "scanner", e.cfg.Name, "station", e.cfg.Station,
		"type", typ, "err", err)
}

// scannersReply is GET /api/v1/scanners: every station and every scanner.
type scannersReply struct {
	Stations []string        `json:"stations"`
	Scanners []store.Scanner `json:"scanners"`
}

func (s *Server) scannerRoutes(api *echo.Group) {
	api.GET("/scanners", s.handleListScanners)
	api.PUT("/scanners/:name", s.handlePutScanner)
	api.DELETE("/scanners/:name", s.handleDeleteScanner)
}

func (s *Server) handleListScanners(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.store.Scanners(ctx)
	if err != nil {
		return err
	}
	stations, err := s.store.Stations(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, scannersReply{Stations: stations, Scanners: list})
}

// handlePutScanner creates or replaces a scanner. Fields left out of the
// body get a new scanner's defaults (enabled, 300 ms dedupe), so a PUT
// always says the whole configuration.
func (s *Server) handlePutScanner(c echo.Context) error {
	sc := store.NewScanner(c.Param("name"))
	if err := decodeJSON(c, &sc); err != nil {
		return err
	}
	if sc.Name != c.Param("name") {
		return oms.Errorf(oms.EInvalid, "name %s: must match the path's %s (rename by removing and adding)",
			oms.QuoteShort(sc.Name), oms.QuoteShort(c.Param("name")))
	}
	ctx := c.Request().Context()
	saved, created, err := s.store.PutScanner(ctx, actor(c), sc)
	if err != nil {
		return err
	}
	s.log.Info("scanner configured", "scanner", saved.Name, "station", saved.Station,
		"device", saved.Summary(), "user", actor(c))
	s.syncScanners(ctx)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, saved)
}

func (s *Server) handleDeleteScanner(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.store.RemoveScanner(ctx, actor(c), c.Param("name")); err != nil {
		return err
	}
	s.log.Info("scanner removed", "scanner", c.Param("name"), "user", actor(c))
	s.syncScanners(ctx)
	return c.NoContent(http.StatusNoContent)
}
