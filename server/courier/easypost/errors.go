package easypost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
)

// errorBody is EasyPost's error answer:
// {"error": {"code", "message", "errors": [{"field", "message"} or "text"]}}.
type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Errors  []json.RawMessage `json:"errors"`
	} `json:"error"`
}

// fieldError is one entry of an error's "errors".
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// apiError maps an EasyPost answer that is not 2xx to a *courier.Error:
// 401/403 ErrAuth, 402 ErrAccount, 404 ErrNotFound, 429 ErrRateLimited
// (with Retry-After), 5xx ErrUnavailable, an ADDRESS code or an address
// field ErrAddress, any other 4xx ErrRequest. Message is EasyPost's own,
// with its field messages; Field is the first field it names, in our words.
func apiError(resp *http.Response, data []byte) *courier.Error {
	var body errorBody
	_ = json.Unmarshal(data, &body) // a proxy's HTML page leaves it empty
	field, msg := describe(body)
	if msg == "" {
		msg = "EasyPost answered " + resp.Status
	}
	e := fail(kindOf(resp.StatusCode, body.Error.Code, field), field, msg, nil)
	if resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
		if e.RetryAfter > 0 {
			e.Message += fmt.Sprintf(" (retry in %s)", e.RetryAfter)
		}
	}
	return e
}

func kindOf(status int, code, field string) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return courier.ErrAuth
	case status == http.StatusPaymentRequired:
		return courier.ErrAccount
	case status == http.StatusNotFound:
		return courier.ErrNotFound
	case status == http.StatusTooManyRequests:
		return courier.ErrRateLimited
	case status >= 500:
		return courier.ErrUnavailable
	case strings.Contains(code, "ADDRESS") || strings.HasPrefix(field, "to.") ||
		strings.HasPrefix(field, "from."):
		return courier.ErrAddress
	default:
		return courier.ErrRequest
	}
}

// describe returns the first field an error names and its message: the
// top message, then each field message that says something more.
func describe(body errorBody) (field, msg string) {
	msgs := []string{}
	if m := strings.TrimSpace(body.Error.Message); m != "" {
		msgs = append(msgs, m)
	}
	for _, raw := range body.Error.Errors {
		var fe fieldError
		if json.Unmarshal(raw, &fe) != nil {
			_ = json.Unmarshal(raw, &fe.Message) // EasyPost also sends plain strings
		}
		if f := ourField(fe.Field); field == "" && f != "" {
			field = f
		}
		if m := strings.TrimSpace(fe.Message); m != "" && !contains(msgs, m) {
			msgs = append(msgs, m)
		}
	}
	return field, strings.Join(msgs, "; ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ourField names an EasyPost field as courier.Request does:
// "to_address.zip" is "to.postal_code", "street1" is "line1". "address",
// EasyPost's word for the whole address, names no field.
func ourField(f string) string {
	words := map[string]string{
		"to_address": "to", "from_address": "from", "street1": "line1", "street2": "line2",
		"zip": "postal_code", "address": "",
	}
	parts := strings.Split(strings.TrimSpace(f), ".")
	var out []string
	for _, p := range parts {
		if w, ok := words[p]; ok {
			p = w
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

// retryAfter reads Retry-After: seconds, or an HTTP date; 0 when absent.
func retryAfter(v string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t).Round(time.Second), 0)
	}
	return 0
}

// transportError maps a request that got no answer: its time ran out
// (ErrTimeout), it was cancelled (ErrTimeout too: nobody waits for it), or
// EasyPost could not be reached (ErrUnavailable).
func transportError(req *http.Request, err error, limit time.Duration) *courier.Error {
	what := req.Method + " " + req.URL.Path
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fail(courier.ErrTimeout, "", fmt.Sprintf("no answer to %s within %s", what, limit), err)
	case errors.Is(err, context.Canceled):
		return fail(courier.ErrTimeout, "", what+" was cancelled", err)
	default:
		return fail(courier.ErrUnavailable, "", "could not reach EasyPost for "+what, err)
	}
}
