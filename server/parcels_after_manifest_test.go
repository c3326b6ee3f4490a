package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/devices/printer/printertest"
)

func init() {
	afterParcelsEndToEnd = append(afterParcelsEndToEnd, noReissueAfterManifest)
}

// noReissueAfterManifest runs after the day's manifest is closed in
// TestParcelsEndToEnd: the order's old labels read as voided, a parcel can
// no longer be added (the driver has signed for them) and nothing changes,
// and a manifest day far ahead is refused.
func noReissueAfterManifest(t *testing.T, ts *testServer, emu *printertest.Emulator) {
	t.Helper()
	code, body := ts.call("GET", "/api/v1/orders/SO-000001", "")
	var order struct {
		Labels []struct {
			Tracking string `json:"tracking"`
			Voided   bool   `json:"voided"`
		} `json:"labels"`
	}
	if err := json.Unmarshal(body, &order); code != http.StatusOK || err != nil {
		t.Fatalf("order: %d %s", code, body)
	}
	voided := 0
	for _, l := range order.Labels {
		if l.Voided {
			voided++
		}
	}
	if len(order.Labels) != 7 || voided != 3 {
		t.Errorf("labels %+v: want 7, the first 3 voided", order.Labels)
	}

	printed := len(emu.Jobs())
	code, body = ts.call("POST", "/api/v1/orders/SO-000001/parcels?station=S1",
		`{"reason": "one more", "grams": 200, "move": [{"sku": "CUP", "qty": 1, "from": 4}]}`)
	if code != http.StatusConflict || !strings.Contains(string(body), "is on manifest") ||
		!strings.Contains(string(body), "cannot be reissued") {
		t.Errorf("add a parcel after the manifest: %d %s", code, body)
	}
	if code, body := ts.call("GET", "/api/v1/orders/SO-000001", ""); code != http.StatusOK ||
		strings.Count(string(body), `"voided":true`) != 3+3 {
		t.Errorf("a refused parcel changed the order's labels: %s", body)
	}
	if n := len(emu.Jobs()); n != printed {
		t.Errorf("printer got %d more jobs after a refusal", n-printed)
	}

	code, body = ts.call("POST", "/api/v1/manifests", `{"courier":"local","day":"9999-12-31"}`)
	if code != http.StatusBadRequest || !strings.Contains(string(body), "days ahead") {
		t.Errorf("manifest for 9999-12-31: %d %s", code, body)
	}
}
