// Package server is Shipshape's HTTP and websocket server: the REST API for
// integrators, the pages of the PWA, and one websocket per open page through
// which pickers, packers and the dashboard get their work and verdicts pushed.
// Business rules live in oms and store; handlers decode, call, encode.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/devices/printer"
	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/courier/easypost"
	"github.com/shipshape-oms/shipshape/server/store"
)

// Config is how a Server is set up. Zero values get the documented defaults.
type Config struct {
	Addr     string // listen address; default 127.0.0.1:8080
	DBPath   string // SQLite file; default shipshape.db
	SpoolDir string // labels go here when a station has no printer; default spool
	Printer  string // HOST:PORT of the default raw TCP (9100) printer; "" for the spool
	Demo     bool   // seed the demo warehouse when the database is empty

	// PollInterval is how often the server looks for work that arrived from
	// outside (a CLI import into the same database); default 2s.
	PollInterval time.Duration

	// CountThreshold is the largest variance, in units either way, that a
	// blind cycle count applies without a supervisor; default 5. Negative
	// means none does: every variance waits for a supervisor.
	CountThreshold int64

	// Zone is the warehouse's time zone: API times given without an offset
	// (a ring fence's start and end) are read in it; default time.Local.
	Zone *time.Location

	// PrintWait is how long a request that prints waits for its job's
	// first outcome before answering with the job still queued; default
	// 2s, negative for no wait.
	PrintWait time.Duration
	// PrinterPoll is how often each station printer is asked ~HS, and
	// printer settings changed from outside are picked up; default 5s.
	PrinterPoll time.Duration
	// PrintRetry is how long a job waits after its nth try found the
	// printer not ready; default RetryBackoff.
	PrintRetry func(attempts int) time.Duration
	// PrinterTimeouts bound each step of a job on network, USB and serial
	// printers; zero fields take the driver's defaults.
	PrinterTimeouts printer.Timeouts

	// EasyPostURL and EasyPostKey, both set, register the EasyPost courier
	// as "easypost"; one without the other is an error. There is no
	// default URL: nothing is sent outside unless it is given.
	EasyPostURL, EasyPostKey string
}

func (c *Config) defaults() {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.DBPath == "" {
		c.DBPath = "shipshape.db"
	}
	if c.SpoolDir == "" {
		c.SpoolDir = "spool"
	}
	if c.PollInterval == 0 {
		c.PollInterval = 2 * time.Second
	}
	if c.CountThreshold == 0 {
		c.CountThreshold = 5
	}
	if c.Zone == nil {
		c.Zone = time.Local
	}
	if c.PrintWait == 0 {
		c.PrintWait = 2 * time.Second
	}
	if c.PrinterPoll == 0 {
		c.PrinterPoll = 5 * time.Second
	}
	if c.PrintRetry == nil {
		c.PrintRetry = RetryBackoff
	}
}

// Server is a running Shipshape server.
type Server struct {
	cfg   Config
	log   *slog.Logger
	store *store.Store
	echo  *echo.Echo
	http  *http.Server
	ln    net.Listener
	hub   *hub

	printersMu sync.Mutex
	printers   map[string]*printerEntry // by address, see print_queue.go
	queue      *printQueue
	devices    deviceStates // scanners' and printers' last known states
	scanners   scanners     // the scanners' drivers, see scanners.go

	couriersMu sync.Mutex
	couriers   map[string]courier.Courier // by configured name, see couriers.go

	countsMu   sync.Mutex
	lastCounts store.Counts

	alertMu    sync.Mutex
	alertLevel map[string]string // last stock alert level per SKU ("" for fine)
	changeMark store.ChangeMark  // how far alerts have looked at stock changes

	closing atomic.Bool    // set first thing in Close
	sockets sync.WaitGroup // websocket handlers, which http.Shutdown does not wait for
	stop    context.CancelFunc
	wg      sync.WaitGroup
	closeMu sync.Once
}

// New opens the database (applying migrations), seeds the demo warehouse if
// asked and the database is empty, and prepares the routes. It does not listen
// yet; call Start.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Server, error) {
	cfg.defaults()
	if err := validPrinterAddr(cfg.Printer); err != nil {
		return nil, fmt.Errorf("--printer: %w", err)
	}
	st, err := store.Open(ctx, cfg.DBPath)
	if err != nil {
		return nil, err
	}
	st.Zone = cfg.Zone
	s := &Server{cfg: cfg, log: log, store: st, hub: newHub(log), printers: map[string]*printerEntry{},
		alertLevel: map[string]string{}, couriers: map[string]courier.Courier{}}
	s.registerCourier(LocalCourier, warehouseLocal{s})
	if err := s.registerEasyPost(); err != nil {
		st.Close()
		return nil, err
	}
	if cfg.Demo {
		if err := SeedDemo(ctx, st, log); err != nil {
			st.Close()
			return nil, err
		}
	}
	s.queue = newPrintQueue(s)
	s.echo = s.routes()
	s.http = &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// registerEasyPost registers the EasyPost courier when it is configured.
func (s *Server) registerEasyPost() error {
	switch {
	case s.cfg.EasyPostURL == "" && s.cfg.EasyPostKey == "":
		return nil
	case s.cfg.EasyPostURL == "" || s.cfg.EasyPostKey == "":
		return errors.New("easypost: give both the URL and the key (--easypost-url and --easypost-key)")
	}
	c, err := easypost.New(easypost.Config{APIKey: s.cfg.EasyPostKey, BaseURL: s.cfg.EasyPostURL})
	if err != nil {
		return err
	}
	s.registerCourier("easypost", c)
	return nil
}

// Store returns the server's store, for tests and the CLI.
func (s *Server) Store() *store.Store { return s.store }

// Start opens the listener (so a busy port fails here, at once) and serves in
// the background until Close.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	if err := s.queue.start(ctx); err != nil {
		cancel()
		ln.Close()
		return fmt.Errorf("print queue: %w", err)
	}
	s.startScanners(ctx)
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server stopped", "err", err)
		}
	}()
	go func() {
		defer s.wg.Done()
		s.watch(ctx)
	}()
	s.log.Info("shipshape serving", "url", s.URL(), "db", s.cfg.DBPath)
	return nil
}

// URL is the base URL the server answers on, e.g. http://127.0.0.1:8080.
func (s *Server) URL() string {
	if s.ln == nil {
		return "http://" + s.cfg.Addr
	}
	return "http://" + s.ln.Addr().String()
}

// Close shuts down in order: HTTP (no new requests), the websocket hub, the
// background workers, then the database. It is safe to call more than once.
func (s *Server) Close() error {
	var err error
	s.closeMu.Do(func() {
		s.closing.Store(true)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if s.ln != nil {
			// Shutdown waits for requests in flight, and for connections
			// opened but not yet used; past the deadline the rest are cut.
			if err = s.http.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
				s.log.Warn("shutdown deadline passed: closing the remaining connections")
				err = s.http.Close()
			}
		}
		s.hub.close()
		s.sockets.Wait()
		if s.stop != nil {
			s.stop()
		}
		s.wg.Wait()
		s.closeDrivers()
		err = errors.Join(err, s.store.Close())
		if s.ln != nil {
			s.log.Info("shipshape stopped")
		}
	})
	return err
}

// watch notices changes made outside this process (a CLI import into the same
// database) and pushes them: new counts to the dashboard, new tasks to idle
// pickers.
func (s *Server) watch(ctx context.Context) {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	fencesUpTo := s.store.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// Ring fences that start or end by the clock change what the
			// channels may sell with no transaction behind them.
			now := s.store.Now()
			if err := s.store.SyncFenceTimes(ctx, fencesUpTo, now); err != nil {
				s.log.Error("ring fence times", "err", err)
			} else {
				fencesUpTo = now
			}
			s.broadcastCounts(ctx)
			s.offerTasks(ctx)
			s.alertFromChanges(ctx)
			s.syncScanners(ctx)
		}
	}
}
