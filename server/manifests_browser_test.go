package server_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shipshape-oms/shipshape/server/courier"
)

// TestBrowserManifests closes the local courier's day on /manifests: the
// sheet lists the order's parcels with tracking numbers and weights, and
// the list shows the new manifest, closed by the name typed.
func TestBrowserManifests(t *testing.T) {
	srv := demoServer(t)
	wh, err := srv.Store().Warehouse(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	local := courier.Local{Country: wh.Country}
	db, err := sql.Open("sqlite3", "file:"+srv.Store().Path()+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := srv.Store().WarehouseToday()
	for _, q := range []string{
		`INSERT INTO orders (number, channel, channel_order_id, ship_to, status, created_at, updated_at)
			VALUES ('SO-900001', 'web', 'W-900001', '{}', 'shipped', '2026-12-04T09:00:00Z', '2026-12-04T09:00:00Z')`,
		`INSERT INTO consignments (id, order_id, courier, courier_ref, ship_date, parcels, status, created_by,
			created_at) VALUES (900, (SELECT id FROM orders WHERE number = 'SO-900001'), 'local',
			'SO-900001:` + local.Tracking(900001) + `', '` + day + `', 1, 'active', 't', '2026-12-04T09:00:00Z')`,
		`INSERT INTO parcels (id, order_id, seq, weight_g, created_by, created_at)
			VALUES (900, (SELECT id FROM orders WHERE number = 'SO-900001'), 1, 1250, 't', '2026-12-04T09:00:00Z')`,
		`INSERT INTO shipments (order_id, parcel, parcels, carrier, service, tracking, created_by, created_at,
			consignment_id, parcel_id) VALUES ((SELECT id FROM orders WHERE number = 'SO-900001'), 1, 1,
			'Local courier', 'next-day', '` + local.Tracking(900001) + `', 't', '2026-12-04T09:00:00Z', 900, 900)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	b := tab{t: t, ctx: browser(t)}
	b.do(chromedp.Navigate(srv.URL()+"/manifests"),
		chromedp.WaitVisible(chromedp.CSS("#close-form")),
		chromedp.SendKeys(chromedp.CSS("#mf-user"), "Ada"),
		chromedp.Click(chromedp.CSS("#mf-close")),
		chromedp.Poll[chromedp.Void](`!document.querySelector('#sheet').hidden`),
		chromedp.Poll[chromedp.Void](`document.querySelector('#manifests tr[data-id]') !== null`))
	row := b.text("#sheet-rows tr")
	if !strings.Contains(row, "SO-900001") || !strings.Contains(row, local.Tracking(900001)) ||
		!strings.Contains(row, "1/1") || !strings.Contains(row, "1.250 kg") {
		t.Errorf("sheet row %q", row)
	}
	if got := b.text("#manifests tr[data-id]"); !strings.Contains(got, "local") || !strings.Contains(got, "Ada") {
		t.Errorf("manifest list row %q", got)
	}
}
