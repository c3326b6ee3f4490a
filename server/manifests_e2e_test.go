package server_test

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
	"github.com/shipshape-oms/shipshape/server/store"
)

func init() {
	afterParcelsEndToEnd = append(afterParcelsEndToEnd, closeDayAfterParcels)
}

// closeDayAfterParcels closes the local courier's day after
// TestParcelsEndToEnd: the manifest lists SO-000001's active consignment
// with its four parcels, and not the consignment voided when the fourth
// parcel was added; its document names the four live tracking numbers and
// none of the voided ones.
func closeDayAfterParcels(t *testing.T, ts *testServer, _ *printertest.Emulator) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+ts.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var active, voided int64
	var day string
	err = db.QueryRow(`SELECT a.id, a.ship_date, v.id FROM consignments a, consignments v
		WHERE a.status = 'active' AND v.status = 'voided'`).Scan(&active, &day, &voided)
	if err != nil {
		t.Fatalf("consignments of SO-000001: %v", err)
	}
	day = cmp.Or(day, ts.st.WarehouseToday())

	data := ts.mustPost("Ann", "/api/v1/manifests", `{"courier":"local","day":"`+day+`"}`, http.StatusCreated)
	var m store.ManifestDetail
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.List) != 1 || m.List[0].ID != active || m.List[0].Order != "SO-000001" || m.Parcels != 4 ||
		len(m.List[0].Parcels) != 4 || m.List[0].Parcels[3].WeightGrams == nil ||
		*m.List[0].Parcels[3].WeightGrams != 300 {
		t.Fatalf("manifest %s: want consignment %d with 4 parcels, not the voided %d", data, active, voided)
	}

	live, dead := shipmentTrackings(t, ts)
	code, _, doc := ts.send("GET", fmt.Sprintf("/api/v1/manifests/%d/document", m.ID), nil, nil)
	for k, p := range m.List[0].Parcels {
		if p.Tracking != live[k] || !strings.Contains(string(doc), p.Tracking) {
			t.Errorf("parcel %d: tracking %s, want %s in the document", k+1, p.Tracking, live[k])
		}
	}
	for _, tr := range dead {
		if strings.Contains(string(doc), tr) || code != 200 {
			t.Errorf("document (%d) lists voided tracking %s:\n%s", code, tr, doc)
		}
	}
	code, body, _ := ts.post("Ann", "/api/v1/manifests", `{"courier":"local","day":"`+day+`"}`)
	if code != http.StatusConflict || !strings.HasPrefix(errorText(t, body), "nothing to close for local") {
		t.Errorf("closing the day twice: %d %s", code, body)
	}
}

// shipmentTrackings returns SO-000001's live and voided tracking numbers.
func shipmentTrackings(t *testing.T, ts *testServer) (live, dead []string) {
	_, body := ts.call("GET", "/api/v1/orders/SO-000001", "")
	var got struct {
		Shipments []struct {
			Tracking string `json:"tracking"`
			Voided   bool   `json:"voided"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, sh := range got.Shipments {
		if sh.Voided {
			dead = append(dead, sh.Tracking)
		} else if !slices.Contains(live, sh.Tracking) {
			live = append(live, sh.Tracking)
		}
	}
	return live, dead
}
