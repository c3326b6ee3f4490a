package oms

import (
	"bytes"
	"encoding/json"
	"time"
)

// UnmarshalJSON decodes an order strictly (an unknown field is an error, so
// a misspelt one is not silently dropped) and names placed_at when it is not
// an RFC 3339 time, which encoding/json alone would not.
func (o *OrderInput) UnmarshalJSON(b []byte) error {
	type plain OrderInput // without this method
	var v struct {
		plain
		PlacedAt string `json:"placed_at"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*o = OrderInput(v.plain)
	if v.PlacedAt == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, v.PlacedAt)
	if err != nil {
		return orderFieldError("placed_at", "%q is not an RFC 3339 time such as 2026-12-04T09:30:00Z", v.PlacedAt)
	}
	o.PlacedAt = t
	return nil
}
