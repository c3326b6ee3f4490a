package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// runWarehouse shows or sets the warehouse's address, the sender on labels.
func runWarehouse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "show" && args[0] != "set") {
		return usageError{"warehouse needs show or set"}
	}
	fs := flag.NewFlagSet("warehouse "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	user := fs.String("user", envOr("SHIPSHAPE_USER", envOr("USER", "cli")), "who is changing it")
	var a oms.Address
	if args[0] == "set" {
		for _, f := range []struct {
			name string
			p    *string
		}{{"name", &a.Name}, {"company", &a.Company}, {"line1", &a.Line1}, {"line2", &a.Line2},
			{"line3", &a.Line3}, {"city", &a.City}, {"state", &a.State}, {"postal-code", &a.PostalCode},
			{"country", &a.Country}, {"phone", &a.Phone}} {
			fs.StringVar(f.p, f.name, "", "address: "+f.name)
		}
	}
	if rest, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("warehouse %s takes only flags, got %q", args[0], rest)}
	}
	st, err := openForCLI(ctx, *db, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "set" {
		a, err = st.SetWarehouse(ctx, *user, a)
	} else {
		a, err = st.Warehouse(ctx)
	}
	if err != nil {
		return err
	}
	out, _ := json.MarshalIndent(a, "", "  ")
	fmt.Fprintln(stdout, string(out))
	return nil
}
