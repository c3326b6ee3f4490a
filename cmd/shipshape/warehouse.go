package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
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
	fields := map[string]*string{"name": &a.Name, "company": &a.Company, "line1": &a.Line1, "line2": &a.Line2,
		"line3": &a.Line3, "city": &a.City, "state": &a.State, "postal-code": &a.PostalCode,
		"country": &a.Country, "phone": &a.Phone}
	given := map[string]string{}
	var prefix *string
	if args[0] == "set" {
		for name := range fields {
			fs.Func(name, "address: "+name, func(v string) error { given[name] = v; return nil })
		}
		fs.Func("gs1-prefix", "GS1 company prefix for parcels' SSCCs (\"\" for none)",
			func(v string) error { prefix = &v; return store.CheckGS1Prefix(v) })
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
		// Change only the fields given, so fixing the postcode does not
		// mean typing the whole address again.
		if a, err = st.Warehouse(ctx); err != nil && oms.ErrorCode(err) != oms.ENotFound {
			return err
		}
		for name, v := range given {
			*fields[name] = v
		}
		if a, err = st.SetWarehouse(ctx, *user, a); err == nil && prefix != nil {
			err = st.SetGS1Prefix(ctx, *user, *prefix)
		}
	} else {
		a, err = st.Warehouse(ctx)
	}
	if err != nil {
		return err
	}
	gs1, err := st.GS1Prefix(ctx)
	if err != nil {
		return err
	}
	out, _ := json.MarshalIndent(struct {
		oms.Address
		GS1Prefix string `json:"gs1_prefix"`
	}{a, gs1}, "", "  ")
	fmt.Fprintln(stdout, string(out))
	return nil
}
