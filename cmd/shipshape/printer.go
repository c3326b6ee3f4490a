package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shipshape-oms/shipshape/devices/printer"
	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/store"
)

// runPrinter asks a printer for its status or sends it a ZPL file, through
// the driver the server uses.
func runPrinter(ctx context.Context, args []string, stdout io.Writer) error {
	switch {
	case len(args) == 2 && args[0] == "status":
		return printerStatus(ctx, args[1], stdout)
	case len(args) == 3 && args[0] == "send":
		return printerSend(ctx, args[1], args[2], stdout)
	}
	return usageError{"printer needs status ADDR or send ADDR FILE"}
}

// statusJSON is the ~HS answer as `printer status` prints it.
type statusJSON struct {
	Addr            string   `json:"addr"`
	Ready           bool     `json:"ready"`
	Problems        []string `json:"problems"`
	PaperOut        bool     `json:"paper_out"`
	HeadOpen        bool     `json:"head_open"`
	Paused          bool     `json:"paused"`
	RibbonOut       bool     `json:"ribbon_out"`
	BufferFull      bool     `json:"buffer_full"`
	PartialFormat   bool     `json:"partial_format"`
	FormatsInBuffer int      `json:"formats_in_buffer"`
	LabelsRemaining int      `json:"labels_remaining"`
	LabelLengthDots int      `json:"label_length_dots"`
	Raw             string   `json:"raw"`
}

// printerStatus prints the printer's answer to ~HS as one JSON object; an
// unreachable printer is an error (exit status 1).
func printerStatus(ctx context.Context, addr string, stdout io.Writer) error {
	st, err := printer.QueryStatus(ctx, addr)
	if err != nil {
		return fmt.Errorf("printer status: %w", err)
	}
	out := statusJSON{Addr: addr, Ready: st.Ready(), Problems: st.Problems(), PaperOut: st.PaperOut,
		HeadOpen: st.HeadOpen, Paused: st.Paused, RibbonOut: st.RibbonOut, BufferFull: st.BufferFull,
		PartialFormat: st.PartialFormat, FormatsInBuffer: st.FormatsInBuffer,
		LabelsRemaining: st.LabelsRemaining, LabelLengthDots: st.LabelLengthDots, Raw: st.Raw}
	if out.Problems == nil {
		out.Problems = []string{}
	}
	return writeJSON(stdout, out)
}

// printerSend sends a ZPL file as the server would a courier's label: a
// leading byte-order mark removed, anything that is not ZPL refused. It
// prints the outcome as JSON; a job that did not print is an error.
func printerSend(ctx context.Context, addr, path string, stdout io.Writer) error {
	raw, err := readLabelFile(path)
	if err != nil {
		return fmt.Errorf("printer send: %w", err)
	}
	data, err := labels.Passthrough(raw)
	if err != nil {
		return fmt.Errorf("printer send %s: %w", path, err)
	}
	p, err := printer.Open(addr, printer.Info{})
	if err != nil {
		return fmt.Errorf("printer send: %w", err)
	}
	defer closePrinter(p)
	job := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	perr := p.Print(ctx, job, data)
	out := map[string]any{"job": job, "printer": p.String(), "bytes": len(data), "status": "printed"}
	if perr != nil {
		out["status"], out["error"] = sendStatus(perr), perr.Error()
	}
	if err := writeJSON(stdout, out); err != nil {
		return err
	}
	if perr != nil {
		return fmt.Errorf("printer send: %w", perr)
	}
	return nil
}

// sendStatus names a failed job's outcome as the print queue would.
func sendStatus(err error) string {
	var je *printer.JobError
	switch {
	case !errors.As(err, &je):
		return "failed"
	case je.SafeToRetry():
		return "not sent"
	}
	return "unconfirmed"
}

func closePrinter(p printer.Printer) {
	if c, ok := p.(io.Closer); ok {
		c.Close()
	}
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// runStation configures a station: `station printer S1 --addr … --dpi …
// --width … --status hs|none`. Only the flags given change; the server
// picks the change up within its printer poll.
func runStation(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) >= 1 && args[0] == "scale" {
		return runStationScale(ctx, args[1:], stdout, stderr)
	}
	if len(args) < 2 || args[0] != "printer" {
		return usageError{"station needs printer ID [--addr ADDR] [--dpi N] [--width MM] [--status hs|none]"}
	}
	fs := flag.NewFlagSet("station printer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	user := fs.String("user", envOr("SHIPSHAPE_USER", envOr("USER", "cli")), "who is changing it")
	var u store.PrinterUpdate
	fs.Func("addr", "printer address (tcp:HOST:PORT, usb:VID:PID, serial:DEV[:BAUD], spool:DIR, \"\")",
		func(v string) error { u.Addr = &v; return nil })
	fs.Func("dpi", "203, 300 or 600", func(v string) error {
		n, err := strconv.Atoi(v)
		u.DPI = &n
		return err
	})
	fs.Func("width", "print width in mm", func(v string) error {
		f, err := strconv.ParseFloat(v, 64)
		u.WidthMM = &f
		return err
	})
	fs.Func("status", "hs or none", func(v string) error { u.Status = &v; return nil })
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{fmt.Sprintf("station printer takes one station id, got %q", rest)}
	}
	if u.Addr != nil && *u.Addr != "" {
		p, err := printer.Open(*u.Addr, printer.Info{})
		if err != nil {
			return fmt.Errorf("--addr: %w", err)
		}
		closePrinter(p)
	}
	st, err := openForCLI(ctx, *db, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	var c store.PrinterConfig
	if u == (store.PrinterUpdate{}) {
		c, err = st.StationPrinterConfig(ctx, rest[0])
	} else {
		c, err = st.UpdateStationPrinter(ctx, *user, rest[0], u)
	}
	if err != nil {
		return err
	}
	return writeJSON(stdout, c)
}

// readLabelFile reads a label file: a regular file (a named pipe or a device
// would block the command for ever), no bigger than a label may be.
func readLabelFile(path string) ([]byte, error) {
	// Stat before opening: opening a named pipe blocks until it has a writer.
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, err
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, info.Mode().Type())
	case info.Size() > labels.MaxPassthrough:
		return nil, fmt.Errorf("%s: %d bytes, more than a label may be (%d)", path, info.Size(),
			labels.MaxPassthrough)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, labels.MaxPassthrough+1))
}
