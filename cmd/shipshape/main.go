// Command shipshape is Shipshape's one binary: the warehouse server and the
// command-line tools that work on the same database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // the flag package printed the flags
		}
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(os.Stderr, "shipshape:", err)
			fmt.Fprintln(os.Stderr, "Run 'shipshape help' for usage.")
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "shipshape:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Run runs the command named by args[0] until it finishes or ctx is done.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"no command given"}
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "warehouse":
		return runWarehouse(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "printer":
		return runPrinter(ctx, args[1:], stdout)
	case "station":
		return runStation(ctx, args[1:], stdout, stderr)
	case "barcode":
		return runBarcode(ctx, args[1:], os.Stdin, stdout, stderr)
	case "scanner":
		return runScanner(ctx, args[1:], stdout, stderr)
	case "service":
		return runService(ctx, args[1:], stdout, stderr)
	case "devices":
		return runDevices(ctx, args[1:], stdout, stderr)
	case "manifest":
		return runManifest(ctx, args[1:], stdout, stderr)
	case "scale":
		return runScale(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "shipshape", version())
		return nil
	default:
		return usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
}

const usage = `Shipshape: order management and warehouse scanning server.

Usage:
  shipshape serve [flags]            run the server
  shipshape import catalog FILE      import products (WooCommerce product CSV or Shipshape CSV)
  shipshape import stock FILE        set on-hand stock per SKU and bin (CSV: sku,bin,qty)
  shipshape import orders FILE       import orders (Amazon order report, tab separated)
  shipshape warehouse show           print the warehouse's address (the sender on labels)
  shipshape warehouse set FLAGS      set it: --name --company --line1 --line2 --line3 --city
                                     --state --postal-code --country (ISO 2 letters) --phone
                                     --gs1-prefix DIGITS (parcels' SSCCs; "" for none)
  shipshape check [--db FILE]        check every stock balance against its ledger movements
  shipshape barcode parse [FLAGS]    decode scans, one per line on stdin, into JSON lines
                                     (--require-aim --assume-aim ID --code39-check)
  shipshape barcode check NUMBER     verify the check digit of a GTIN, GLN or SSCC
                                     (--complete: NUMBER lacks it; print it completed)
  shipshape scanner add NAME FLAGS   wire a barcode scanner to a station: --station S1 and
                                     --serial PORT [--baud --data-bits --parity --stop-bits
                                     --suffix cr|lf|crlf|none --gap 50ms] or --usb VID:PID
                                     [--usb-serial SN --layout us|uk|de]; for either
                                     --code39-check --require-aim --assume-aim ID --dedupe 300ms
  shipshape scanner set NAME FLAGS   change only the settings given (also --enabled=false)
  shipshape scanner list             list the scanners
  shipshape scanner rm NAME          remove a scanner
  shipshape service add ID FLAGS     add a courier service: --courier local --code next-day
                                     --cutoff 14:00 [--name TEXT --days mon-fri
                                     --holidays 2026-12-25,...]
  shipshape service set ID FLAGS     change only the settings given
  shipshape service list|rm ID       list the services, or remove one
  shipshape service rule add ID FLAGS
                                     add a rule choosing a service: --service ID [--priority N
                                     --channel web,... --level Expedited,... --country GB,...
                                     --min-grams N --max-grams N] (lists default to *, any)
  shipshape service rule set ID FLAGS  change only the settings given
  shipshape service rule list|rm ID  list the rules in the order they are tried, or remove one
  shipshape devices                  list this machine's serial ports and USB devices
  shipshape printer status ADDR      ask a label printer ~HS; print its status as JSON
  shipshape printer send ADDR FILE   send a ZPL file to a printer (tcp:HOST:PORT, usb:VID:PID,
                                     serial:DEVICE[:BAUD], spool:DIR) and print the outcome
  shipshape station printer ID FLAGS set a station's printer: --addr ADDR --dpi 203|300|600
                                     --width MM --status hs|none (--db, --user)
  shipshape station scale ID FLAGS   set a station's scale: --port DEV [--baud 9600
                                     --protocol nci|sma|continuous] (--port "" removes it)
  shipshape scale read PORT [FLAGS]  weigh once on a serial scale (--baud --protocol)
  shipshape manifest close --courier NAME [--day YYYY-MM-DD]
                                     close a courier's day through the running server
                                     (--server URL, default http://127.0.0.1:8080)
  shipshape manifest list            list the manifests (--server URL)
  shipshape version                  print the version
  shipshape help                     show this help

serve flags (each also set by its environment variable):
  --addr ADDR        listen address                          SHIPSHAPE_ADDR     (127.0.0.1:8080)
  --db FILE          SQLite database file                    SHIPSHAPE_DB       (shipshape.db)
  --spool DIR        folder for labels when no printer is set SHIPSHAPE_SPOOL   (spool)
  --printer ADDR     default raw TCP label printer HOST:PORT SHIPSHAPE_PRINTER  (none: spool)
  --demo             seed the demo warehouse if the database is empty
                                                             SHIPSHAPE_DEMO     (false)
  --easypost-url URL EasyPost API URL (with --easypost-key) SHIPSHAPE_EASYPOST_URL (none)
  --easypost-key KEY EasyPost API key (with --easypost-url) SHIPSHAPE_EASYPOST_KEY (none)
  --log-level LEVEL  debug, info, warn or error              SHIPSHAPE_LOG_LEVEL (info)
  --log-format FMT   text or json                            SHIPSHAPE_LOG_FORMAT (text)

import, warehouse, scanner, service and devices flags:
  --db FILE          SQLite database file                    SHIPSHAPE_DB       (shipshape.db)
  --user NAME        who is importing, for the audit trail   SHIPSHAPE_USER     ($USER)

Labels are printed only once the warehouse's address is set (the demo sets one).
Imports and scanner changes work while the server is running (it notices a
scanner change within two seconds). A file with any bad row imports nothing;
the error names the row, column and value.
`

// version is the module version the binary was built from, with the VCS
// revision when go build recorded one.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v
}
