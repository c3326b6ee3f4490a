package main

import (
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server"
	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// manifestServer is a real server on a loopback port, in UTC, with a
// warehouse set and one active local consignment of two parcels shipping
// on 2026-12-04 (and a voided one).
func manifestServer(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "shipshape.db")
	srv, err := server.New(t.Context(), server.Config{Addr: "127.0.0.1:0", DBPath: db, Zone: time.UTC,
		SpoolDir: t.TempDir(), PollInterval: time.Hour}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	_, err = srv.Store().SetWarehouse(t.Context(), "test", oms.Address{Name: "WH", Line1: "1 Dock Road",
		City: "Leeds", PostalCode: "LS1 1AA", Country: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+db+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	local := courier.Local{Country: "GB"}
	ref := "SO-000001:" + local.Tracking(1) + "," + local.Tracking(2)
	for _, q := range []string{
		`INSERT INTO orders (number, channel, channel_order_id, ship_to, status, created_at, updated_at)
			VALUES ('SO-000001', 'web', 'W-1', '{}', 'shipped', '2026-12-04T09:00:00Z', '2026-12-04T09:00:00Z')`,
		`INSERT INTO consignments (order_id, courier, courier_ref, ship_date, parcels, status, created_by,
			created_at) VALUES (1, 'local', '` + ref + `', '2026-12-04', 2, 'active', 't', '2026-12-04T09:00:00Z')`,
		`INSERT INTO consignments (order_id, courier, courier_ref, ship_date, parcels, status, created_by,
			created_at) VALUES (1, 'local', 'SO-000001:` + local.Tracking(3) + `', '2026-12-04', 1, 'voided', 't',
			'2026-12-04T08:00:00Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return srv.URL()
}

func TestManifestCommands(t *testing.T) {
	url := manifestServer(t)
	out, err := runCLI("manifest", "close", "--server", url, "--courier", "local", "--day", "2026-12-04",
		"--user", "Ann")
	if want := "manifest 1 closed: local 2026-12-04, consignments: 1, parcels: 2, courier ref: LC-20261204\n"; err != nil || out != want {
		t.Fatalf("close = %q, %v; want %q", out, err, want)
	}
	out, err = runCLI("manifest", "close", "--server", url, "--courier", "local", "--day", "2026-12-04")
	if want := "manifest close: nothing to close for local on 2026-12-04: no active consignment shipping " +
		"by then is off a manifest"; err == nil || err.Error() != want || out != "" {
		t.Fatalf("close again = %q, %v; want %q", out, err, want)
	}
	out, err = runCLI("manifest", "list", "--server", url)
	want := "ID  COURIER  DAY         CONSIGNMENTS  PARCELS  COURIER REF  CLOSED BY\n" +
		"1   local    2026-12-04  1             2        LC-20261204  Ann\n"
	if err != nil || out != want {
		t.Fatalf("list = %q, %v; want %q", out, err, want)
	}
}

func TestManifestCommandErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"manifest"}, "manifest needs close --courier NAME [--day YYYY-MM-DD] or list"},
		{[]string{"manifest", "close", "--server", "http://127.0.0.1:1"}, "manifest close needs --courier NAME (e.g. local)"},
		{[]string{"manifest", "list", "--server", "ftp://x"}, `--server "ftp://x": want the server's URL, e.g. http://127.0.0.1:8080`},
		{[]string{"manifest", "list", "extra"}, `manifest list takes no arguments, got ["extra"]`},
	}
	for _, tt := range tests {
		out, err := runCLI(tt.args...)
		if err == nil || !strings.HasSuffix(err.Error(), tt.want) || out != "" {
			t.Errorf("%q = %q, %v; want %q", tt.args, out, err, tt.want)
		}
	}
	_, err := runCLI("manifest", "list", "--server", "http://127.0.0.1:1")
	if err == nil || !strings.HasPrefix(err.Error(), "manifest list: server http://127.0.0.1:1 not reachable (is shipshape serve running?)") {
		t.Errorf("unreachable server: %v", err)
	}
}

func TestServeEasyPostFlags(t *testing.T) {
	tests := []struct {
		name      string
		args, env []string
		want      string // the error; "" for none
	}{
		{"neither", nil, nil, ""},
		{"both", []string{"--easypost-url", "http://127.0.0.1:9", "--easypost-key", "EZTK"}, nil, ""},
		{"url from env", []string{"--easypost-key", "EZTK"}, []string{"SHIPSHAPE_EASYPOST_URL", "http://127.0.0.1:9"}, ""},
		{"url only", []string{"--easypost-url", "http://127.0.0.1:9"}, nil,
			"--easypost-url and --easypost-key go together: give both to use EasyPost, or neither"},
		{"key only from env", nil, []string{"SHIPSHAPE_EASYPOST_KEY", "EZTK"},
			"--easypost-url and --easypost-key go together: give both to use EasyPost, or neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SHIPSHAPE_EASYPOST_URL", "")
			t.Setenv("SHIPSHAPE_EASYPOST_KEY", "")
			if tt.env != nil {
				t.Setenv(tt.env[0], tt.env[1])
			}
			c, err := parseServe(tt.args, io.Discard)
			switch {
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Fatalf("error %v, want %q", err, tt.want)
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want == "" && (c.EasyPostURL == "") != (c.EasyPostKey == ""):
				t.Fatalf("config %q %q", c.EasyPostURL, c.EasyPostKey)
			}
		})
	}
}
