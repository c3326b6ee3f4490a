package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// orderRef is an order as a scan or a URL names it.
type orderRef struct {
	id                      int64
	number, channel, status string
}

// findOrder finds the order a person means by code: our number (SO-000001),
// else the channel's order id when exactly one order has it, else (when
// withTote) the order picked into that tote most recently and not shipped.
// A channel order id that orders of several channels share is an EConflict
// naming them: guessing would put one customer's label on another's parcel.
// No match is an ENotFound error.
func findOrder(ctx context.Context, q queryer, code string, withTote bool) (orderRef, error) {
	code = strings.TrimSpace(code)
	refs, err := orderRefs(ctx, q, `SELECT id, number, channel, status FROM orders WHERE number = upper(?)`, code)
	if err != nil || len(refs) == 1 {
		return first(refs), err
	}
	refs, err = orderRefs(ctx, q, `SELECT id, number, channel, status FROM orders WHERE channel_order_id = ?
		ORDER BY id`, code)
	switch {
	case err != nil:
		return orderRef{}, err
	case len(refs) == 1:
		return refs[0], nil
	case len(refs) > 1:
		var names []string
		for _, r := range refs {
			names = append(names, fmt.Sprintf("%s (%s)", r.number, r.channel))
		}
		return orderRef{}, oms.Errorf(oms.EConflict, "%q is the order id of %s: use our order number",
			code, strings.Join(names, " and "))
	}
	if withTote && oms.IsToteCode(code) {
		refs, err = orderRefs(ctx, q, `SELECT o.id, o.number, o.channel, o.status FROM orders o
			JOIN pick_tasks t ON t.order_id = o.id
			WHERE t.tote = upper(?) AND o.status <> 'shipped' ORDER BY t.id DESC LIMIT 1`, code)
		if err != nil || len(refs) == 1 {
			return first(refs), err
		}
	}
	return orderRef{}, oms.Errorf(oms.ENotFound, "no order %s", code)
}

func first(refs []orderRef) orderRef {
	if len(refs) == 0 {
		return orderRef{}
	}
	return refs[0]
}

func orderRefs(ctx context.Context, q queryer, query string, args ...any) ([]orderRef, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find order: %w", err)
	}
	defer rows.Close()
	var refs []orderRef
	for rows.Next() {
		var r orderRef
		if err := rows.Scan(&r.id, &r.number, &r.channel, &r.status); err != nil {
			return nil, fmt.Errorf("find order: %w", err)
		}
		refs = append(refs, r)
	}
	return refs, rows.Err()
}

// statusPhrase says where an order is, for messages: "Order SO-000001 is
// being picked".
func statusPhrase(status string) string {
	switch status {
	case StatusWaiting:
		return "waiting for stock"
	case StatusAllocated:
		return "waiting to be picked"
	case StatusPicking:
		return "being picked"
	case StatusPicked:
		return "picked, ready to pack"
	case StatusPacking:
		return "being packed"
	case StatusShipped:
		return "shipped"
	case StatusException:
		return "in exception"
	case StatusCancelled:
		return "cancelled"
	default:
		return status
	}
}
