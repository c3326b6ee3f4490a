package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Oversell policies: what a new order from a channel does when it does not
// fit in the channel's available-to-sell. A backorder waits and is allocated
// when stock arrives; a refused order is not stored, and the API call or
// import file that brought it fails with an EConflict error.
const (
	OversellRefuse    = "refuse"
	OversellBackorder = "backorder"
)

// fenceTime is how ring-fence and outbox times are stored: UTC, whole
// seconds, so that text order is time order.
const fenceTime = "2006-01-02T15:04:05Z"

// LowStockUnits is the available quantity (on hand - allocated) at or below
// which a SKU's stock is reported low.
const LowStockUnits = 5

// Channel is a sales channel and how much of the stock it may list.
type Channel struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	SafetyBufferUnits   int64  `json:"safety_buffer_units"`
	SafetyBufferPercent int64  `json:"safety_buffer_percent"`
	MaxListed           *int64 `json:"max_listed"`
	OversellPolicy      string `json:"oversell_policy"`
}

var channelID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// validate checks c and fills its defaults: the name is the id and the
// policy is backorder when not given.
func (c *Channel) validate() error {
	if !channelID.MatchString(c.ID) {
		return oms.Errorf(oms.EInvalid, "channel id %q: 1-32 lower-case letters, digits, - or _", c.ID)
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		c.Name = c.ID
	}
	switch {
	case len(c.Name) > 100:
		return oms.Errorf(oms.EInvalid, "channel %s: name: at most 100 characters", c.ID)
	case c.SafetyBufferUnits < 0 || c.SafetyBufferUnits > 1_000_000_000:
		return oms.Errorf(oms.EInvalid, "channel %s: safety_buffer_units: %d is not from 0 to 1000000000",
			c.ID, c.SafetyBufferUnits)
	case c.SafetyBufferPercent < 0 || c.SafetyBufferPercent > 100:
		return oms.Errorf(oms.EInvalid, "channel %s: safety_buffer_percent: %d is not from 0 to 100",
			c.ID, c.SafetyBufferPercent)
	case c.MaxListed != nil && *c.MaxListed < 0:
		return oms.Errorf(oms.EInvalid, "channel %s: max_listed: %d is negative", c.ID, *c.MaxListed)
	}
	if c.OversellPolicy == "" {
		c.OversellPolicy = OversellBackorder
	}
	if c.OversellPolicy != OversellRefuse && c.OversellPolicy != OversellBackorder {
		return oms.Errorf(oms.EInvalid, "channel %s: oversell_policy: %q is not refuse or backorder",
			c.ID, c.OversellPolicy)
	}
	return nil
}

// PutChannel creates or updates a channel and reports whether it was
// created. An invalid field is an EInvalid error naming it. Every SKU's
// available-to-sell is recomputed, and changes go to the outbox.
func (s *Store) PutChannel(ctx context.Context, actor string, c Channel) (Channel, bool, error) {
	if err := c.validate(); err != nil {
		return c, false, err
	}
	var created bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO channels (id, name, safety_buffer_units,
			safety_buffer_percent, max_listed, oversell_policy, created_at, updated_at)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
			ON CONFLICT (id) DO UPDATE SET name = ?2, safety_buffer_units = ?3,
			safety_buffer_percent = ?4, max_listed = ?5, oversell_policy = ?6, updated_at = ?7
			RETURNING created_at = updated_at`, c.ID, c.Name, c.SafetyBufferUnits,
			c.SafetyBufferPercent, c.MaxListed, c.OversellPolicy, now).Scan(&created)
		if err != nil {
			return fmt.Errorf("put channel %s: %w", c.ID, err)
		}
		detail := fmt.Sprintf("buffer %d units / %d%%, max listed %s, oversell %s", c.SafetyBufferUnits,
			c.SafetyBufferPercent, maxText(c.MaxListed), c.OversellPolicy)
		if err := s.audit(ctx, tx, actor, "channel.put", "channel", c.ID, detail); err != nil {
			return err
		}
		return s.syncListings(ctx, tx, nil)
	})
	return c, created, err
}

func maxText(n *int64) string {
	if n == nil {
		return "none"
	}
	return fmt.Sprint(*n)
}

// Channels returns every channel, by id.
func (s *Store) Channels(ctx context.Context) ([]Channel, error) {
	return channels(ctx, s.read)
}

func channels(ctx context.Context, q queryer) ([]Channel, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, safety_buffer_units, safety_buffer_percent,
		max_listed, oversell_policy FROM channels ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	defer rows.Close()
	out := []Channel{}
	for rows.Next() {
		var c Channel
		var max sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Name, &c.SafetyBufferUnits, &c.SafetyBufferPercent, &max,
			&c.OversellPolicy); err != nil {
			return nil, fmt.Errorf("channels: %w", err)
		}
		if max.Valid {
			c.MaxListed = &max.Int64
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ensureChannel creates a channel an order names if it does not exist yet,
// with no buffers, so orders from a new channel need no set-up first.
func (s *Store) ensureChannel(ctx context.Context, tx *sql.Tx, id string) error {
	now := s.now()
	_, err := tx.ExecContext(ctx, `INSERT INTO channels (id, name, created_at, updated_at)
		VALUES (?1, ?1, ?2, ?2) ON CONFLICT (id) DO NOTHING`, id, now)
	if err != nil {
		return fmt.Errorf("channel %s: %w", id, err)
	}
	return nil
}

// sellable returns what channel id may sell now of each of skus, by
// availableToSell; allocating an order never takes more. A channel with no
// row (an order older than channels) counts as one with no buffers.
func (s *Store) sellable(ctx context.Context, tx *sql.Tx, id string, skus []string) (map[string]int64, error) {
	c := Channel{ID: id}
	var max sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT safety_buffer_units, safety_buffer_percent, max_listed
		FROM channels WHERE id = ?`, id).Scan(&c.SafetyBufferUnits, &c.SafetyBufferPercent, &max)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("channel %s: %w", id, err)
	}
	if max.Valid {
		c.MaxListed = &max.Int64
	}
	bundles, err := bundlesTouching(ctx, tx, skus)
	if err != nil {
		return nil, err
	}
	all := withBundles(skus, bundles)
	stock, err := stockOf(ctx, tx, s.today(), all)
	if err != nil {
		return nil, err
	}
	fences, err := activeFences(ctx, tx, s.Now(), all)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(skus))
	for _, sku := range skus {
		out[sku] = skuATS(c, sku, stock, fences, bundles)
	}
	return out, nil
}

// RingFence is stock of a SKU held for one channel: other channels do not
// see it as available to sell while the fence is active.
type RingFence struct {
	ID        int64   `json:"id"`
	SKU       string  `json:"sku"`
	ChannelID string  `json:"channel_id"`
	Qty       int64   `json:"qty"`
	StartsAt  string  `json:"starts_at"`
	EndsAt    *string `json:"ends_at"`
}

// RingFenceInput is a new ring fence. StartsAt is an RFC 3339 time with an
// offset, or a date and time without one (2026-12-05T08:00 or 2026-12-05
// 08:00, seconds optional) read in the store's Zone; now when empty. EndsAt
// takes the same forms, or is empty for open-ended.
type RingFenceInput struct {
	SKU       string `json:"sku"`
	ChannelID string `json:"channel_id"`
	Qty       int64  `json:"qty"`
	StartsAt  string `json:"starts_at"`
	EndsAt    string `json:"ends_at"`
}

// parseTimes returns the fence's start and end (nil when open) as stored,
// reading times without an offset in zone.
func (in RingFenceInput) parseTimes(now time.Time, zone *time.Location) (string, *string, error) {
	start := now
	if in.StartsAt != "" {
		t, err := parseFenceTime("starts_at", in.StartsAt, zone)
		if err != nil {
			return "", nil, err
		}
		start = t
	}
	starts := start.UTC().Format(fenceTime)
	if in.EndsAt == "" {
		return starts, nil, nil
	}
	end, err := parseFenceTime("ends_at", in.EndsAt, zone)
	if err != nil {
		return "", nil, err
	}
	ends := end.UTC().Format(fenceTime)
	if ends <= starts {
		return "", nil, oms.Errorf(oms.EInvalid, "ends_at: %s is not after starts_at %s", ends, starts)
	}
	return starts, &ends, nil
}

// localLayouts are the forms of a wall-clock time without an offset.
var localLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05",
	"2006-01-02 15:04:05"}

// parseFenceTime reads v, the field's value, as an RFC 3339 time with an
// offset or as a wall-clock time in zone. A wall-clock time the clocks skip
// (spring forward) or show twice (fall back) is an EInvalid error asking for
// an offset: guessing would move a promotion's start by an hour.
func parseFenceTime(field, v string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range localLayouts {
		wall, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		return inZone(field, v, wall, zone)
	}
	return time.Time{}, oms.Errorf(oms.EInvalid, "%s: %q is neither an RFC 3339 time such as "+
		"2026-12-05T08:00:00+01:00 nor a local time such as 2026-12-05T08:00 or 2026-12-05 08:00",
		field, v)
}

// inZone returns the one instant at which clocks in zone show wall (parsed
// as UTC, so its fields are the wall clock's). Around a change of offset
// there may be none or two; each offset in force within a day either side is
// tried.
func inZone(field, v string, wall time.Time, zone *time.Location) (time.Time, error) {
	var found []time.Time
	for _, probe := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, offset := wall.Add(probe).In(zone).Zone()
		t := wall.Add(-time.Duration(offset) * time.Second)
		if sameWall(t.In(zone), wall) && !slices.ContainsFunc(found, t.Equal) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return time.Time{}, oms.Errorf(oms.EInvalid, "%s: %q does not exist in %s (the clocks go "+
			"forward then): give a later time or an offset", field, v, zone)
	default:
		return time.Time{}, oms.Errorf(oms.EInvalid, "%s: %q happens twice in %s (the clocks go back "+
			"then): give it with an offset, %s or %s", field, v, zone,
			found[0].In(zone).Format("-07:00"), found[1].In(zone).Format("-07:00"))
	}
}

// sameWall reports whether t's wall clock (in its own location) reads the
// same as wall's fields.
func sameWall(t, wall time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == wall.Hour() && t.Minute() == wall.Minute() &&
		t.Second() == wall.Second()
}

// AddRingFence holds qty units of a SKU for a channel. An unknown SKU or
// channel, a qty below 1 or a bad time is an EInvalid error naming the field.
// Changed available-to-sell goes to the outbox in the same transaction.
func (s *Store) AddRingFence(ctx context.Context, actor string, in RingFenceInput) (RingFence, error) {
	if in.Qty < 1 || in.Qty > 1_000_000_000 {
		return RingFence{}, oms.Errorf(oms.EInvalid, "qty: %d is not from 1 to 1000000000", in.Qty)
	}
	starts, ends, err := in.parseTimes(s.Now(), cmp.Or(s.Zone, time.Local))
	if err != nil {
		return RingFence{}, err
	}
	f := RingFence{SKU: in.SKU, ChannelID: in.ChannelID, Qty: in.Qty, StartsAt: starts, EndsAt: ends}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := fenceRefs(ctx, tx, in); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO ring_fences (sku, channel_id, qty, starts_at, ends_at,
			created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, f.SKU, f.ChannelID, f.Qty, f.StartsAt,
			f.EndsAt, s.now()).Scan(&f.ID)
		if err != nil {
			return fmt.Errorf("add ring fence: %w", err)
		}
		detail := fmt.Sprintf("%d of %s for %s from %s until %s", f.Qty, f.SKU, f.ChannelID, f.StartsAt,
			derefOr(f.EndsAt, "ended by hand"))
		if err := s.audit(ctx, tx, actor, "ring_fence.add", "ring_fence", fmt.Sprint(f.ID), detail); err != nil {
			return err
		}
		return s.syncListings(ctx, tx, []string{f.SKU})
	})
	return f, err
}

func derefOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// fenceRefs checks that a fence's SKU and channel exist.
func fenceRefs(ctx context.Context, tx *sql.Tx, in RingFenceInput) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM products WHERE sku = ?`, in.SKU).Scan(&n)
	if err != nil {
		return fmt.Errorf("ring fence sku: %w", err)
	}
	if n == 0 {
		return oms.Errorf(oms.EInvalid, "sku: %q is not in the catalogue", in.SKU)
	}
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM channels WHERE id = ?`, in.ChannelID).Scan(&n)
	if err != nil {
		return fmt.Errorf("ring fence channel: %w", err)
	}
	if n == 0 {
		return oms.Errorf(oms.EInvalid, "channel_id: %q is not a channel", in.ChannelID)
	}
	return nil
}

// EndRingFence ends a fence now, keeping it as history, and records that in
// the audit trail. A fence that has ended already is returned unchanged; an
// unknown id is an ENotFound error.
func (s *Store) EndRingFence(ctx context.Context, actor string, id int64) (RingFence, error) {
	var f RingFence
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, sku, channel_id, qty, starts_at, ends_at
			FROM ring_fences WHERE id = ?`, id).Scan(&f.ID, &f.SKU, &f.ChannelID, &f.Qty, &f.StartsAt, &f.EndsAt)
		if errors.Is(err, sql.ErrNoRows) {
			return oms.Errorf(oms.ENotFound, "no ring fence %d", id)
		} else if err != nil {
			return fmt.Errorf("ring fence %d: %w", id, err)
		}
		now := s.Now().UTC().Format(fenceTime)
		if f.EndsAt != nil && *f.EndsAt <= now {
			return nil
		}
		// A fence that has not started yet ends as it begins, so it never
		// holds anything.
		end := max(now, f.StartsAt)
		if _, err := tx.ExecContext(ctx, `UPDATE ring_fences SET ends_at = ? WHERE id = ?`,
			end, id); err != nil {
			return fmt.Errorf("end ring fence %d: %w", id, err)
		}
		f.EndsAt = &end
		detail := fmt.Sprintf("%d of %s for %s ended at %s", f.Qty, f.SKU, f.ChannelID, end)
		if err := s.audit(ctx, tx, actor, "ring_fence.end", "ring_fence", fmt.Sprint(id), detail); err != nil {
			return err
		}
		return s.syncListings(ctx, tx, []string{f.SKU})
	})
	return f, err
}

// Availability is a SKU's stock over all bins and what each channel may
// sell of it.
type Availability struct {
	SKU       string `json:"sku"`
	OnHand    int64  `json:"on_hand"`
	Allocated int64  `json:"allocated"`
	// Available is on hand less allocated: stock not yet promised to orders.
	// A bundle has no stock of its own (on hand and allocated are 0): its
	// available is the whole bundles its components' available make.
	Available int64 `json:"available"`
	// AvailableToSell is per channel id; see availableToSell.
	AvailableToSell map[string]int64 `json:"available_to_sell"`
}

// Availability returns a SKU's stock and its available-to-sell on every
// channel, read in one snapshot. An unknown SKU is an ENotFound error.
func (s *Store) Availability(ctx context.Context, sku string) (*Availability, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("availability of %s: %w", sku, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM products WHERE sku = ?`, sku).Scan(&n); err != nil {
		return nil, fmt.Errorf("availability of %s: %w", sku, err)
	}
	if n == 0 {
		return nil, oms.Errorf(oms.ENotFound, "no product with sku %q", sku)
	}
	chans, err := channels(ctx, tx)
	if err != nil {
		return nil, err
	}
	bundles, err := bundlesTouching(ctx, tx, []string{sku})
	if err != nil {
		return nil, err
	}
	all := withBundles([]string{sku}, bundles)
	stock, err := stockOf(ctx, tx, s.today(), all)
	if err != nil {
		return nil, err
	}
	fences, err := activeFences(ctx, tx, s.Now(), all)
	if err != nil {
		return nil, err
	}
	st := stock[sku]
	a := &Availability{SKU: sku, OnHand: st.onHand, Allocated: st.allocated,
		Available: st.onHand - st.allocated, AvailableToSell: map[string]int64{}}
	if comps, ok := bundles[sku]; ok {
		a.Available = bundleFigure(comps, func(c string) int64 { return stock[c].onHand - stock[c].allocated })
	}
	for _, c := range chans {
		a.AvailableToSell[c.ID] = skuATS(c, sku, stock, fences, bundles)
	}
	return a, nil
}

// AvailableToSell returns what each channel, by id, may list of a SKU. An
// unknown SKU is an ENotFound error.
func (s *Store) AvailableToSell(ctx context.Context, sku string) (map[string]int64, error) {
	a, err := s.Availability(ctx, sku)
	if err != nil {
		return nil, err
	}
	return a.AvailableToSell, nil
}

// AvailableUnits returns on hand less allocated for each of skus, or for a
// bundle the whole bundles its components' make; a SKU without stock has 0.
//
// TODO: the bundles and the stock are two reads, not one snapshot; a change
// between them may give a figure that was never true at one instant.
func (s *Store) AvailableUnits(ctx context.Context, skus []string) (map[string]int64, error) {
	bundles, err := bundlesTouching(ctx, s.read, skus)
	if err != nil {
		return nil, err
	}
	stock, err := stockOf(ctx, s.read, s.today(), withBundles(skus, bundles))
	if err != nil {
		return nil, err
	}
	avail := func(sku string) int64 { return stock[sku].onHand - stock[sku].allocated }
	out := make(map[string]int64, len(skus))
	for _, sku := range skus {
		out[sku] = avail(sku)
		if comps, ok := bundles[sku]; ok {
			out[sku] = bundleFigure(comps, avail)
		}
	}
	return out, nil
}

// availableToSell is what channel c may list when available units are
// neither on hand nor allocated and fenced holds the active ring fences per
// channel:
//
//	max(0, min(max_listed, available - fenced for other channels - buffer))
//	buffer = max(buffer units, ceil(buffer percent × available / 100))
//
// Stock fenced for c itself stays in c's figure.
func availableToSell(c Channel, available int64, fenced map[string]int64) int64 {
	var others int64
	for ch, q := range fenced {
		if ch != c.ID {
			others += q
		}
	}
	percent := (c.SafetyBufferPercent*max(available, 0) + 99) / 100
	ats := available - others - max(c.SafetyBufferUnits, percent)
	if c.MaxListed != nil {
		ats = min(ats, *c.MaxListed)
	}
	return max(0, ats)
}

type skuStock struct{ onHand, allocated int64 }

// inList returns " AND col IN (?, ...)" and its arguments, or nothing when
// skus is nil (meaning every SKU).
func inList(col string, skus []string) (string, []any) {
	if skus == nil {
		return "", nil
	}
	args := make([]any, len(skus))
	for i, sku := range skus {
		args[i] = sku
	}
	return " AND " + col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(skus)), ", ") + ")", args
}

// stockOf sums stock over bins per SKU, of skus or (nil) every SKU. Stock
// of a product that is not stocked does not count.
//
// Units of a lot that expired before today (YYYY-MM-DD) cannot be sold: they
// count only as far as they are already allocated, so they add nothing to
// what is available.
func stockOf(ctx context.Context, q queryer, today string, skus []string) (map[string]skuStock, error) {
	where, args := inList("p.sku", skus)
	rows, err := q.QueryContext(ctx, `SELECT p.sku,
			SUM(CASE WHEN l.expiry <> '' AND l.expiry < ? THEN s.allocated ELSE s.on_hand END),
			SUM(s.allocated)
		FROM stock s JOIN products p ON p.id = s.product_id
		LEFT JOIN lots l ON l.product_id = s.product_id AND l.lot = s.lot
		WHERE p.stocked = 1`+where+`
		GROUP BY p.sku`, append([]any{today}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("stock per sku: %w", err)
	}
	defer rows.Close()
	out := map[string]skuStock{}
	for rows.Next() {
		var sku string
		var st skuStock
		if err := rows.Scan(&sku, &st.onHand, &st.allocated); err != nil {
			return nil, fmt.Errorf("stock per sku: %w", err)
		}
		out[sku] = st
	}
	return out, rows.Err()
}

// activeFences sums the ring fences active at now per SKU and channel.
func activeFences(ctx context.Context, q queryer, now time.Time, skus []string) (map[string]map[string]int64, error) {
	where, args := inList("sku", skus)
	at := now.UTC().Format(fenceTime)
	rows, err := q.QueryContext(ctx, `SELECT sku, channel_id, SUM(qty) FROM ring_fences
		WHERE starts_at <= ? AND (ends_at IS NULL OR ends_at > ?)`+where+`
		GROUP BY sku, channel_id`, append([]any{at, at}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("ring fences: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var sku, ch string
		var qty int64
		if err := rows.Scan(&sku, &ch, &qty); err != nil {
			return nil, fmt.Errorf("ring fences: %w", err)
		}
		if out[sku] == nil {
			out[sku] = map[string]int64{}
		}
		out[sku][ch] = qty
	}
	return out, rows.Err()
}

// listingKey is a (channel, SKU) pair.
type listingKey struct{ channel, sku string }

func listings(ctx context.Context, q queryer, skus []string) (map[listingKey]int64, error) {
	where, args := inList("sku", skus)
	rows, err := q.QueryContext(ctx, `SELECT channel_id, sku, available_to_sell FROM channel_listings
		WHERE 1 = 1`+where, args...)
	if err != nil {
		return nil, fmt.Errorf("listings: %w", err)
	}
	defer rows.Close()
	out := map[listingKey]int64{}
	for rows.Next() {
		var k listingKey
		var ats int64
		if err := rows.Scan(&k.channel, &k.sku, &ats); err != nil {
			return nil, fmt.Errorf("listings: %w", err)
		}
		out[k] = ats
	}
	return out, rows.Err()
}

// syncListings recomputes available-to-sell of skus (nil: every SKU with
// stock, a fence or a listing) on every channel and writes an outbox row for
// each (channel, SKU) whose figure differs from the last one written, or
// that was never written. It runs inside the transaction that changed stock,
// fences or channels, so a change and its outbox row commit together.
//
// A ring fence that starts or ends by the clock is caught by SyncFenceTimes.
//
// TODO: with skus nil it reads every stock row, fine for thousands of SKUs but
// worth an index on changed SKUs once stock imports touch hundreds of
// thousands.
func (s *Store) syncListings(ctx context.Context, tx *sql.Tx, skus []string) error {
	chans, err := channels(ctx, tx)
	if err != nil {
		return err
	}
	// A bundle's figure moves with its components'.
	bundles, err := bundlesTouching(ctx, tx, skus)
	if err != nil {
		return err
	}
	skus = withBundles(skus, bundles)
	stock, err := stockOf(ctx, tx, s.today(), skus)
	if err != nil {
		return err
	}
	fences, err := activeFences(ctx, tx, s.Now(), skus)
	if err != nil {
		return err
	}
	listed, err := listings(ctx, tx, skus)
	if err != nil {
		return err
	}
	if skus == nil {
		skus = allSKUs(stock, fences, listed, bundles)
	}
	now := s.now()
	for _, sku := range skus {
		for _, c := range chans {
			ats := skuATS(c, sku, stock, fences, bundles)
			if prev, ok := listed[listingKey{c.ID, sku}]; ok && prev == ats {
				continue
			}
			if err := writeListing(ctx, tx, now, c.ID, sku, ats); err != nil {
				return err
			}
		}
	}
	return nil
}

func allSKUs(stock map[string]skuStock, fences map[string]map[string]int64, listed map[listingKey]int64,
	bundles map[string][]oms.Component) []string {
	seen := map[string]bool{}
	for sku := range bundles {
		seen[sku] = true
	}
	for sku := range stock {
		seen[sku] = true
	}
	for sku := range fences {
		seen[sku] = true
	}
	for k := range listed {
		seen[k.sku] = true
	}
	out := make([]string, 0, len(seen))
	for sku := range seen {
		out = append(out, sku)
	}
	sort.Strings(out)
	return out
}

func writeListing(ctx context.Context, tx *sql.Tx, now, channel, sku string, ats int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (at, channel_id, sku, available_to_sell)
		VALUES (?, ?, ?, ?)`, now, channel, sku, ats); err != nil {
		return fmt.Errorf("outbox %s %s: %w", channel, sku, err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO channel_listings (channel_id, sku, available_to_sell)
		VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET available_to_sell = excluded.available_to_sell`,
		channel, sku, ats)
	if err != nil {
		return fmt.Errorf("listing %s %s: %w", channel, sku, err)
	}
	return nil
}

// OutboxEntry is one change of a channel's available-to-sell waiting to be
// pushed to the channel (SentAt empty) or already pushed.
type OutboxEntry struct {
	ID              int64   `json:"id"`
	At              string  `json:"at"`
	ChannelID       string  `json:"channel_id"`
	SKU             string  `json:"sku"`
	AvailableToSell int64   `json:"available_to_sell"`
	SentAt          *string `json:"sent_at"`
}

// PendingOutbox returns up to limit outbox rows not sent yet, oldest first.
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]OutboxEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, at, channel_id, sku, available_to_sell, sent_at
		FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	defer rows.Close()
	out := []OutboxEntry{}
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.ID, &e.At, &e.ChannelID, &e.SKU, &e.AvailableToSell, &e.SentAt); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChangeMark is how far a reader has looked at the outbox and the ledger.
type ChangeMark struct{ Outbox, Movement int64 }

// SKUsChangedAfter returns the SKUs whose stock or available-to-sell changed
// after mark (new ledger movements or outbox rows), wherever the change came
// from (a CLI import too), and the mark to pass next time.
func (s *Store) SKUsChangedAfter(ctx context.Context, mark ChangeMark) ([]string, ChangeMark, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT sku, MAX(id), 0 FROM outbox WHERE id > ?1 GROUP BY sku
		UNION ALL
		SELECT p.sku, 0, MAX(m.id) FROM movements m JOIN products p ON p.id = m.product_id
		WHERE m.id > ?2 GROUP BY p.sku`, mark.Outbox, mark.Movement)
	if err != nil {
		return nil, mark, fmt.Errorf("changed skus: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var skus []string
	next := mark
	for rows.Next() {
		var sku string
		var outboxID, movementID int64
		if err := rows.Scan(&sku, &outboxID, &movementID); err != nil {
			return nil, mark, fmt.Errorf("changed skus: %w", err)
		}
		next.Outbox, next.Movement = max(next.Outbox, outboxID), max(next.Movement, movementID)
		if !seen[sku] {
			seen[sku] = true
			skus = append(skus, sku)
		}
	}
	return skus, next, rows.Err()
}

// SyncFenceTimes writes the outbox for ring fences that started or ended by
// the clock in (since, now]: no transaction changed stock, but what the
// channels may sell did. The server's watch loop calls it.
func (s *Store) SyncFenceTimes(ctx context.Context, since, now time.Time) error {
	from, to := since.UTC().Format(fenceTime), now.UTC().Format(fenceTime)
	skus, err := queryStrings(ctx, s.read, `SELECT DISTINCT sku FROM ring_fences
		WHERE (starts_at > ?1 AND starts_at <= ?2) OR (ends_at > ?1 AND ends_at <= ?2)`, from, to)
	if err != nil || len(skus) == 0 {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return s.syncListings(ctx, tx, skus) })
}

// queryStrings runs a query selecting one text column and returns its values.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
