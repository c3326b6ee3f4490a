package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// Reasons a movement may give; the migration's CHECK holds the same list.
const (
	ReasonReceive = "receive"
	ReasonPick    = "pick"
	ReasonPack    = "pack"
	ReasonAdjust  = "adjust"
	ReasonCount   = "count"
	ReasonMove    = "move"
	ReasonReturn  = "return"
	ReasonDamage  = "damage"
	ReasonImport  = "import"
)

// AdjustReasons are the reasons a person may give for an adjustment.
var AdjustReasons = []string{ReasonAdjust, ReasonDamage, ReasonReturn, ReasonCount}

// Movement is one line of the stock ledger: qty units (negative when they
// left) of a product in a bin, why, who, and what they belong to.
type Movement struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	SKU       string `json:"sku"`
	Bin       string `json:"bin"`
	Lot       string `json:"lot,omitempty"`
	Qty       int64  `json:"qty"`
	Reason    string `json:"reason"`
	User      string `json:"user"`
	Reference string `json:"reference,omitempty"`
	CmdID     string `json:"cmd_id,omitempty"`
	Detail    string `json:"detail,omitempty"`

	productID, binID int64
}

// move is the only way on-hand stock changes: it appends m to the ledger and
// adds m.Qty to the (product, bin, lot) balance in the caller's transaction,
// creating the stock row when needed. It refuses (EInvalid, naming qty) a
// change that would leave less on hand than zero or than is allocated, and
// fills in m's ID and At.
// Bounds on quantities, far above any real stock, so that sums over bins and
// percentages of them stay well inside int64.
const (
	MaxMoveQty = 1_000_000_000     // units in one movement, as in a stock import row
	MaxOnHand  = 1_000_000_000_000 // units of one SKU in one bin and lot
)

func (s *Store) move(ctx context.Context, tx *sql.Tx, m *Movement) error {
	switch {
	case m.Qty == 0:
		return oms.Errorf(oms.EInvalid, "qty: must not be 0")
	case m.Qty > MaxMoveQty || m.Qty < -MaxMoveQty:
		return oms.Errorf(oms.EInvalid, "qty: %d is too large (at most %d units at once)", m.Qty, MaxMoveQty)
	}
	var onHand, allocated int64
	err := tx.QueryRowContext(ctx, `SELECT on_hand, allocated FROM stock
		WHERE product_id = ? AND bin_id = ? AND lot = ?`, m.productID, m.binID, m.Lot).Scan(&onHand, &allocated)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `INSERT INTO stock (product_id, bin_id, lot, on_hand) VALUES (?, ?, ?, 0)`,
			m.productID, m.binID, m.Lot)
	}
	if err != nil {
		return fmt.Errorf("stock of %s in %s: %w", m.SKU, m.Bin, err)
	}

	where := "bin " + m.Bin
	if m.Lot != "" {
		where += " lot " + m.Lot
	}
	switch after := onHand + m.Qty; {
	case after > MaxOnHand:
		return oms.Errorf(oms.EInvalid, "qty: %s would hold %d units of sku %q, more than %d", where, after,
			m.SKU, MaxOnHand)
	case after < 0:
		return oms.Errorf(oms.EInvalid, "qty: %d of sku %q taken from %s, which has only %d on hand",
			-m.Qty, m.SKU, where, onHand)
	case after < allocated:
		return oms.Errorf(oms.EInvalid, "qty: %d of sku %q taken from %s would leave %d on hand, "+
			"below the %d allocated to orders", -m.Qty, m.SKU, where, after, allocated)
	}

	m.At = s.now()
	var cmdID any
	if m.CmdID != "" {
		cmdID = m.CmdID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO movements
		(at, product_id, bin_id, lot, qty, reason, user, reference, cmd_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.At, m.productID, m.binID, m.Lot, m.Qty,
		m.Reason, m.User, m.Reference, cmdID, m.Detail).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("record movement of %s in %s: %w", m.SKU, m.Bin, err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE stock SET on_hand = on_hand + ?
		WHERE product_id = ? AND bin_id = ? AND lot = ?`, m.Qty, m.productID, m.binID, m.Lot)
	if isConstraint(err) {
		return oms.Errorf(oms.EInvalid, "qty: %+d of sku %q in bin %s is refused by the stock rules",
			m.Qty, m.SKU, m.Bin)
	} else if err != nil {
		return fmt.Errorf("change stock of %s in %s: %w", m.SKU, m.Bin, err)
	}
	return nil
}

// stockProduct returns the id of a stocked product, or an EInvalid error
// naming the sku field.
func stockProduct(ctx context.Context, tx *sql.Tx, sku string) (int64, error) {
	var id int64
	var stocked bool
	err := tx.QueryRowContext(ctx, `SELECT id, stocked FROM products WHERE sku = ?`, sku).Scan(&id, &stocked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, oms.Errorf(oms.EInvalid, "sku: %q is not in the catalogue", sku)
	case err != nil:
		return 0, fmt.Errorf("product %s: %w", sku, err)
	case !stocked:
		return 0, oms.Errorf(oms.EInvalid, "sku: %q is not a stock item (virtual, external or a parent)", sku)
	}
	return id, nil
}

// knownBin returns the id and code of an existing bin, or an EInvalid error
// naming the field. Stock is only taken from bins that exist.
func knownBin(ctx context.Context, tx *sql.Tx, field, code string) (int64, string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return 0, "", oms.Errorf(oms.EInvalid, "%s: required", field)
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM bins WHERE code = ?`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", oms.Errorf(oms.EInvalid, "%s: bin %q does not exist", field, code)
	} else if err != nil {
		return 0, "", fmt.Errorf("bin %s: %w", code, err)
	}
	return id, code, nil
}

// newBin returns the id and code of a bin, creating it (goods may arrive in a
// bin nobody used yet); errors name the field.
func newBin(ctx context.Context, tx *sql.Tx, field, code string) (int64, string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return 0, "", oms.Errorf(oms.EInvalid, "%s: required", field)
	}
	id, err := binID(ctx, tx, code)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", field, err)
	}
	return id, code, nil
}

// Movements returns the latest limit movements of a SKU in every bin, newest
// first, or an ENotFound error for an unknown SKU.
func (s *Store) Movements(ctx context.Context, sku string, limit int) ([]Movement, error) {
	var pid int64
	err := s.read.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ?`, sku).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oms.Errorf(oms.ENotFound, "no product with sku %q", sku)
	} else if err != nil {
		return nil, fmt.Errorf("movements of %s: %w", sku, err)
	}
	return queryMovements(ctx, s.read, `m.product_id = ? ORDER BY m.id DESC LIMIT ?`, pid, limit)
}

// queryMovements returns the movements matching where (a condition on m,
// with its ORDER BY and LIMIT).
func queryMovements(ctx context.Context, q queryer, where string, args ...any) ([]Movement, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.at, p.sku, b.code, m.lot, m.qty, m.reason, m.user,
		m.reference, COALESCE(m.cmd_id, ''), m.detail, m.product_id, m.bin_id
		FROM movements m JOIN products p ON p.id = m.product_id JOIN bins b ON b.id = m.bin_id
		WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("movements: %w", err)
	}
	defer rows.Close()
	out := []Movement{}
	for rows.Next() {
		var m Movement
		if err := rows.Scan(&m.ID, &m.At, &m.SKU, &m.Bin, &m.Lot, &m.Qty, &m.Reason, &m.User,
			&m.Reference, &m.CmdID, &m.Detail, &m.productID, &m.binID); err != nil {
			return nil, fmt.Errorf("movements: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Mismatch is a (SKU, bin, lot) whose on-hand balance is not the sum of its
// movements, or whose movements have no stock row at all.
type Mismatch struct {
	SKU        string `json:"sku"`
	Bin        string `json:"bin"`
	Lot        string `json:"lot,omitempty"`
	OnHand     int64  `json:"on_hand"`
	Movements  int64  `json:"movements"`
	NoStockRow bool   `json:"no_stock_row,omitempty"`
}

// String describes the mismatch on one line.
func (m Mismatch) String() string {
	where := m.Bin
	if m.Lot != "" {
		where += " lot " + m.Lot
	}
	if m.NoStockRow {
		return fmt.Sprintf("%s in %s: no stock row, movements sum to %d", m.SKU, where, m.Movements)
	}
	return fmt.Sprintf("%s in %s: on hand %d, movements sum to %d", m.SKU, where, m.OnHand, m.Movements)
}

// Check compares every stock balance with the sum of its movements and
// returns the rows that differ (none when the ledger and the balances agree),
// ordered by SKU, bin and lot.
func (s *Store) Check(ctx context.Context) ([]Mismatch, error) {
	rows, err := s.read.QueryContext(ctx, `
		WITH sums AS (SELECT product_id, bin_id, lot, SUM(qty) AS total FROM movements
			GROUP BY product_id, bin_id, lot)
		SELECT p.sku, b.code, s.lot, s.on_hand, COALESCE(m.total, 0), 0
		FROM stock s LEFT JOIN sums m ON m.product_id = s.product_id AND m.bin_id = s.bin_id AND m.lot = s.lot
		JOIN products p ON p.id = s.product_id JOIN bins b ON b.id = s.bin_id
		WHERE s.on_hand <> COALESCE(m.total, 0)
		UNION ALL
		SELECT p.sku, b.code, m.lot, 0, m.total, 1
		FROM sums m JOIN products p ON p.id = m.product_id JOIN bins b ON b.id = m.bin_id
		WHERE NOT EXISTS (SELECT 1 FROM stock s
			WHERE s.product_id = m.product_id AND s.bin_id = m.bin_id AND s.lot = m.lot)
		ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, fmt.Errorf("check stock: %w", err)
	}
	defer rows.Close()
	var out []Mismatch
	for rows.Next() {
		var m Mismatch
		if err := rows.Scan(&m.SKU, &m.Bin, &m.Lot, &m.OnHand, &m.Movements, &m.NoStockRow); err != nil {
			return nil, fmt.Errorf("check stock: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// StockRowCount returns how many (product, bin, lot) stock rows there are.
func (s *Store) StockRowCount(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM stock`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count stock rows: %w", err)
	}
	return n, nil
}

// ReceiveInput is goods arriving into a bin. ID is the client's command id
// (optional): a command id already used by the same user changes nothing.
type ReceiveInput struct {
	ID  string `json:"id"`
	SKU string `json:"sku"`
	Bin string `json:"bin"`
	Qty int64  `json:"qty"`
	Lot string `json:"lot"`
	// Expiry is the lot's expiry date, YYYY-MM-DD, or empty: none, or the
	// one already recorded for the lot.
	Expiry    string `json:"expiry"`
	Reference string `json:"reference"`
}

// MoveInput is stock carried from one bin to another.
type MoveInput struct {
	ID      string `json:"id"`
	SKU     string `json:"sku"`
	FromBin string `json:"from_bin"`
	ToBin   string `json:"to_bin"`
	Qty     int64  `json:"qty"`
	Lot     string `json:"lot"` // the lot moved; empty for stock without one
}

// AdjustInput is a correction of a bin's stock: Qty is signed, Reason is one
// of AdjustReasons and Note says why.
type AdjustInput struct {
	ID     string `json:"id"`
	SKU    string `json:"sku"`
	Bin    string `json:"bin"`
	Qty    int64  `json:"qty"`
	Reason string `json:"reason"`
	Note   string `json:"note"`
	Lot    string `json:"lot"` // the lot corrected; empty for stock without one
}

// StockResult is what a stock command did: its movements, and how many
// waiting orders the new stock let be allocated. Replayed is true when the
// command id had been used before and the first movements are returned.
type StockResult struct {
	Movements []Movement `json:"movements"`
	Allocated int        `json:"-"`
	Replayed  bool       `json:"-"`
}

// checkText refuses a text field longer than max bytes.
func checkText(field, v string, max int) error {
	if len(v) > max {
		return oms.Errorf(oms.EInvalid, "%s: at most %d characters, got %d", field, max, len(v))
	}
	return nil
}

// stockCommand runs fn in a transaction unless the user already sent cmdID,
// in which case it returns that command's movements and changes nothing.
// Afterwards it allocates waiting orders that the stock now covers.
func (s *Store) stockCommand(ctx context.Context, user, cmdID string,
	fn func(tx *sql.Tx) ([]Movement, error)) (*StockResult, error) {
	if err := checkText("id", cmdID, 64); err != nil {
		return nil, err
	}
	res := &StockResult{}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if cmdID != "" {
			first, err := queryMovements(ctx, tx, `m.user = ? AND m.cmd_id = ? ORDER BY m.id`, user, cmdID)
			if err != nil || len(first) > 0 {
				res.Movements, res.Replayed = first, true
				return err
			}
		}
		ms, err := fn(tx)
		if err != nil {
			return err
		}
		res.Movements = ms
		res.Allocated, err = s.allocateWaiting(ctx, tx, user)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Receive books goods into a bin (creating the bin if needed) with reason
// receive. Bad input is an EInvalid error naming the field, and changes
// nothing.
func (s *Store) Receive(ctx context.Context, user string, in ReceiveInput) (*StockResult, error) {
	if in.Qty <= 0 {
		return nil, oms.Errorf(oms.EInvalid, "qty: %d: must be 1 or more", in.Qty)
	}
	in.Lot, in.Expiry = strings.TrimSpace(in.Lot), strings.TrimSpace(in.Expiry)
	if err := errors.Join(checkLot(in.Lot, in.Expiry), checkText("reference", in.Reference, 200)); err != nil {
		return nil, err
	}
	return s.stockCommand(ctx, user, in.ID, func(tx *sql.Tx) ([]Movement, error) {
		pid, err := stockProduct(ctx, tx, in.SKU)
		if err != nil {
			return nil, err
		}
		bid, bin, err := newBin(ctx, tx, "bin", in.Bin)
		if err != nil {
			return nil, err
		}
		if err := recordLot(ctx, tx, pid, in.SKU, in.Lot, in.Expiry); err != nil {
			return nil, err
		}
		m := Movement{SKU: in.SKU, Bin: bin, Lot: in.Lot, Qty: in.Qty, Reason: ReasonReceive, User: user,
			Reference: in.Reference, CmdID: in.ID, productID: pid, binID: bid}
		if err := s.move(ctx, tx, &m); err != nil {
			return nil, err
		}
		return []Movement{m}, s.audit(ctx, tx, user, "stock.receive", "stock", in.SKU+"@"+bin,
			fmt.Sprintf("received %d %s", in.Qty, in.Reference))
	})
}

// MoveStock carries qty units from one bin to another in one transaction:
// two movements with reason move. Only stock not allocated to orders can
// move. Bad input is an EInvalid error naming the field.
func (s *Store) MoveStock(ctx context.Context, user string, in MoveInput) (*StockResult, error) {
	if in.Qty <= 0 {
		return nil, oms.Errorf(oms.EInvalid, "qty: %d: must be 1 or more", in.Qty)
	}
	if err := checkText("lot", in.Lot, 64); err != nil {
		return nil, err
	}
	return s.stockCommand(ctx, user, in.ID, func(tx *sql.Tx) ([]Movement, error) {
		pid, err := stockProduct(ctx, tx, in.SKU)
		if err != nil {
			return nil, err
		}
		from, fromCode, err := knownBin(ctx, tx, "from_bin", in.FromBin)
		if err != nil {
			return nil, err
		}
		to, toCode, err := newBin(ctx, tx, "to_bin", in.ToBin)
		if err != nil {
			return nil, err
		}
		if from == to {
			return nil, oms.Errorf(oms.EInvalid, "to_bin: %s is the bin the stock is already in", toCode)
		}
		ref := fmt.Sprintf("%s -> %s", fromCode, toCode)
		out := Movement{SKU: in.SKU, Bin: fromCode, Lot: strings.TrimSpace(in.Lot), Qty: -in.Qty,
			Reason: ReasonMove, User: user,
			Reference: ref, CmdID: in.ID, productID: pid, binID: from}
		into := out
		into.Bin, into.Qty, into.binID = toCode, in.Qty, to
		if err := s.move(ctx, tx, &out); err != nil {
			return nil, err
		}
		if err := s.move(ctx, tx, &into); err != nil {
			return nil, err
		}
		return []Movement{out, into}, s.audit(ctx, tx, user, "stock.move", "stock", in.SKU+"@"+fromCode,
			fmt.Sprintf("moved %d to %s", in.Qty, toCode))
	})
}

// Adjust corrects a bin's stock by a signed qty for a reason in
// AdjustReasons (damage only takes stock away, return only adds it) with a
// note saying why. Bad input is an EInvalid error naming the field.
func (s *Store) Adjust(ctx context.Context, user string, in AdjustInput) (*StockResult, error) {
	if err := checkAdjust(in); err != nil {
		return nil, err
	}
	return s.stockCommand(ctx, user, in.ID, func(tx *sql.Tx) ([]Movement, error) {
		pid, err := stockProduct(ctx, tx, in.SKU)
		if err != nil {
			return nil, err
		}
		bid, bin, err := knownBin(ctx, tx, "bin", in.Bin)
		if err != nil {
			return nil, err
		}
		m := Movement{SKU: in.SKU, Bin: bin, Lot: strings.TrimSpace(in.Lot), Qty: in.Qty,
			Reason: in.Reason, User: user,
			CmdID: in.ID, Detail: strings.TrimSpace(in.Note), productID: pid, binID: bid}
		if err := s.move(ctx, tx, &m); err != nil {
			return nil, err
		}
		return []Movement{m}, s.audit(ctx, tx, user, "stock."+in.Reason, "stock", in.SKU+"@"+bin,
			fmt.Sprintf("%+d: %s", in.Qty, m.Detail))
	})
}

func checkAdjust(in AdjustInput) error {
	switch {
	case in.Qty == 0:
		return oms.Errorf(oms.EInvalid, "qty: must not be 0")
	case !slices.Contains(AdjustReasons, in.Reason):
		return oms.Errorf(oms.EInvalid, "reason: %q is not one of %s", in.Reason, strings.Join(AdjustReasons, ", "))
	case in.Reason == ReasonDamage && in.Qty > 0:
		return oms.Errorf(oms.EInvalid, "qty: %d: damage takes stock away, so qty must be negative", in.Qty)
	case in.Reason == ReasonReturn && in.Qty < 0:
		return oms.Errorf(oms.EInvalid, "qty: %d: a return adds stock, so qty must be positive", in.Qty)
	case strings.TrimSpace(in.Note) == "":
		return oms.Errorf(oms.EInvalid, "note: required: say why the stock changed")
	}
	return errors.Join(checkText("note", in.Note, 500), checkText("lot", in.Lot, 64))
}
