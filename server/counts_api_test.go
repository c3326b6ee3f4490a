package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/store"
)

// blindCount posts a count as alice and returns the receipt, failing the
// test unless it is exactly a count id and a message with no figures in it:
// the handheld must never learn what the system expected.
func (ts *testServer) blindCount(body string, wantStatus int, wantMessage string) int64 {
	ts.t.Helper()
	raw := ts.mustPost("alice", "/api/v1/counts", body, wantStatus)
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		ts.t.Fatalf("count answer %s: %v", raw, err)
	}
	id, ok := got["count_id"].(float64)
	if len(got) != 2 || !ok || got["message"] != wantMessage {
		ts.t.Fatalf("count answer %s; want only count_id and message %q", raw, wantMessage)
	}
	for _, key := range []string{"expected", "on_hand", "variance", "counted", "qty"} {
		if _, ok := got[key]; ok {
			ts.t.Errorf("count answer %s has %q", raw, key)
		}
	}
	if strings.ContainsAny(wantMessage, "0123456789") {
		ts.t.Errorf("message %q has a number in it", wantMessage)
	}
	return int64(id)
}

// pendingCounts is the supervisor's list of counts waiting for a decision.
func (ts *testServer) pendingCounts() []store.Count {
	ts.t.Helper()
	code, body := ts.call("GET", "/api/v1/counts?status=pending", "")
	var cs []store.Count
	if code != 200 || json.Unmarshal(body, &cs) != nil {
		ts.t.Fatalf("pending counts: %d %s", code, body)
	}
	return cs
}

func (ts *testServer) countMovements(sku string) []store.Movement {
	ts.t.Helper()
	var out []store.Movement
	for _, m := range ts.movements(sku) {
		if m.Reason == store.ReasonCount {
			out = append(out, m)
		}
	}
	return out
}

func TestBlindCountWithinThreshold(t *testing.T) {
	ts := startServer(t)
	ts.blindCount(`{"bin": "A-01-01", "sku": "MUG", "counted": 10}`, 201, store.CountRecorded)
	ts.blindCount(`{"bin": "A-01-01", "sku": "MUG", "counted": 6}`, 201, store.CountRecorded)

	if got := ts.onHand("MUG", "A-01-01"); got != 6 {
		t.Errorf("MUG on hand %d after count, want 6", got)
	}
	ms := ts.countMovements("MUG")
	if len(ms) != 1 || ms[0].Qty != -4 || ms[0].User != "alice" || ms[0].Reference != "count 2" {
		t.Errorf("count movements %+v", ms)
	}
	if cs := ts.pendingCounts(); len(cs) != 0 {
		t.Errorf("pending counts %+v, want none", cs)
	}
	ts.wantBalanced()
}

func TestCountApprovedBySupervisor(t *testing.T) {
	ts := startServer(t)
	id := ts.blindCount(`{"bin": "a-01-01", "sku": "MUG", "counted": 2}`, 201, store.CountWaiting)
	if got := ts.onHand("MUG", "A-01-01"); got != 10 {
		t.Errorf("MUG on hand %d while the count waits, want 10", got)
	}
	cs := ts.pendingCounts()
	if len(cs) != 1 || cs[0].ID != id || cs[0].Expected != 10 || cs[0].Counted != 2 || cs[0].Variance != -8 ||
		cs[0].Counter != "alice" || !strings.Contains(cs[0].Why, "threshold of 5 units") {
		t.Fatalf("pending counts %+v", cs)
	}

	path := fmt.Sprintf("/api/v1/counts/%d/approve", id)
	code, body, _ := ts.post("alice", path, "")
	if code != 403 || !strings.Contains(errorText(t, body), "someone else must approve") {
		t.Errorf("counter approves own count: %d %s", code, body)
	}
	var got store.Count
	if err := json.Unmarshal(ts.mustPost("sam", path, "", 200), &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != store.CountApproved || got.DecidedBy != "sam" || got.MovementID == 0 {
		t.Errorf("approved count %+v", got)
	}
	if n := ts.onHand("MUG", "A-01-01"); n != 2 {
		t.Errorf("MUG on hand %d after approval, want 2", n)
	}
	if ms := ts.countMovements("MUG"); len(ms) != 1 || ms[0].Qty != -8 || ms[0].User != "sam" {
		t.Errorf("count movements %+v", ms)
	}
	ts.wantBalanced()

	code, body, _ = ts.post("kim", path, "")
	if code != 409 || !strings.Contains(errorText(t, body), "already approved by sam") {
		t.Errorf("second approval: %d %s", code, body)
	}
	entries, err := ts.st.Audit(t.Context(), "count", fmt.Sprint(id), 10)
	if err != nil || len(entries) != 2 || entries[0].Actor != "sam" || entries[0].Action != "count.approve" {
		t.Errorf("audit of count %d: %+v %v", id, entries, err)
	}
}

func TestCountRejectedBySupervisor(t *testing.T) {
	ts := startServer(t)
	id := ts.blindCount(`{"id": "c-1", "bin": "A-01-02", "sku": "CUP", "counted": 40}`, 201, store.CountWaiting)
	path := fmt.Sprintf("/api/v1/counts/%d/reject", id)

	code, body, _ := ts.post("sam", path, `{"reason": ""}`)
	if code != 400 || !strings.Contains(errorText(t, body), "reason: required") {
		t.Errorf("reject without reason: %d %s", code, body)
	}
	var got store.Count
	if err := json.Unmarshal(ts.mustPost("sam", path, `{"reason": "counted B-01-02 too"}`, 200), &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != store.CountRejected || got.Reason != "counted B-01-02 too" || got.DecidedBy != "sam" {
		t.Errorf("rejected count %+v", got)
	}
	if n := ts.onHand("CUP", "A-01-02"); n != 10 || len(ts.countMovements("CUP")) != 0 {
		t.Errorf("CUP on hand %d, count movements %+v; want 10 and none", n, ts.countMovements("CUP"))
	}
	code, body, _ = ts.post("sam", fmt.Sprintf("/api/v1/counts/%d/approve", id), "")
	if code != 409 || !strings.Contains(errorText(t, body), "already rejected by sam") {
		t.Errorf("approval after rejection: %d %s", code, body)
	}
	code, body = ts.call("GET", "/api/v1/counts?status=rejected", "")
	if code != 200 || !strings.Contains(string(body), `"reason":"counted B-01-02 too"`) {
		t.Errorf("rejected counts: %d %s", code, body)
	}
}

func TestStaleCountApprovalRefused(t *testing.T) {
	ts := startServer(t)
	id := ts.blindCount(`{"bin": "A-01-01", "sku": "MUG", "counted": 1}`, 201, store.CountWaiting)
	ts.mustPost("bob", "/api/v1/stock/receive", `{"sku": "MUG", "bin": "A-01-01", "qty": 2}`, 201)

	code, body, _ := ts.post("sam", fmt.Sprintf("/api/v1/counts/%d/approve", id), "")
	msg := errorText(t, body)
	if code != 409 || !strings.Contains(msg, "changed by +2") || !strings.Contains(msg, "count the bin again") {
		t.Errorf("stale approval: %d %s", code, body)
	}
	if n := ts.onHand("MUG", "A-01-01"); n != 12 || len(ts.countMovements("MUG")) != 0 {
		t.Errorf("MUG on hand %d after a refused approval, want 12 and no count movement", n)
	}
	ts.wantBalanced()
}

func TestCountBelowAllocatedWaits(t *testing.T) {
	ts := startServer(t)
	ts.mustPost("api", "/api/v1/orders", orderWith(`{"sku": "MUG", "qty": 2}`, `{"sku": "MUG", "qty": 8}`), 201)
	ts.blindCount(`{"bin": "A-01-01", "sku": "MUG", "counted": 7}`, 201, store.CountWaiting)
	cs := ts.pendingCounts()
	if len(cs) != 1 || cs[0].Variance != -3 || !strings.Contains(cs[0].Why, "below the 8 allocated") {
		t.Errorf("pending counts %+v", cs)
	}
	if n := ts.onHand("MUG", "A-01-01"); n != 10 {
		t.Errorf("MUG on hand %d, want 10", n)
	}
}

func TestCountCommandIDCountsOnce(t *testing.T) {
	ts := startServer(t)
	body := `{"id": "scan-7", "bin": "A-01-01", "sku": "MUG", "counted": 7}`
	first := ts.blindCount(body, 201, store.CountRecorded)
	again := ts.blindCount(body, 200, store.CountRecorded)
	if first != again {
		t.Errorf("replayed count id %d, want %d", again, first)
	}
	if n := ts.onHand("MUG", "A-01-01"); n != 7 || len(ts.countMovements("MUG")) != 1 {
		t.Errorf("MUG on hand %d with %d count movements; want 7 and 1", n, len(ts.countMovements("MUG")))
	}
}

func TestCountRefusesBadInput(t *testing.T) {
	ts := startServer(t)
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"unknown sku", "POST", "/api/v1/counts", `{"bin": "A-01-01", "sku": "NOPE", "counted": 1}`, 400,
			`sku: "NOPE" is not in the catalogue`},
		{"unknown bin", "POST", "/api/v1/counts", `{"bin": "Q-9", "sku": "MUG", "counted": 1}`, 400,
			`bin: bin "Q-9" does not exist`},
		{"negative", "POST", "/api/v1/counts", `{"bin": "A-01-01", "sku": "MUG", "counted": -1}`, 400,
			"counted: -1: must be 0 or more"},
		{"missing counted", "POST", "/api/v1/counts", `{"bin": "A-01-01", "sku": "MUG"}`, 400,
			"counted: required"},
		{"expected sent", "POST", "/api/v1/counts", `{"bin": "A-01-01", "sku": "MUG", "counted": 1,
			"expected": 10}`, 400, `unknown field "expected"`},
		{"bad status", "GET", "/api/v1/counts?status=open", "", 400, `status: "open" is not one of`},
		{"bad id", "POST", "/api/v1/counts/x/approve", "", 400, `id: "x" is not a count id`},
		{"unknown id", "POST", "/api/v1/counts/42/approve", "", 404, "no count 42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := ts.call(tt.method, tt.path, tt.body)
			if code != tt.status || !strings.Contains(errorText(t, body), tt.want) {
				t.Errorf("%s %s: %d %s; want %d with %q", tt.method, tt.path, code, body, tt.status, tt.want)
			}
		})
	}
	if n := ts.onHand("MUG", "A-01-01"); n != 10 || len(ts.pendingCounts()) != 0 {
		t.Errorf("refused counts changed stock or left counts: on hand %d", n)
	}
}

func TestCountOfLot(t *testing.T) {
	ts := startServer(t)
	ts.mustPost("bob", "/api/v1/stock/receive", `{"sku": "MUG", "bin": "A-01-01", "qty": 4, "lot": "L9"}`, 201)
	ts.blindCount(`{"bin": "A-01-01", "sku": "MUG", "lot": " L9 ", "counted": 3}`, 201, store.CountRecorded)
	id := ts.blindCount(`{"bin": "A-01-01", "sku": "MUG", "lot": "L9", "counted": 12}`, 201, store.CountWaiting)

	cs := ts.pendingCounts()
	if len(cs) != 1 || cs[0].ID != id || cs[0].Lot != "L9" || cs[0].Expected != 3 || cs[0].Variance != 9 {
		t.Fatalf("pending counts %+v; want lot L9 expected 3 variance +9", cs)
	}
	ts.mustPost("sam", fmt.Sprintf("/api/v1/counts/%d/approve", id), "", 200)
	ms := ts.countMovements("MUG")
	if len(ms) != 2 || ms[0].Lot != "L9" || ms[0].Qty != 9 || ms[1].Lot != "L9" || ms[1].Qty != -1 {
		t.Errorf("count movements %+v; want +9 and -1 of lot L9", ms)
	}
	if n := ts.onHand("MUG", "A-01-01"); n != 22 {
		t.Errorf("MUG on hand %d over every lot, want 10 without a lot and 12 of L9", n)
	}
	ts.wantBalanced()

	code, body := ts.call("POST", "/api/v1/counts",
		`{"bin": "A-01-01", "sku": "MUG", "counted": 1, "lot": "`+strings.Repeat("x", 65)+`"}`)
	if code != 400 || !strings.Contains(errorText(t, body), "lot: at most 64 characters") {
		t.Errorf("count with a long lot: %d %s", code, body)
	}
}
