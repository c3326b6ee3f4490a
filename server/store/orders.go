package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Order statuses, in the order an order normally moves through them.
const (
	StatusWaiting   = "waiting"   // stored, not enough stock to allocate yet
	StatusAllocated = "allocated" // stock reserved, waiting for a picker
	StatusPicking   = "picking"
	StatusPicked    = "picked" // ready to pack
	StatusPacking   = "packing"
	StatusShipped   = "shipped"
	StatusException = "exception" // needs a supervisor (short pick)
)

// Statuses lists every order status.
var Statuses = []string{StatusWaiting, StatusAllocated, StatusPicking, StatusPicked, StatusPacking,
	StatusShipped, StatusException, StatusCancelled}

// Order is a stored order.
type Order struct {
	ID             int64       `json:"id"`
	Number         string      `json:"number"`
	Channel        string      `json:"channel"`
	ChannelOrderID string      `json:"channel_order_id"`
	Status         string      `json:"status"`
	StatusReason   string      `json:"status_reason,omitempty"`
	ShipTo         oms.Address `json:"ship_to"`
	Lines          []OrderLine `json:"lines"`
}

// OrderLine is a stored order line.
type OrderLine struct {
	ID       int64  `json:"id"`
	SKU      string `json:"sku"`
	Title    string `json:"title"`
	Qty      int64  `json:"qty"`
	Verified int64  `json:"verified"`
}

// ImportOrders stores each order that is not stored yet (orders are idempotent
// on channel and channel order id) and allocates it if it fits in its
// channel's available-to-sell, all in one transaction. It returns how many
// were created and how many were already there. A new order that does not
// fit on a channel that refuses oversells fails the whole import with an
// EConflict error naming the order, and nothing is stored.
func (s *Store) ImportOrders(ctx context.Context, actor string, orders []oms.OrderInput) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var created []int64
		for i := range orders {
			o := &orders[i]
			if err := o.Validate(); err != nil {
				return fmt.Errorf("order %s: %w", o.ChannelOrderID, err)
			}
			id, isNew, err := s.insertOrder(ctx, tx, actor, o)
			if err != nil {
				return fmt.Errorf("order %s: %w", o.ChannelOrderID, err)
			}
			if isNew {
				created = append(created, id)
			} else {
				res.Unchanged++
			}
		}
		res.Created = len(created)
		n, err := s.allocateNew(ctx, tx, actor, created)
		res.Allocated = n
		return err
	})
	return res, err
}

// CreateOrder stores one order, or finds it if (channel, channel order id) is
// stored already, and tries to allocate a new one. It reports whether it was
// created. A new order that does not fit in the available-to-sell of a
// channel that refuses oversells is not stored: the error is EConflict and
// names each short SKU and what the channel may sell of it.
func (s *Store) CreateOrder(ctx context.Context, actor string, o oms.OrderInput) (*Order, bool, error) {
	if err := o.Validate(); err != nil {
		return nil, false, err
	}
	var id int64
	var created bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, created, err = s.insertOrder(ctx, tx, actor, &o); err != nil || !created {
			return err
		}
		_, err = s.allocateNew(ctx, tx, actor, []int64{id})
		return err
	})
	if err != nil {
		return nil, false, err
	}
	ord, err := s.OrderByID(ctx, id)
	return ord, created, err
}

func (s *Store) insertOrder(ctx context.Context, tx *sql.Tx, actor string, o *oms.OrderInput) (int64, bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE channel = ? AND channel_order_id = ?`,
		o.Channel, o.ChannelOrderID).Scan(&id)
	if err == nil {
		return id, false, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	if err := s.ensureChannel(ctx, tx, o.Channel); err != nil {
		return 0, false, err
	}
	seq, err := nextSeq(ctx, tx, "order_number")
	if err != nil {
		return 0, false, err
	}
	number := fmt.Sprintf("SO-%06d", seq)
	shipTo, _ := json.Marshal(o.ShipTo)
	placed := ""
	if !o.PlacedAt.IsZero() {
		placed = o.PlacedAt.UTC().Format(time.RFC3339)
	}
	now := s.now()
	err = tx.QueryRowContext(ctx, `INSERT INTO orders (number, channel, channel_order_id, placed_at,
		service_level, buyer_email, ship_to, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, number, o.Channel, o.ChannelOrderID, placed,
		o.ServiceLevel, o.BuyerEmail, string(shipTo), StatusWaiting, now, now).Scan(&id)
	if err != nil {
		return 0, false, fmt.Errorf("insert order: %w", err)
	}
	for i, l := range o.Lines {
		// A line without a title takes the catalogue's, so pickers and
		// packers always see a name.
		_, err := tx.ExecContext(ctx, `INSERT INTO order_lines (order_id, line_no, channel_line_id, sku,
			title, qty, price_cents) VALUES (?1, ?2, ?3, ?4,
			COALESCE(NULLIF(?5, ''), (SELECT title FROM products WHERE sku = ?4), ''), ?6, ?7)`,
			id, i+1, l.ChannelLineID, l.SKU, l.Title, l.Qty, l.PriceCents)
		if err != nil {
			return 0, false, fmt.Errorf("insert line %d: %w", i+1, err)
		}
	}
	detail := fmt.Sprintf("%s %s, %d lines", o.Channel, o.ChannelOrderID, len(o.Lines))
	return id, true, s.audit(ctx, tx, actor, "order.create", "order", number, detail)
}

// allocateWaiting tries every waiting order, oldest first, and returns how
// many it allocated. It runs when stock arrives; a new order is tried on its
// own, since nothing changed for the orders already waiting. An order that
// still does not fit keeps waiting whatever its channel's oversell policy:
// it was accepted as a backorder when it arrived.
func (s *Store) allocateWaiting(ctx context.Context, tx *sql.Tx, actor string) (int, error) {
	ids, err := queryIDs(ctx, tx, `SELECT id FROM orders WHERE status = ? ORDER BY id`, StatusWaiting)
	if err != nil {
		return 0, fmt.Errorf("waiting orders: %w", err)
	}
	n := 0
	for _, id := range ids {
		short, err := s.allocate(ctx, tx, actor, id)
		if err != nil {
			return n, err
		}
		if short == nil {
			n++
		}
	}
	// Stock arrived or changed before this call; channels hear of every SKU
	// whose available-to-sell moved.
	return n, s.syncListings(ctx, tx, nil)
}

// allocateNew tries new orders in turn and returns how many it allocated.
// One that does not fit waits (backorder), or, when its channel refuses
// oversells, fails the whole call with an EConflict error naming the order,
// the SKU and what the channel may sell, so the caller's transaction stores
// nothing.
func (s *Store) allocateNew(ctx context.Context, tx *sql.Tx, actor string, ids []int64) (int, error) {
	n := 0
	for _, id := range ids {
		short, err := s.allocate(ctx, tx, actor, id)
		if err != nil {
			return n, err
		}
		if short == nil {
			n++
			continue
		}
		if short.policy == OversellRefuse {
			return n, short.refusal()
		}
	}
	return n, nil
}

// shortfall is why an order could not be allocated.
type shortfall struct {
	channel, channelOrderID, policy string
	// skus are the SKUs that do not fit, in line order, with the units the
	// order needs and what its channel may sell of each.
	skus        []string
	need, ats   map[string]int64
	description []string // one phrase per SKU, for the order's status reason
}

func (f *shortfall) reason() string {
	return "cannot allocate: " + strings.Join(f.description, ", ")
}

// refusal is the error for an order that a refusing channel does not take.
func (f *shortfall) refusal() error {
	var parts []string
	for _, sku := range f.skus {
		parts = append(parts, fmt.Sprintf("%s: needs %d, %s may sell %d", sku, f.need[sku], f.channel,
			f.ats[sku]))
	}
	return oms.Errorf(oms.EConflict, "order %s refused: channel %s does not oversell: %s",
		f.channelOrderID, f.channel, strings.Join(parts, "; "))
}

// binQty is stock available in one bin, of one lot (” for none).
type binQty struct {
	productID, binID, avail int64
	bin, lot, expiry        string
}

// allocation is part of a line reserved from one bin and lot.
type allocation struct {
	lineID int64
	b      binQty
	qty    int64
}

// allocate reserves stock for every line of a waiting order, taking from the
// bins with the most available first, or reserves nothing, records why in
// the order's status reason and returns the shortfall. An order fits when,
// for each SKU, its units are within its channel's available-to-sell, so it
// takes neither stock ring-fenced for other channels nor the channel's own
// safety buffer, nor more than the channel lists. A bundle line needs and
// reserves its components (line qty × qty per bundle of each).
func (s *Store) allocate(ctx context.Context, tx *sql.Tx, actor string, orderID int64) (*shortfall, error) {
	lines, err := orderLines(ctx, tx, orderID)
	if err != nil {
		return nil, err
	}
	bundles, err := bundlesTouching(ctx, tx, lineSKUs(lines))
	if err != nil {
		return nil, err
	}
	for sku := range bundles {
		if !slices.Contains(lineSKUs(lines), sku) {
			delete(bundles, sku) // holds a line's SKU, not ordered itself
		}
	}
	short, err := s.checkSellable(ctx, tx, orderID, lines, bundles)
	if err != nil || short != nil {
		return short, err
	}
	plan, expired, err := planBins(ctx, tx, lines, bundles, s.today())
	if err != nil {
		return nil, err
	}
	if len(expired) > 0 {
		return s.waitForExpired(ctx, tx, orderID, expired)
	}
	for _, l := range lines {
		if comps, ok := bundles[l.SKU]; ok {
			if err := saveLineComponents(ctx, tx, l, comps); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range plan {
		if _, err := tx.ExecContext(ctx, `INSERT INTO allocations (order_line_id, product_id, bin_id, lot, qty)
			VALUES (?, ?, ?, ?, ?)`, p.lineID, p.b.productID, p.b.binID, p.b.lot, p.qty); err != nil {
			return nil, fmt.Errorf("allocate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE stock SET allocated = allocated + ?
			WHERE product_id = ? AND bin_id = ? AND lot = ?`, p.qty, p.b.productID, p.b.binID,
			p.b.lot); err != nil {
			return nil, fmt.Errorf("allocate: %w", err)
		}
	}
	if err := s.setStatus(ctx, tx, orderID, StatusAllocated, ""); err != nil {
		return nil, err
	}
	if err := s.syncListings(ctx, tx, withBundles(lineSKUs(lines), bundles)); err != nil {
		return nil, err
	}
	number, err := orderNumberOf(ctx, tx, orderID)
	if err != nil {
		return nil, err
	}
	var bins []string
	for _, p := range plan {
		if p.b.lot != "" {
			bins = append(bins, fmt.Sprintf("%d from %s lot %s", p.qty, p.b.bin, p.b.lot))
		} else {
			bins = append(bins, fmt.Sprintf("%d from %s", p.qty, p.b.bin))
		}
	}
	return nil, s.audit(ctx, tx, actor, "order.allocate", "order", number, strings.Join(bins, ", "))
}

// checkSellable compares what an order needs of each SKU (of each component
// for a line of one of bundles) with what its channel may sell. When
// something does not fit it records the reason on the order and returns the
// shortfall; otherwise it returns nil.
func (s *Store) checkSellable(ctx context.Context, tx *sql.Tx, orderID int64,
	lines []OrderLine, bundles map[string][]oms.Component) (*shortfall, error) {
	f := &shortfall{}
	err := tx.QueryRowContext(ctx, `SELECT o.channel, o.channel_order_id, COALESCE(c.oversell_policy, ?)
		FROM orders o LEFT JOIN channels c ON c.id = o.channel WHERE o.id = ?`, OversellBackorder,
		orderID).Scan(&f.channel, &f.channelOrderID, &f.policy)
	if err != nil {
		return nil, fmt.Errorf("order %d: %w", orderID, err)
	}
	var skus []string
	f.need, skus = lineNeeds(lines, bundles)
	if f.ats, err = s.sellable(ctx, tx, f.channel, skus); err != nil {
		return nil, err
	}
	for _, sku := range skus {
		if f.need[sku] > f.ats[sku] {
			f.skus = append(f.skus, sku)
			why, err := s.shortage(ctx, tx, sku, f.need[sku]-f.ats[sku])
			if err != nil {
				return nil, err
			}
			f.description = append(f.description, why)
		}
	}
	if len(f.skus) == 0 {
		return nil, nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE orders SET status_reason = ? WHERE id = ?`, f.reason(), orderID)
	if err != nil {
		return nil, fmt.Errorf("order %d: %w", orderID, err)
	}
	return f, nil
}

// planBins spreads each line, or each component of a line of one of
// bundles, over its unexpired stock in first-expiry-first-out order (see
// availableBins). The caller has checked that each SKU fits in its
// channel's available-to-sell, which never exceeds what the bins hold; a
// line that still does not fit is short because lots expired before today,
// and planBins returns one phrase per such SKU naming them. Short without
// expired lots means the stock rows disagree with themselves: an error.
func planBins(ctx context.Context, tx *sql.Tx, lines []OrderLine,
	bundles map[string][]oms.Component, today string) ([]allocation, []string, error) {
	var plan []allocation
	var expired []string
	taken := map[binLot]int64{} // what earlier lines of this order took
	for _, l := range lines {
		parts, ok := bundles[l.SKU]
		if !ok {
			parts = []oms.Component{{SKU: l.SKU, Qty: 1}}
		}
		for _, c := range parts {
			part := OrderLine{ID: l.ID, SKU: c.SKU, Qty: l.Qty * c.Qty}
			why, err := planLine(ctx, tx, part, today, taken, &plan)
			if err != nil {
				return nil, nil, err
			}
			if why != "" {
				expired = append(expired, why)
			}
		}
	}
	return plan, expired, nil
}

// binLot is one stock row's key.
type binLot struct {
	productID, binID int64
	lot              string
}

// planLine adds to plan the stock l takes, less what plan took already. When
// expired lots leave l short it returns why, naming them.
func planLine(ctx context.Context, tx *sql.Tx, l OrderLine, today string, taken map[binLot]int64,
	plan *[]allocation) (string, error) {
	bins, err := availableBins(ctx, tx, l.SKU)
	if err != nil {
		return "", err
	}
	need := l.Qty
	expired := map[string]string{}
	for _, b := range bins {
		if b.expiry != "" && b.expiry < today {
			expired[b.lot] = b.expiry
			continue
		}
		k := binLot{b.productID, b.binID, b.lot}
		free := b.avail - taken[k]
		if need == 0 || free <= 0 {
			continue
		}
		q := min(need, free)
		*plan = append(*plan, allocation{l.ID, b, q})
		taken[k] += q
		need -= q
	}
	switch {
	case need > 0 && len(expired) > 0:
		return fmt.Sprintf("%s short by %d: lot %s", l.SKU, need, lotNames(expired)), nil
	case need > 0:
		return "", fmt.Errorf("allocate line %d: %s short by %d in its bins", l.ID, l.SKU, need)
	}
	return "", nil
}

// waitForExpired leaves an order waiting because the stock it would take
// expired after the channel's figure was checked (available-to-sell leaves
// expired lots out, so this is the rare case of a lot expiring in between),
// recording why. It waits like a backorder whatever the channel's policy.
func (s *Store) waitForExpired(ctx context.Context, tx *sql.Tx, orderID int64,
	expired []string) (*shortfall, error) {
	f := &shortfall{policy: OversellBackorder, description: expired}
	_, err := tx.ExecContext(ctx, `UPDATE orders SET status_reason = ? WHERE id = ?`, f.reason(), orderID)
	if err != nil {
		return nil, fmt.Errorf("order %d: %w", orderID, err)
	}
	return f, nil
}

// shortage says why a SKU cannot be allocated: it is unknown, not a stock
// item, or short by some units, naming any expired lots left on the shelf.
func (s *Store) shortage(ctx context.Context, tx *sql.Tx, sku string, need int64) (string, error) {
	var stocked bool
	err := tx.QueryRowContext(ctx, `SELECT stocked FROM products WHERE sku = ?`, sku).Scan(&stocked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Sprintf("%s is not in the catalogue", sku), nil
	case err != nil:
		return "", fmt.Errorf("shortage of %s: %w", sku, err)
	case !stocked:
		return fmt.Sprintf("%s is not a stock item", sku), nil
	}
	why := fmt.Sprintf("%s short by %d", sku, need)
	expired, err := expiredLots(ctx, tx, sku, s.today())
	if err != nil || len(expired) == 0 {
		return why, err
	}
	return why + ": lot " + lotNames(expired), nil
}

// expiredLots returns the lots of sku, with their expiry, that expired before
// today and still have unallocated units in a bin.
func expiredLots(ctx context.Context, tx *sql.Tx, sku, today string) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT l.lot, l.expiry FROM lots l
		JOIN products p ON p.id = l.product_id
		JOIN stock s ON s.product_id = l.product_id AND s.lot = l.lot
		WHERE p.sku = ? AND l.expiry <> '' AND l.expiry < ? AND s.on_hand > s.allocated`, sku, today)
	if err != nil {
		return nil, fmt.Errorf("expired lots of %s: %w", sku, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var lot, expiry string
		if err := rows.Scan(&lot, &expiry); err != nil {
			return nil, fmt.Errorf("expired lots of %s: %w", sku, err)
		}
		out[lot] = expiry
	}
	return out, rows.Err()
}

// availableBins returns the stock of sku not yet allocated, per bin and
// lot, expired lots included, in the order allocation takes it: first the
// lots that expire first (no expiry last); among equal expiry the lot with
// the least left over all its bins, so a partly used lot is finished before
// the next is opened; then by bin code. Stock without a lot comes after the
// lots without expiry, from the bins with the most available first.
func availableBins(ctx context.Context, tx *sql.Tx, sku string) ([]binQty, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.product_id, s.bin_id, s.on_hand - s.allocated, b.code,
		s.lot, COALESCE(l.expiry, '')
		FROM stock s JOIN products p ON p.id = s.product_id JOIN bins b ON b.id = s.bin_id
		LEFT JOIN lots l ON l.product_id = s.product_id AND l.lot = s.lot
		WHERE p.sku = ? AND p.stocked = 1 AND s.on_hand > s.allocated
		ORDER BY COALESCE(l.expiry, '') = '', COALESCE(l.expiry, ''), s.lot = '',
			CASE WHEN s.lot = '' THEN 0 ELSE (SELECT SUM(t.on_hand - t.allocated) FROM stock t
				WHERE t.product_id = s.product_id AND t.lot = s.lot) END, s.lot,
			CASE WHEN s.lot = '' THEN s.allocated - s.on_hand ELSE 0 END, b.code`, sku)
	if err != nil {
		return nil, fmt.Errorf("available stock of %s: %w", sku, err)
	}
	defer rows.Close()
	var out []binQty
	for rows.Next() {
		var b binQty
		if err := rows.Scan(&b.productID, &b.binID, &b.avail, &b.bin, &b.lot, &b.expiry); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// orderNumberOf returns the number (SO-000001) of an order; audit entries name
// orders by number, as people do.
func orderNumberOf(ctx context.Context, q queryer, id int64) (string, error) {
	var number string
	if err := q.QueryRowContext(ctx, `SELECT number FROM orders WHERE id = ?`, id).Scan(&number); err != nil {
		return "", fmt.Errorf("order %d: %w", id, err)
	}
	return number, nil
}

func (s *Store) setStatus(ctx context.Context, tx *sql.Tx, orderID int64, status, reason string) error {
	_, err := tx.ExecContext(ctx, `UPDATE orders SET status = ?, status_reason = ?, updated_at = ?
		WHERE id = ?`, status, reason, s.now(), orderID)
	if err != nil {
		return fmt.Errorf("order %d status %s: %w", orderID, status, err)
	}
	return nil
}

func orderLines(ctx context.Context, q queryer, orderID int64) ([]OrderLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, sku, title, qty, verified FROM order_lines
		WHERE order_id = ? ORDER BY line_no`, orderID)
	if err != nil {
		return nil, fmt.Errorf("order lines: %w", err)
	}
	defer rows.Close()
	out := []OrderLine{}
	for rows.Next() {
		var l OrderLine
		if err := rows.Scan(&l.ID, &l.SKU, &l.Title, &l.Qty, &l.Verified); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// rowScanner is what *sql.Row and *sql.Rows share: the scan functions of
// the store's types take either.
type rowScanner interface{ Scan(...any) error }

// queryAll runs query and reads every row with scan, into a list that is
// never nil. Errors are wrapped with what, e.g. "list scanners".
func queryAll[T any](ctx context.Context, q queryer, what string, scan func(rowScanner) (T, error),
	query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// OrderByID returns an order with its lines, or an ENotFound error.
func (s *Store) OrderByID(ctx context.Context, id int64) (*Order, error) {
	return orderWhere(ctx, s.read, "id = ?", id)
}

// OrderByNumber returns an order by our number (SO-000001) or by its
// channel's order id. It returns an ENotFound error, or an EConflict error
// when orders of several channels share that order id.
func (s *Store) OrderByNumber(ctx context.Context, number string) (*Order, error) {
	ref, err := findOrder(ctx, s.read, number, false)
	if err != nil {
		return nil, err
	}
	return orderWhere(ctx, s.read, "id = ?", ref.id)
}

func orderWhere(ctx context.Context, q queryer, where string, args ...any) (*Order, error) {
	o := &Order{}
	var shipTo string
	err := q.QueryRowContext(ctx, `SELECT id, number, channel, channel_order_id, status, status_reason,
		ship_to FROM orders WHERE `+where, args...).Scan(&o.ID, &o.Number, &o.Channel, &o.ChannelOrderID,
		&o.Status, &o.StatusReason, &shipTo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "no order %v", args[0])
	} else if err != nil {
		return nil, fmt.Errorf("order %v: %w", args[0], err)
	}
	if err := json.Unmarshal([]byte(shipTo), &o.ShipTo); err != nil {
		return nil, fmt.Errorf("order %s ship-to: %w", o.Number, err)
	}
	o.Lines, err = orderLines(ctx, q, o.ID)
	return o, err
}

// ListOrders returns the latest orders, newest first, optionally only those
// with one status.
func (s *Store) ListOrders(ctx context.Context, status string, limit int) ([]Order, error) {
	ids, err := queryIDs(ctx, s.read, `SELECT id FROM orders WHERE ? = '' OR status = ?
		ORDER BY id DESC LIMIT ?`, status, status, limit)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	out := make([]Order, 0, len(ids))
	for _, id := range ids {
		o, err := s.OrderByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, nil
}

// lineSKUs returns the distinct SKUs of lines, in line order.
func lineSKUs(lines []OrderLine) []string {
	var out []string
	for _, l := range lines {
		if !slices.Contains(out, l.SKU) {
			out = append(out, l.SKU)
		}
	}
	return out
}
