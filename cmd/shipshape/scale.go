package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/shipshape-oms/shipshape/devices/scale"
	"github.com/shipshape-oms/shipshape/server/store"
)

// runStationScale sets a station's scale: `station scale S1 --port DEV
// [--baud 9600] [--protocol nci|sma|continuous]`; --port "" removes it.
// Only the flags given change; with none it prints the settings. The
// server reads the settings at each weighing, so a change applies at once.
func runStationScale(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("station scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	user := fs.String("user", envOr("SHIPSHAPE_USER", envOr("USER", "cli")), "who is changing it")
	u := scaleFlags(fs)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{fmt.Sprintf("station scale takes one station id, got %q", rest)}
	}
	st, err := openForCLI(ctx, *db, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	var c store.ScaleConfig
	if *u == (store.ScaleUpdate{}) {
		c, err = st.StationScale(ctx, rest[0])
	} else {
		c, err = st.UpdateStationScale(ctx, *user, rest[0], *u)
	}
	if err != nil {
		return err
	}
	return writeJSON(stdout, c)
}

// scaleFlags adds --port, --baud and --protocol to fs, each recorded only
// when given.
func scaleFlags(fs *flag.FlagSet) *store.ScaleUpdate {
	var u store.ScaleUpdate
	fs.Func("port", "serial port of the scale (\"\" removes it)", func(v string) error {
		u.Port = &v
		return nil
	})
	fs.Func("baud", "baud rate (9600)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
		u.Baud = &n
		return nil
	})
	fs.Func("protocol", "nci, sma or continuous (nci)", func(v string) error { u.Protocol = &v; return nil })
	return &u
}

// runScale reads a scale once through the server's driver: `scale read
// PORT [--baud N] [--protocol P]`, printing {"grams", "stable", "raw"}.
// A weight in motion, over capacity or below zero is an error (exit 1).
func runScale(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) < 1 || args[0] != "read" {
		return usageError{"scale needs read PORT [--baud N] [--protocol nci|sma|continuous]"}
	}
	fs := flag.NewFlagSet("scale read", flag.ContinueOnError)
	fs.SetOutput(stderr)
	baud := fs.Int("baud", scale.DefaultBaud, "baud rate")
	protocol := fs.String("protocol", scale.NCI, "nci, sma or continuous")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{fmt.Sprintf("scale read takes one port, got %q", rest)}
	}
	s, err := scale.NewSerial(scale.Config{Port: rest[0], Baud: *baud, Protocol: *protocol})
	if err != nil {
		return usageError{err.Error()}
	}
	r, err := s.Read(ctx)
	if err != nil {
		return fmt.Errorf("scale %s: %w", rest[0], err)
	}
	return writeJSON(stdout, map[string]any{"grams": r.Grams, "stable": r.Stable, "raw": r.Raw})
}
