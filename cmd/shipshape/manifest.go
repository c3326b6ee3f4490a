package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shipshape-oms/shipshape/server/store"
)

// runManifest closes a courier's day or lists the manifests. It talks to the
// running server's REST API (--server) rather than the database: closing
// needs the courier itself (an EasyPost key lives in the server's flags),
// and the server is the one place couriers are set up.
func runManifest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "close" && args[0] != "list") {
		return usageError{"manifest needs close --courier NAME [--day YYYY-MM-DD] or list"}
	}
	fs := flag.NewFlagSet("manifest "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", envOr("SHIPSHAPE_SERVER", "http://127.0.0.1:8080"), "the server's URL")
	user := fs.String("user", envOr("SHIPSHAPE_USER", envOr("USER", "cli")), "who closes it")
	name := fs.String("courier", "", "the courier's configured name: local, easypost")
	day := fs.String("day", "", "the day to close, YYYY-MM-DD (default: today in the server's --tz)")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return usageError{fmt.Sprintf("manifest %s takes no arguments, got %q", args[0], rest)}
	}
	api := apiClient{base: strings.TrimRight(*server, "/"), user: *user}
	if args[0] == "list" {
		return manifestList(ctx, api, stdout)
	}
	if *name == "" {
		return usageError{"manifest close needs --courier NAME (e.g. local)"}
	}
	var m store.ManifestDetail
	body := map[string]string{"courier": *name, "day": *day}
	if err := api.do(ctx, http.MethodPost, "/api/v1/manifests", body, &m); err != nil {
		return fmt.Errorf("manifest close: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "manifest %d closed: %s %s, consignments: %d, parcels: %d, courier ref: %s\n",
		m.ID, m.Courier, m.Day, m.Consignments, m.Parcels, m.CourierRef)
	return err
}

// manifestList prints the latest manifests as a table, newest first.
func manifestList(ctx context.Context, api apiClient, stdout io.Writer) error {
	var list []store.Manifest
	if err := api.do(ctx, http.MethodGet, "/api/v1/manifests", nil, &list); err != nil {
		return fmt.Errorf("manifest list: %w", err)
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tCOURIER\tDAY\tCONSIGNMENTS\tPARCELS\tCOURIER REF\tCLOSED BY")
	for _, m := range list {
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", m.ID, m.Courier, m.Day, m.Consignments, m.Parcels,
			m.CourierRef, m.CreatedBy)
	}
	return w.Flush()
}

// apiClient calls the server's REST API as a user.
type apiClient struct {
	base, user string
}

// do sends in as JSON (when not nil) and decodes the answer into out. An
// error status returns the server's message; an unreachable server says
// which URL was tried.
func (a apiClient) do(ctx context.Context, method, path string, in, out any) error {
	u, err := url.Parse(a.base + path)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError{fmt.Sprintf("--server %q: want the server's URL, e.g. http://127.0.0.1:8080", a.base)}
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shipshape-User", a.user)
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("server %s not reachable (is shipshape serve running?): %w", a.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return errors.New(e.Error)
		}
		return fmt.Errorf("server answered %s", resp.Status)
	}
	return json.Unmarshal(data, out)
}
