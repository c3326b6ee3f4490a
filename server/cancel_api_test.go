package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCancelOrderAPI(t *testing.T) {
	ts := startServer(t)
	ts.wantCall("POST", "/api/v1/orders", channelOrder("webshop", "W-1", "MUG", 8), 201)
	ts.wantCall("POST", "/api/v1/orders", channelOrder("amazon", "A-1", "MUG", 5), 201)

	code, body := ts.call("POST", "/api/v1/orders/SO-000001/cancel", `{}`)
	if msg := errorText(t, body); code != 400 || !strings.Contains(msg, "reason: required") {
		t.Errorf("cancel without reason: %d %s", code, msg)
	}
	ts.wantCall("POST", "/api/v1/orders/SO-000009/cancel", `{"reason": "x"}`, 404)

	body = ts.wantCall("POST", "/api/v1/orders/W-1/cancel", `{"reason": "customer asked"}`, 200)
	var res struct {
		Order struct {
			Status, StatusReason string
		}
		Released  []string
		Allocated int
	}
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if res.Order.Status != "cancelled" || strings.Join(res.Released, ",") != "8 MUG from A-01-01" ||
		res.Allocated != 1 {
		t.Errorf("cancel: %s", body)
	}
	ts.wantAvailability("MUG", 5, map[string]int64{"amazon": 5, "webshop": 5})

	// The amazon order is picked; it can no longer be cancelled.
	ts.pick()
	code, body = ts.call("POST", "/api/v1/orders/SO-000002/cancel", `{"reason": "too late"}`)
	if msg := errorText(t, body); code != 409 || !strings.Contains(msg, "SO-000002 is picked, ready to pack") ||
		!strings.Contains(msg, "stock movement") {
		t.Errorf("cancel a picked order: %d %s", code, msg)
	}
	body = ts.wantCall("GET", "/api/v1/orders?status=cancelled", "", 200)
	if !strings.Contains(string(body), `"SO-000001"`) || strings.Contains(string(body), `"SO-000002"`) {
		t.Errorf("cancelled orders: %s", body)
	}
	body = ts.wantCall("GET", "/api/v1/audit?entity=order&id=SO-000001", "", 200)
	if !strings.Contains(string(body), `"order.cancel"`) {
		t.Errorf("audit: %s", body)
	}
}
