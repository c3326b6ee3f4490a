package server

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
)

// TestCourierVerdict: what the packer reads for each kind of refusal.
func TestCourierVerdict(t *testing.T) {
	refused := func(kind error, field, msg string) error {
		return fmt.Errorf("buy: %w", &courier.Error{Courier: "EasyPost", Kind: kind, Field: field, Message: msg})
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"address", refused(courier.ErrAddress, "to.postal_code", "unknown postcode"),
			"the courier refused the address (to.postal_code: unknown postcode): fix the address, then print again"},
		{"rate limited", &courier.Error{Kind: courier.ErrRateLimited, RetryAfter: 30 * time.Second},
			"the courier is busy: try again in 30 s"},
		{"rate limited, no wait given", &courier.Error{Kind: courier.ErrRateLimited},
			"the courier is busy: try again in 1 s"},
		{"timeout", refused(courier.ErrTimeout, "", ""), "the courier did not answer: nothing was bought, try again"},
		{"service", refused(courier.ErrService, "", "no such service"),
			"the courier refused the service (no such service): choose another service"},
		{"parcel", refused(courier.ErrRequest, "parcels[0].weight", "too heavy"),
			"the courier refused the parcels (parcels[0].weight: too heavy): fix the weight or size, then print again"},
		{"account", refused(courier.ErrAccount, "", "card declined"),
			"the courier refused the account (card declined): call a supervisor"},
		{"unavailable", refused(courier.ErrUnavailable, "", "502"),
			"the courier is unavailable (502): try again later"},
		{"not a courier error", context.DeadlineExceeded,
			"the courier failed (context deadline exceeded): nothing was bought, try again"},
		{"an unknown kind", &courier.Error{Courier: "X", Kind: errors.New("odd")},
			"the courier refused (X: odd)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := courierVerdict(tt.err); got != tt.want {
				t.Errorf("courierVerdict = %q, want %q", got, tt.want)
			}
		})
	}
}
