package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/shipshape-oms/shipshape/server/store"
)

// post sends a JSON body as user and returns the status and body; it is
// safe to call from several goroutines at once.
func (ts *testServer) post(user, path, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ts.t.Context(), "POST", ts.url+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shipshape-User", user)
	resp, err := ts.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func (ts *testServer) mustPost(user, path, body string, wantStatus int) []byte {
	ts.t.Helper()
	code, data, err := ts.post(user, path, body)
	if err != nil || code != wantStatus {
		ts.t.Fatalf("POST %s %s: %d %s %v; want %d", path, body, code, data, err, wantStatus)
	}
	return data
}

// onHand returns the stock of sku in bin (0 when there is no row).
func (ts *testServer) onHand(sku, bin string) int64 {
	ts.t.Helper()
	p, err := ts.st.ProductBySKU(ts.t.Context(), sku)
	if err != nil {
		ts.t.Fatal(err)
	}
	var n int64
	for _, b := range p.Stock {
		if b.Bin == bin {
			n += b.OnHand // over every lot in the bin
		}
	}
	return n
}

// movements lists the SKU's movements through the API, newest first.
func (ts *testServer) movements(sku string) []store.Movement {
	ts.t.Helper()
	code, body := ts.call("GET", "/api/v1/stock/"+sku+"/movements?limit=1000", "")
	var ms []store.Movement
	if code != 200 || json.Unmarshal(body, &ms) != nil {
		ts.t.Fatalf("movements of %s: %d %s", sku, code, body)
	}
	return ms
}

func (ts *testServer) wantBalanced() {
	ts.t.Helper()
	ms, err := ts.st.Check(ts.t.Context())
	if err != nil {
		ts.t.Fatal(err)
	}
	for _, m := range ms {
		ts.t.Errorf("check: %s", m)
	}
}

func TestStockOperations(t *testing.T) {
	ts := startServer(t)
	ts.mustPost("rita", "/api/v1/stock/receive",
		`{"sku": "MUG", "bin": "a-01-01", "qty": 5, "lot": "L7", "reference": "PO-1"}`, 201)
	ts.mustPost("mo", "/api/v1/stock/move", `{"sku": "MUG", "from_bin": "A-01-01", "to_bin": "C-01-01", "qty": 4}`, 201)
	ts.mustPost("sue", "/api/v1/stock/adjust",
		`{"sku": "MUG", "bin": "C-01-01", "qty": -1, "reason": "damage", "note": "cracked handle"}`, 201)
	if a, c := ts.onHand("MUG", "A-01-01"), ts.onHand("MUG", "C-01-01"); a != 11 || c != 3 {
		t.Errorf("MUG on hand: A-01-01 %d, C-01-01 %d; want 11 and 3", a, c)
	}

	var got []string
	for _, m := range ts.movements("MUG") {
		got = append(got, fmt.Sprintf("%s %+d %s %s %s %s %s", m.Bin, m.Qty, m.Reason, m.User, m.Lot,
			m.Reference, m.Detail))
		if m.At == "" {
			t.Errorf("movement %d has no time", m.ID)
		}
	}
	want := []string{
		"C-01-01 -1 damage sue   cracked handle",
		"C-01-01 +4 move mo  A-01-01 -> C-01-01 ",
		"A-01-01 -4 move mo  A-01-01 -> C-01-01 ",
		"A-01-01 +5 receive rita L7 PO-1 ",
		"A-01-01 +10 import test  stock import ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("movements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ts.wantBalanced()

	code, body := ts.call("GET", "/api/v1/stock/NOPE/movements", "")
	if code != 404 || !strings.Contains(errorText(t, body), `"NOPE"`) {
		t.Errorf("movements of an unknown SKU: %d %s", code, body)
	}
}

func TestStockOperationsRefused(t *testing.T) {
	ts := startServer(t)
	ts.call("POST", "/api/v1/orders", validOrder) // 2 MUG allocated in A-01-01
	tests := []struct {
		name, path, body string
		want             []string
	}{
		{"unknown SKU", "receive", `{"sku": "NOPE", "bin": "A-01-01", "qty": 1}`, []string{"sku", `"NOPE"`}},
		{"qty 0", "receive", `{"sku": "MUG", "bin": "A-01-01", "qty": 0}`, []string{"qty"}},
		{"unknown field", "receive", `{"sku": "MUG", "bin": "A-01-01", "qty": 1, "colour": "red"}`,
			[]string{"colour"}},
		{"below allocated", "move", `{"sku": "MUG", "from_bin": "A-01-01", "to_bin": "B-01-01", "qty": 9}`,
			[]string{"qty", "leave 1 on hand", "2 allocated"}},
		{"negative", "adjust", `{"sku": "CUP", "bin": "A-01-02", "qty": -11, "reason": "count", "note": "n"}`,
			[]string{"qty", "only 10 on hand"}},
		{"bad reason", "adjust", `{"sku": "CUP", "bin": "A-01-02", "qty": 1, "reason": "found", "note": "n"}`,
			[]string{"reason", `"found"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, err := ts.post("u", "/api/v1/stock/"+tt.path, tt.body)
			if err != nil || code != 400 {
				t.Fatalf("%d %s %v; want 400", code, body, err)
			}
			for _, w := range tt.want {
				if msg := errorText(t, body); !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
	if n := len(ts.movements("MUG")) + len(ts.movements("CUP")); n != 2 {
		t.Errorf("%d movements after refused commands, want the 2 of the stock import", n)
	}
	if m, c := ts.onHand("MUG", "A-01-01"), ts.onHand("CUP", "A-01-02"); m != 10 || c != 10 {
		t.Errorf("on hand MUG %d CUP %d, want 10 and 10", m, c)
	}
	ts.wantBalanced()
}

func TestStockCommandIDCountsOnce(t *testing.T) {
	ts := startServer(t)
	body := `{"id": "hh7-0001", "sku": "CUP", "bin": "A-01-02", "qty": -2, "reason": "adjust", "note": "recount"}`
	first := ts.mustPost("sue", "/api/v1/stock/adjust", body, 201)
	again := ts.mustPost("sue", "/api/v1/stock/adjust", body, 200)
	if string(again) != string(first) {
		t.Errorf("replay answered %s, want the first answer %s", again, first)
	}
	if n := ts.onHand("CUP", "A-01-02"); n != 8 {
		t.Errorf("CUP on hand %d after a replayed -2, want 8", n)
	}
	ts.mustPost("max", "/api/v1/stock/adjust", body, 201) // ids are per user
	if n := ts.onHand("CUP", "A-01-02"); n != 6 {
		t.Errorf("CUP on hand %d, want 6", n)
	}
	ts.wantBalanced()
}

// TestConcurrentDeductions: requests that arrive together each see the
// stock the others left, so none is lost and none takes stock that is gone.
func TestConcurrentDeductions(t *testing.T) {
	ts := startServer(t)
	// Concurrent requests make the client dial connections it may never
	// use; the server's Shutdown waits 5 s for such connections unless the
	// client closes them first (cleanups run last registered first).
	t.Cleanup(ts.client.CloseIdleConnections)
	adjust := func(sku, bin string, qty int) string {
		return fmt.Sprintf(`{"sku": %q, "bin": %q, "qty": %d, "reason": "adjust", "note": "test"}`, sku, bin, qty)
	}
	var wg sync.WaitGroup
	for i, qty := range []int{-3, -2} {
		wg.Go(func() {
			code, body, err := ts.post(fmt.Sprintf("u%d", i), "/api/v1/stock/adjust", adjust("MUG", "A-01-01", qty))
			if err != nil {
				t.Errorf("adjust %d: %v", qty, err)
			}
			if code != 201 {
				t.Errorf("adjust %d: %d %s", qty, code, body)
			}
		})
	}
	wg.Wait()
	if n := ts.onHand("MUG", "A-01-01"); n != 5 {
		t.Errorf("MUG on hand %d after -3 and -2 from 10, want 5", n)
	}

	const requests = 30
	codes := make([]int, requests)
	for i := range requests {
		wg.Go(func() {
			code, body, err := ts.post(fmt.Sprintf("u%d", i), "/api/v1/stock/adjust", adjust("CUP", "A-01-02", -1))
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			if code == 400 && !strings.Contains(string(body), "only 0 on hand") {
				t.Errorf("request %d refused for another reason: %s", i, body)
			}
			codes[i] = code
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[201] != 10 || count[400] != requests-10 {
		t.Errorf("answers %v, want 10 x 201 and %d x 400", count, requests-10)
	}
	if n := ts.onHand("CUP", "A-01-02"); n != 0 {
		t.Errorf("CUP on hand %d, want 0", n)
	}

	// Replaying the ledger in order, the balance never went below zero.
	ms := ts.movements("CUP")
	var balance int64
	for i := len(ms) - 1; i >= 0; i-- {
		if balance += ms[i].Qty; balance < 0 {
			t.Errorf("balance %d after movement %d", balance, ms[i].ID)
		}
	}
	ts.wantBalanced()
}

func TestReceiveLotExpiry(t *testing.T) {
	ts := startServer(t)
	ts.mustPost("rita", "/api/v1/stock/receive",
		`{"sku": "MUG", "bin": "B-01-01", "qty": 3, "lot": "L9", "expiry": "2099-05-01"}`, 201)
	for _, c := range []struct {
		body string
		code int
		want []string
	}{
		{`{"sku": "MUG", "bin": "B-01-01", "qty": 1, "lot": "L9", "expiry": "2099-06-01"}`, 409,
			[]string{"2099-05-01", "2099-06-01"}},
		{`{"sku": "MUG", "bin": "B-01-01", "qty": 1, "lot": "L9", "expiry": "1 May 2099"}`, 400,
			[]string{"expiry", "YYYY-MM-DD"}},
	} {
		code, body, err := ts.post("rita", "/api/v1/stock/receive", c.body)
		if err != nil || code != c.code {
			t.Fatalf("POST %s: %d %s %v; want %d", c.body, code, body, err, c.code)
		}
		for _, w := range c.want {
			if !strings.Contains(string(body), w) {
				t.Errorf("POST %s: %s does not name %q", c.body, body, w)
			}
		}
	}
	if n := ts.onHand("MUG", "B-01-01"); n != 3 {
		t.Errorf("MUG on hand in B-01-01: %d, want 3", n)
	}
	ts.wantBalanced()
}
