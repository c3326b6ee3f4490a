package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/shipshape-oms/shipshape/server/shipping"
	"github.com/shipshape-oms/shipshape/server/store"
)

// runService manages courier services and, after "rule", the rules that
// choose between them, in the database the server uses.
func runService(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	kind := "service"
	if len(args) > 0 && args[0] == "rule" {
		kind, args = "service rule", args[1:]
	}
	if len(args) == 0 {
		return usageError{kind + " needs add, set, list or rm"}
	}
	verb := args[0]
	fs := flag.NewFlagSet(kind+" "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("SHIPSHAPE_DB", "shipshape.db"), "SQLite database file")
	user := fs.String("user", envOr("SHIPSHAPE_USER", envOr("USER", "cli")), "who is changing it")
	var svcEdits *[]func(*shipping.Service) error
	var ruleEdits *[]func(*shipping.Rule) error
	switch {
	case verb != "add" && verb != "set" && verb != "list" && verb != "rm":
		return usageError{fmt.Sprintf("%s: unknown verb %q (want add, set, list or rm)", kind, verb)}
	case verb == "list" || verb == "rm":
	case kind == "service":
		svcEdits = serviceFlags(fs)
	default:
		ruleEdits = ruleFlags(fs)
	}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if want := map[bool]int{true: 0, false: 1}[verb == "list"]; len(rest) != want {
		return usageError{fmt.Sprintf("%s %s takes %d ID, got %q", kind, verb, want, rest)}
	}
	st, err := openForCLI(ctx, *db, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	if kind == "service" {
		return serviceVerb(ctx, st, *user, verb, rest, svcEdits, stdout)
	}
	return ruleVerb(ctx, st, *user, verb, rest, ruleEdits, stdout)
}

func serviceVerb(ctx context.Context, st *store.Store, user, verb string, rest []string,
	edits *[]func(*shipping.Service) error, stdout io.Writer) error {
	switch verb {
	case "list":
		return listServices(ctx, st, stdout)
	case "rm":
		if err := st.RemoveService(ctx, user, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "service %s removed\n", rest[0])
		return nil
	}
	sv, err := st.Service(ctx, rest[0])
	switch {
	case verb == "add" && err == nil:
		return fmt.Errorf("service %s already exists: change it with service set", rest[0])
	case verb == "set" && err != nil:
		return err
	case verb == "add":
		sv = shipping.Service{ID: rest[0]}
	}
	for _, edit := range *edits {
		if err := edit(&sv); err != nil {
			return err
		}
	}
	saved, _, err := st.PutService(ctx, user, sv)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "service %s %s: %s\n", saved.ID, pastTense(verb), saved.Summary())
	return nil
}

func ruleVerb(ctx context.Context, st *store.Store, user, verb string, rest []string,
	edits *[]func(*shipping.Rule) error, stdout io.Writer) error {
	switch verb {
	case "list":
		return listRules(ctx, st, stdout)
	case "rm":
		if err := st.RemoveServiceRule(ctx, user, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "service rule %s removed\n", rest[0])
		return nil
	}
	r, err := st.ServiceRule(ctx, rest[0])
	switch {
	case verb == "add" && err == nil:
		return fmt.Errorf("service rule %s already exists: change it with service rule set", rest[0])
	case verb == "set" && err != nil:
		return err
	case verb == "add":
		r = shipping.Rule{ID: rest[0]}
	}
	for _, edit := range *edits {
		if err := edit(&r); err != nil {
			return err
		}
	}
	saved, _, err := st.PutServiceRule(ctx, user, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "service rule %s %s: %s\n", saved.ID, pastTense(verb), saved.Summary())
	return nil
}

func pastTense(verb string) string { return map[string]string{"add": "added", "set": "updated"}[verb] }

// serviceFlags defines add's and set's flags; each flag given becomes an
// edit, so set changes only what was typed.
func serviceFlags(fs *flag.FlagSet) *[]func(*shipping.Service) error {
	var edits []func(*shipping.Service) error
	str := func(name, usage string, apply func(sv *shipping.Service, v string)) {
		fs.Func(name, usage, func(v string) error {
			edits = append(edits, func(sv *shipping.Service) error { apply(sv, v); return nil })
			return nil
		})
	}
	str("courier", "the courier's configured name, e.g. local", func(sv *shipping.Service, v string) { sv.Courier = v })
	str("code", "the courier's code for the service, e.g. USPS:Priority",
		func(sv *shipping.Service, v string) { sv.Code = v })
	str("name", "what the packer sees", func(sv *shipping.Service, v string) { sv.Name = v })
	str("cutoff", "time of day HH:MM, in the warehouse's zone, from which labels ship the next collection day",
		func(sv *shipping.Service, v string) { sv.Cutoff = v })
	str("days", "collection days, e.g. mon-fri or mon,wed,fri", func(sv *shipping.Service, v string) {
		sv.Days = splitFlag(v)
	})
	str("holidays", "dates with no collection, YYYY-MM-DD,... (empty for none)",
		func(sv *shipping.Service, v string) { sv.Holidays = splitFlag(v) })
	return &edits
}

// ruleFlags defines service rule add's and set's flags.
func ruleFlags(fs *flag.FlagSet) *[]func(*shipping.Rule) error {
	var edits []func(*shipping.Rule) error
	edit := func(name, usage string, apply func(r *shipping.Rule, v string) error) {
		fs.Func(name, usage, func(v string) error {
			edits = append(edits, func(r *shipping.Rule) error { return apply(r, v) })
			return nil
		})
	}
	edit("service", "the service the rule chooses", func(r *shipping.Rule, v string) error {
		r.Service = v
		return nil
	})
	edit("priority", "lower is tried first (0)", func(r *shipping.Rule, v string) error {
		return setInt("priority", v, &r.Priority)
	})
	lists := map[string]func(*shipping.Rule) *[]string{
		"channel": func(r *shipping.Rule) *[]string { return &r.Channels },
		"level":   func(r *shipping.Rule) *[]string { return &r.Levels },
		"country": func(r *shipping.Rule) *[]string { return &r.Countries },
	}
	for name, field := range lists {
		edit(name, name+"s it matches, comma-separated, or * (any)", func(r *shipping.Rule, v string) error {
			*field(r) = splitFlag(v)
			return nil
		})
	}
	grams := func(name string, field func(*shipping.Rule) *int64) {
		edit(name, "weight bound in grams (0: none)", func(r *shipping.Rule, v string) error {
			var n int
			err := setInt(name, v, &n)
			*field(r) = int64(n)
			return err
		})
	}
	grams("min-grams", func(r *shipping.Rule) *int64 { return &r.MinGrams })
	grams("max-grams", func(r *shipping.Rule) *int64 { return &r.MaxGrams })
	return &edits
}

// splitFlag reads a comma-separated flag value; "" is an empty list.
func splitFlag(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func listServices(ctx context.Context, st *store.Store, stdout io.Writer) error {
	list, err := st.Services(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "no services: add one with shipshape service add")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tCOURIER\tCODE\tCUTOFF\tDAYS\tHOLIDAYS\tNAME")
	for _, sv := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sv.ID, sv.Courier, sv.Code, sv.Cutoff,
			shipping.DaysText(sv.Days), cmp.Or(strings.Join(sv.Holidays, ","), "-"), sv.Name)
	}
	return w.Flush()
}

func listRules(ctx context.Context, st *store.Store, stdout io.Writer) error {
	list, err := st.ServiceRules(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "no service rules: add one with shipshape service rule add")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPRIORITY\tCHANNELS\tLEVELS\tCOUNTRIES\tWEIGHT\tSERVICE")
	for _, r := range list {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Priority, strings.Join(r.Channels, ","),
			strings.Join(r.Levels, ","), strings.Join(r.Countries, ","),
			shipping.WeightText(r.MinGrams, r.MaxGrams), r.Service)
	}
	return w.Flush()
}
