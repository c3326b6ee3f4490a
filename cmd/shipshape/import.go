package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/shipshape-oms/shipshape/server/imports"
	"github.com/shipshape-oms/shipshape/server/store"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	user := fs.String("user", envOr("SHIPSHAPE_USER", envOr("USER", "cli")), "who is importing")
	if len(args) == 0 {
		return usageError{"import needs a kind: catalog, stock or orders"}
	}
	kind := args[0]
	files, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{fmt.Sprintf("import %s needs exactly one FILE", kind)}
	}
	path := files[0]
	do, ok := importers[kind]
	if !ok {
		return usageError{fmt.Sprintf("unknown import kind %q: want catalog, stock or orders", kind)}
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := do(ctx, st, *user, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(stdout, "%s: %d created, %d updated, %d unchanged, %d orders allocated\n",
		path, res.Created, res.Updated, res.Unchanged, res.Allocated)
	return nil
}

type importFunc func(context.Context, *store.Store, string, io.Reader) (store.ImportResult, error)

var importers = map[string]importFunc{
	"catalog": func(ctx context.Context, st *store.Store, user string, r io.Reader) (store.ImportResult, error) {
		ps, err := imports.Catalog(r)
		if err != nil {
			return store.ImportResult{}, err
		}
		return st.ImportCatalog(ctx, user, ps)
	},
	"stock": func(ctx context.Context, st *store.Store, user string, r io.Reader) (store.ImportResult, error) {
		rows, err := imports.Stock(r)
		if err != nil {
			return store.ImportResult{}, err
		}
		return st.ImportStock(ctx, user, rows)
	},
	"orders": func(ctx context.Context, st *store.Store, user string, r io.Reader) (store.ImportResult, error) {
		os, err := imports.Orders(r)
		if err != nil {
			return store.ImportResult{}, err
		}
		return st.ImportOrders(ctx, user, os)
	},
}

// parseInterspersed parses flags that may come before or after the
// positional arguments (`import catalog FILE --db x`), which the flag package
// alone stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
