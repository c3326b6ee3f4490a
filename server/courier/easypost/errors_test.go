package easypost

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
)

func TestOuncesInches(t *testing.T) {
	tests := []struct {
		name string
		f    func(int) float64
		in   int
		want float64
	}{
		{"one ounce is 28.35 g, rounded up", Ounces, 29, 1.1},
		{"exactly 1 oz is under 28.35 g", Ounces, 28, 1.0},
		{"1 kg", Ounces, 1000, 35.3},
		{"1.2 kg", Ounces, 1200, 42.4},
		{"a gram rounds up to 0.1 oz", Ounces, 1, 0.1},
		{"no weight", Ounces, 0, 0},
		{"254 mm is exactly 10 in", Inches, 254, 10},
		{"255 mm rounds up", Inches, 255, 10.1},
		{"300 mm", Inches, 300, 11.9},
		{"no size", Inches, -5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f(tc.in); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAPIError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		kind   error
		field  string
		want   string
	}{
		{"address with field errors", 422, nil,
			`{"error":{"code":"ADDRESS.VERIFY.FAILURE","message":"Address not found","errors":[` +
				`{"field":"address","message":"Address not found"},{"field":"street1","message":"House number is missing"}]}}`,
			courier.ErrAddress, "line1", "EasyPost: address refused (line1): Address not found; House number is missing"},
		{"invalid params naming the recipient", 422, nil,
			`{"error":{"code":"SHIPMENT.INVALID_PARAMS","message":"Invalid shipment","errors":[` +
				`{"field":"to_address.zip","message":"is invalid"}]}}`,
			courier.ErrAddress, "to.postal_code", "EasyPost: address refused (to.postal_code): Invalid shipment; is invalid"},
		{"invalid params on the parcel", 422, nil,
			`{"error":{"code":"SHIPMENT.INVALID_PARAMS","message":"Invalid shipment","errors":["weight is too high"]}}`,
			courier.ErrRequest, "", "EasyPost: shipment details refused: Invalid shipment; weight is too high"},
		{"bad key", 401, nil, `{"error":{"code":"APIKEY.INACTIVE","message":"The API key is not valid","errors":[]}}`,
			courier.ErrAuth, "", "EasyPost: courier refused the credentials: The API key is not valid"},
		{"forbidden", 403, nil, ``, courier.ErrAuth, "",
			"EasyPost: courier refused the credentials: EasyPost answered 403 Forbidden"},
		{"no funds", 402, nil, `{"error":{"code":"PAYMENT.REQUIRED","message":"Insufficient funds"}}`,
			courier.ErrAccount, "", "EasyPost: courier account refused the purchase: Insufficient funds"},
		{"unknown shipment", 404, nil, `{"error":{"code":"NOT_FOUND","message":"Not found"}}`,
			courier.ErrNotFound, "", "EasyPost: no such shipment: Not found"},
		{"rate limited", 429, http.Header{"Retry-After": {"30"}}, `{"error":{"code":"RATE_LIMITED","message":"Slow down"}}`,
			courier.ErrRateLimited, "", "EasyPost: courier is rate limiting: Slow down (retry in 30s)"},
		{"their side failed, HTML body", 503, nil, `<html>down</html>`, courier.ErrUnavailable, "",
			"EasyPost: courier unavailable: EasyPost answered 503 Service Unavailable"},
		{"internal error", 500, nil, `{"error":{"code":"INTERNAL_SERVER_ERROR","message":"Something broke"}}`,
			courier.ErrUnavailable, "", "EasyPost: courier unavailable: Something broke"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tc.status, Status: statusLine(tc.status), Header: tc.header}
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			err := apiError(resp, []byte(tc.body))
			if !errors.Is(err, tc.kind) || err.Field != tc.field || err.Error() != tc.want {
				t.Errorf("got kind %v field %q %q\nwant kind %v field %q %q",
					err.Kind, err.Field, err.Error(), tc.kind, tc.field, tc.want)
			}
		})
	}
}

func statusLine(code int) string {
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}

func TestRetryAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "0": 0, "7": 7 * time.Second, "soon": 0} {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
