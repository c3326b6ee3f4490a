package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	// The zone database is built in, so --tz works on a machine without
	// /usr/share/zoneinfo (a minimal container); it adds about 450 KB.
	_ "time/tzdata"

	"github.com/shipshape-oms/shipshape/server"
)

// envOr returns the environment variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) (bool, error) {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, usageError{fmt.Sprintf("%s: %q is not true or false", name, v)}
	}
	return b, nil
}

// envInt returns the environment variable as a whole number of at least 0,
// or def when it is unset.
func envInt(name string, def int64) (int64, error) {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, usageError{fmt.Sprintf("%s: %q is not a whole number of 0 or more", name, v)}
	}
	return n, nil
}

// serveConfig is what `serve` was asked to do.
type serveConfig struct {
	server.Config
	LogLevel  string
	LogFormat string
}

func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	var c serveConfig
	demo, err := envBool("SHIPSHAPE_DEMO", false)
	if err != nil {
		return c, err
	}
	threshold, err := envInt("SHIPSHAPE_COUNT_THRESHOLD", 5)
	if err != nil {
		return c, err
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", envOr("SHIPSHAPE_ADDR", "127.0.0.1:8080"), "listen address")
	fs.StringVar(&c.DBPath, "db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	fs.StringVar(&c.SpoolDir, "spool", envOr("SHIPSHAPE_SPOOL", "spool"), "label spool folder")
	fs.StringVar(&c.Printer, "printer", envOr("SHIPSHAPE_PRINTER", ""), "default raw TCP printer HOST:PORT")
	fs.BoolVar(&c.Demo, "demo", demo, "seed the demo warehouse into an empty database")
	fs.Int64Var(&c.CountThreshold, "count-threshold", threshold,
		"largest cycle-count variance in units applied without a supervisor (0: none)")
	tz := fs.String("tz", envOr("SHIPSHAPE_TZ", ""),
		"warehouse time zone, an IANA name such as Europe/London (default: this machine's)")
	fs.StringVar(&c.EasyPostURL, "easypost-url", envOr("SHIPSHAPE_EASYPOST_URL", ""),
		"EasyPost API URL, e.g. https://api.easypost.com (none: EasyPost is off)")
	fs.StringVar(&c.EasyPostKey, "easypost-key", envOr("SHIPSHAPE_EASYPOST_KEY", ""), "EasyPost API key")
	fs.StringVar(&c.LogLevel, "log-level", envOr("SHIPSHAPE_LOG_LEVEL", "info"), "log level")
	fs.StringVar(&c.LogFormat, "log-format", envOr("SHIPSHAPE_LOG_FORMAT", "text"), "log format")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	if (c.EasyPostURL == "") != (c.EasyPostKey == "") {
		return c, usageError{"--easypost-url and --easypost-key go together: give both to use EasyPost, " +
			"or neither"}
	}
	if c.Zone, err = loadZone(*tz); err != nil {
		return c, err
	}
	switch {
	case c.CountThreshold < 0:
		return c, usageError{fmt.Sprintf("--count-threshold: %d: must be 0 or more", c.CountThreshold)}
	case c.CountThreshold == 0:
		// server.Config reads 0 as "the default"; below 0 sends every
		// variance to a supervisor, which is what 0 means here.
		c.CountThreshold = -1
	}
	return c, nil
}

// loadZone returns the named IANA time zone, or the machine's own when name
// is empty.
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, usageError{fmt.Sprintf("--tz: %q is not a time zone name such as Europe/London", name)}
	}
	return loc, nil
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("log level %q: want debug, info, warn or error", level)}
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, usageError{fmt.Sprintf("log format %q: want text or json", format)}
	}
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseServe(args, stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, c.LogLevel, c.LogFormat)
	if err != nil {
		return err
	}
	srv, err := server.New(ctx, c.Config, log)
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		srv.Close()
		return err
	}
	u := srv.URL()
	fmt.Fprintf(stdout, "Shipshape is running.\n  picker:    %[1]s/pick\n  packer:    %[1]s/pack?station=S1\n"+
		"  stock:     %[1]s/stock\n  dashboard: %[1]s/dashboard\n  audit:     %[1]s/audit\n"+
		"  API:       %[1]s/api/v1/orders\nPress Ctrl+C to stop.\n", u)
	<-ctx.Done()
	log.Info("shutting down")
	return srv.Close()
}
