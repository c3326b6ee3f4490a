package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/shipshape-oms/shipshape/server"
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
	if kind == "-h" || kind == "--help" || kind == "help" {
		fmt.Fprintln(stderr, "usage: shipshape import catalog|stock|orders FILE [--db FILE] [--user NAME]")
		fs.PrintDefaults()
		return flag.ErrHelp
	}
	files, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{fmt.Sprintf("import %s needs exactly one FILE", kind)}
	}
	path := files[0]
	if !slices.Contains(server.ImportKinds, kind) {
		return usageError{fmt.Sprintf("unknown import kind %q: want catalog, stock or orders", kind)}
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := openForCLI(ctx, *db, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := server.Import(ctx, st, kind, *user, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(stdout, "%s: %d created, %d updated, %d unchanged, %d orders allocated\n",
		path, res.Created, res.Updated, res.Unchanged, res.Allocated)
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments (`import catalog FILE --db x`), which the flag package
// alone stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// openForCLI opens the database for a command, saying so when it creates a
// new one: an import into a mistyped --db would otherwise look like success.
func openForCLI(ctx context.Context, path string, stderr io.Writer) (*store.Store, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "shipshape: creating a new database %s\n", path)
	}
	return store.Open(ctx, path)
}
