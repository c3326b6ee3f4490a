package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Fulfilment is a despatch waiting to be told to its sales channel (a row
// of fulfilment_outbox): shipped or voided, with its tracking as JSON.
type Fulfilment struct {
	ID             int64           `json:"id"`
	At             string          `json:"at"`
	Order          string          `json:"order"`
	ChannelID      string          `json:"channel_id"`
	ChannelOrderID string          `json:"channel_order_id"`
	ConsignmentID  int64           `json:"consignment_id"`
	Kind           string          `json:"kind"` // shipped or voided
	Payload        json.RawMessage `json:"payload"`
	SentAt         *string         `json:"sent_at"`
}

const fulfilmentSelect = `SELECT f.id, f.at, o.number, f.channel_id, f.channel_order_id, f.consignment_id,
	f.kind, f.payload, f.sent_at FROM fulfilment_outbox f JOIN orders o ON o.id = f.order_id`

func scanFulfilment(row interface{ Scan(...any) error }) (Fulfilment, error) {
	var f Fulfilment
	var payload string
	var sent sql.NullString
	err := row.Scan(&f.ID, &f.At, &f.Order, &f.ChannelID, &f.ChannelOrderID, &f.ConsignmentID, &f.Kind,
		&payload, &sent)
	if err != nil {
		return f, err
	}
	if !json.Valid([]byte(payload)) {
		return f, fmt.Errorf("fulfilment %d: payload is not JSON", f.ID)
	}
	f.Payload = json.RawMessage(payload)
	if sent.Valid {
		f.SentAt = &sent.String
	}
	return f, nil
}

// Fulfilments returns up to limit outbox rows in the order they were
// written, after the id after (0 for the start); only the unsent ones when
// unsent is true.
func (s *Store) Fulfilments(ctx context.Context, unsent bool, after int64, limit int) ([]Fulfilment, error) {
	rows, err := s.read.QueryContext(ctx, fulfilmentSelect+` WHERE f.id > ? AND (? = 0 OR f.sent_at IS NULL)
		ORDER BY f.id LIMIT ?`, after, unsent, limit)
	if err != nil {
		return nil, fmt.Errorf("fulfilments: %w", err)
	}
	defer rows.Close()
	out := []Fulfilment{}
	for rows.Next() {
		f, err := scanFulfilment(rows)
		if err != nil {
			return nil, fmt.Errorf("fulfilments: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// MarkFulfilmentSent records that the channel was told of fulfilment id
// and returns it. Marking one already sent changes nothing (a retried call
// keeps the first time). It returns an ENotFound error for an unknown id.
func (s *Store) MarkFulfilmentSent(ctx context.Context, actor string, id int64) (Fulfilment, error) {
	var f Fulfilment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE fulfilment_outbox SET sent_at = ?
			WHERE id = ? AND sent_at IS NULL`, s.now(), id))
		if err != nil {
			return fmt.Errorf("fulfilment %d sent: %w", id, err)
		}
		f, err = scanFulfilment(tx.QueryRowContext(ctx, fulfilmentSelect+` WHERE f.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return oms.Errorf(oms.ENotFound, "no fulfilment %d", id)
		} else if err != nil {
			return fmt.Errorf("fulfilment %d sent: %w", id, err)
		}
		if n == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, "fulfilment.sent", "order", f.Order,
			fmt.Sprintf("fulfilment %d (%s) told to %s", id, f.Kind, f.ChannelID))
	})
	return f, err
}
