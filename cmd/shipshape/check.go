package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

// runCheck compares every stock balance with the sum of its ledger
// movements. It prints one line per (SKU, bin) that differs and fails, so a
// script or cron job sees a non-zero exit status.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	if rest, err := parseInterspersed(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("check takes only flags, got %q", rest)}
	}
	// Checking a mistyped path would create an empty database and pass.
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	st, err := openForCLI(ctx, *db, stderr)
	if err != nil {
		return err
	}
	defer st.Close()

	mismatches, err := st.Check(ctx)
	if err != nil {
		return err
	}
	for _, m := range mismatches {
		fmt.Fprintln(stdout, m)
	}
	if len(mismatches) > 0 {
		return fmt.Errorf("check %s: %d stock balances do not match their movements", *db, len(mismatches))
	}
	n, err := st.StockRowCount(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d stock rows match their movements\n", n)
	return nil
}
