package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shipshape-oms/shipshape/server/store"
)

// runScanner adds, lists, changes and removes the barcode scanners the
// server reads, in the database the server uses; a running server picks
// the change up within its poll interval.
func runScanner(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"scanner needs add, list, set or rm"}
	}
	verb := args[0]
	fs := flag.NewFlagSet("scanner "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	user := fs.String("user", envOr("SHIPSHAPE_USER", envOr("USER", "cli")), "who is changing it")
	edits := &[]func(*store.Scanner) error{}
	if verb == "add" || verb == "set" {
		edits = scannerFlags(fs)
	} else if verb != "list" && verb != "rm" {
		return usageError{fmt.Sprintf("scanner: unknown verb %q (want add, list, set or rm)", verb)}
	}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if want := map[bool]int{true: 0, false: 1}[verb == "list"]; len(rest) != want {
		return usageError{fmt.Sprintf("scanner %s takes %d NAME, got %q", verb, want, rest)}
	}
	st, err := openForCLI(ctx, *db, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "list":
		return listScanners(ctx, st, stdout)
	case "rm":
		if err := st.RemoveScanner(ctx, *user, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "scanner %s removed\n", rest[0])
		return nil
	}
	return putScanner(ctx, st, *user, verb, rest[0], *edits, stdout)
}

// putScanner applies the flags given to a new scanner (add) or to the
// stored one (set) and saves it.
func putScanner(ctx context.Context, st *store.Store, user, verb, name string,
	edits []func(*store.Scanner) error, stdout io.Writer) error {
	sc := store.NewScanner(name)
	if verb == "set" {
		var err error
		if sc, err = st.ScannerByName(ctx, name); err != nil {
			return err
		}
	}
	for _, edit := range edits {
		if err := edit(&sc); err != nil {
			return err
		}
	}
	if verb == "add" {
		if sc.Kind == "" {
			return usageError{"scanner add needs --serial PORT or --usb VENDOR:PRODUCT"}
		}
		if _, err := st.ScannerByName(ctx, name); err == nil {
			return fmt.Errorf("scanner %s already exists: change it with scanner set", name)
		}
	}
	saved, _, err := st.PutScanner(ctx, user, sc)
	if err != nil {
		return err
	}
	done := map[string]string{"add": "added", "set": "updated"}[verb]
	fmt.Fprintf(stdout, "scanner %s %s: station %s, %s\n", saved.Name, done, saved.Station, saved.Summary())
	return nil
}

// scannerFlags defines the flags of add and set. Each flag given becomes
// an edit, applied in order, so set changes only what was typed.
func scannerFlags(fs *flag.FlagSet) *[]func(*store.Scanner) error {
	var edits []func(*store.Scanner) error
	edit := func(name, usage string, apply func(sc *store.Scanner, v string) error) {
		fs.Func(name, usage, func(v string) error {
			edits = append(edits, func(sc *store.Scanner) error { return apply(sc, v) })
			return nil
		})
	}
	str := func(name, usage string, field func(*store.Scanner) *string) {
		edit(name, usage, func(sc *store.Scanner, v string) error { *field(sc) = v; return nil })
	}
	num := func(name, usage string, field func(*store.Scanner) *int) {
		edit(name, usage, func(sc *store.Scanner, v string) error { return setInt(name, v, field(sc)) })
	}
	str("station", "the packing station it scans for", func(sc *store.Scanner) *string { return &sc.Station })
	// A scanner reads one device: --serial or --usb, and giving one to set
	// switches the scanner to it.
	devices := 0
	device := func(name, usage string, apply func(sc *store.Scanner, v string)) {
		fs.Func(name, usage, func(v string) error {
			if devices++; devices > 1 {
				return errors.New("give --serial or --usb, not both")
			}
			edits = append(edits, func(sc *store.Scanner) error { apply(sc, v); return nil })
			return nil
		})
	}
	device("serial", "serial port (a device node or a /dev/serial/by-id link)", func(sc *store.Scanner, v string) {
		sc.Kind, sc.Port, sc.USB = store.ScannerSerial, v, ""
	})
	device("usb", "USB HID scanner VENDOR:PRODUCT in hex", func(sc *store.Scanner, v string) {
		sc.Kind, sc.USB, sc.Port = store.ScannerUSB, v, ""
	})
	num("baud", "serial: bits per second (9600)", func(sc *store.Scanner) *int { return &sc.Baud })
	num("data-bits", "serial: 5 to 8 (8)", func(sc *store.Scanner) *int { return &sc.DataBits })
	num("stop-bits", "serial: 1 or 2 (1)", func(sc *store.Scanner) *int { return &sc.StopBits })
	str("parity", "serial: none, odd or even", func(sc *store.Scanner) *string { return &sc.Parity })
	str("suffix", "serial: cr, lf, crlf or none", func(sc *store.Scanner) *string { return &sc.Suffix })
	edit("gap", "serial: silence that ends a scan, e.g. 50ms", func(sc *store.Scanner, v string) error {
		return setMillis("gap", v, &sc.GapMS)
	})
	str("usb-serial", "usb: serial number, to pick one of identical scanners",
		func(sc *store.Scanner) *string { return &sc.SerialNumber })
	str("layout", "usb: keyboard layout us, uk or de", func(sc *store.Scanner) *string { return &sc.Layout })
	str("assume-aim", "read codes without an AIM id as this one, e.g. ]A0",
		func(sc *store.Scanner) *string { return &sc.AssumeAIM })
	edit("dedupe", "double-trigger window, e.g. 300ms (0 for none)", func(sc *store.Scanner, v string) error {
		return setMillis("dedupe", v, &sc.DedupeMS)
	})
	boolFlag := func(name, usage string, field func(*store.Scanner) *bool) {
		fs.BoolFunc(name, usage+" (--"+name+"=false to turn off)", func(v string) error {
			on, err := parseBool(name, v)
			edits = append(edits, func(sc *store.Scanner) error { *field(sc) = on; return err })
			return nil
		})
	}
	boolFlag("code39-check", "Code 39 labels end in a mod-43 check character",
		func(sc *store.Scanner) *bool { return &sc.Code39Check })
	boolFlag("require-aim", "refuse codes without an AIM symbology id",
		func(sc *store.Scanner) *bool { return &sc.RequireAIM })
	boolFlag("enabled", "the server reads this scanner", func(sc *store.Scanner) *bool { return &sc.Enabled })
	return &edits
}

func setInt(flagName, v string, dst *int) error {
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || fmt.Sprint(n) != v {
		return usageError{fmt.Sprintf("--%s %q: not a whole number", flagName, v)}
	}
	*dst = n
	return nil
}

func setMillis(flagName, v string, dst *int) error {
	d, err := time.ParseDuration(v)
	if err != nil || d%time.Millisecond != 0 {
		return usageError{fmt.Sprintf("--%s %q: not a duration in milliseconds, e.g. 300ms", flagName, v)}
	}
	*dst = int(d / time.Millisecond)
	return nil
}

func parseBool(flagName, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1", "yes":
		return true, nil
	case "false", "0", "no":
		return false, nil
	}
	return false, usageError{fmt.Sprintf("--%s=%q: want true or false", flagName, v)}
}

// listScanners prints every scanner, one a line, in aligned columns.
func listScanners(ctx context.Context, st *store.Store, stdout io.Writer) error {
	list, err := st.Scanners(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "no scanners configured: add one with shipshape scanner add")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTATION\tSETTINGS")
	for _, sc := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\n", sc.Name, sc.Station, sc.Summary())
	}
	return w.Flush()
}
