package oms

import (
	"fmt"
	"strings"
)

// Pick line states as the handheld shows them.
const (
	LineOpen  = "open"
	LineDone  = "done"
	LineShort = "short"
)

// PickTask is one order's pick list as a picker works it: lines in bin walk
// order, the line to pick now, and whether its bin has been confirmed.
type PickTask struct {
	ID           int64      `json:"id"`
	OrderID      int64      `json:"-"`
	OrderNumber  string     `json:"order_number"`
	Picker       string     `json:"picker"`
	Tote         string     `json:"tote"`
	Lines        []PickLine `json:"lines"`
	CurrentLine  int64      `json:"current_line"`
	BinConfirmed bool       `json:"bin_confirmed"`
	Complete     bool       `json:"complete"`
}

// PickLine is one SKU to take from one bin.
type PickLine struct {
	ID     int64  `json:"id"`
	Bin    string `json:"bin"`
	Lot    string `json:"lot"` // the lot to take, '' for stock without one
	SKU    string `json:"sku"`
	Title  string `json:"title"`
	Qty    int64  `json:"qty"`
	Picked int64  `json:"picked"`
	Short  int64  `json:"short"`
	Status string `json:"status"`
}

// Scanned is a scanned code after the store resolved it: a bin, a product, a
// tote, or nothing known (all fields but Code empty).
type Scanned struct {
	Code  string
	Bin   string
	SKU   string
	Title string
	Tote  string
	// Units is how many units of SKU the scanned barcode stands for (a
	// case); 0 means 1.
	Units int64
	// Lot and Expiry are what a GS1 barcode says of the item: its batch or
	// lot (AI 10) and its expiry date as YYYY-MM-DD (AI 17); "" when the
	// barcode does not say. Expired is set when Expiry is already past in
	// the warehouse's time zone.
	Lot     string
	Expiry  string
	Expired bool
	// Unreadable says why the code could not be read (a bad check digit, GS1
	// data missing a separator); the scan is refused with it.
	Unreadable string
	// Extra is how many more codes the same trigger pull read. Only the
	// first counts; the verdict says the others were ignored.
	Extra int
}

// refused returns the verdict for a code that could not be read, if so.
func (s Scanned) refused() (Verdict, bool) {
	if s.Unreadable != "" {
		return wrong(s.Code, "%s", s.Unreadable), true
	}
	return Verdict{}, false
}

// withExtra notes on v that codes read with the first were ignored.
func (s Scanned) withExtra(v Verdict) Verdict {
	if s.Extra > 0 {
		v.Message += fmt.Sprintf(" (%d more code(s) in the same scan ignored: scan one at a time)", s.Extra)
	}
	return v
}

// checkItem refuses an item its own barcode says is expired, or one whose
// barcode names another lot than the line's. A barcode without a lot is
// taken on trust: most products carry only a GTIN.
func (s Scanned) checkItem(lot, where string) (Verdict, bool) {
	if s.Expired {
		return wrong(s.Code, "Expired on %s: put it aside and take another", s.Expiry), false
	}
	if s.Lot != "" && lot != "" && s.Lot != lot {
		return wrong(s.Code, "Wrong lot %s: take lot %s%s", s.Lot, lot, where), false
	}
	return Verdict{}, true
}

// units returns how many units the scan counts.
func (s Scanned) units() int64 {
	return max(s.Units, 1)
}

// Verdict is the server's answer to one scan or command.
type Verdict struct {
	OK      bool   `json:"ok"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func ok(code, format string, args ...any) Verdict {
	return Verdict{OK: true, Code: code, Message: fmt.Sprintf(format, args...)}
}

func wrong(code, format string, args ...any) Verdict {
	return Verdict{OK: false, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Refresh recomputes the derived fields: each line's status, the current line
// and whether the task is complete.
func (t *PickTask) Refresh() {
	t.CurrentLine, t.Complete = 0, true
	for i := range t.Lines {
		l := &t.Lines[i]
		switch {
		case l.Picked+l.Short < l.Qty:
			l.Status = LineOpen
			if t.Complete {
				t.CurrentLine, t.Complete = l.ID, false
			}
		case l.Short > 0:
			l.Status = LineShort
		default:
			l.Status = LineDone
		}
	}
}

// Current returns the line to pick now, or nil when every line is done or short.
func (t *PickTask) Current() *PickLine {
	for i := range t.Lines {
		if t.Lines[i].ID == t.CurrentLine && !t.Complete {
			return &t.Lines[i]
		}
	}
	return nil
}

// Scan applies one scan to the task and says whether it was right. A bin must
// be confirmed before its items; only the current line's item counts, and never
// beyond the quantity asked for: a case counts its units, and a case of more
// units than the line still needs is refused. A wrong scan changes nothing.
func (t *PickTask) Scan(s Scanned) Verdict {
	return s.withExtra(t.scan(s))
}

func (t *PickTask) scan(s Scanned) Verdict {
	t.Refresh()
	if v, bad := s.refused(); bad {
		return v
	}
	if s.Tote != "" {
		// Swapping totes mid-task would free the first while it still
		// holds this order's goods.
		if t.Tote != "" && t.Tote != s.Tote {
			return wrong(s.Code, "This order is already in tote %s: keep using it", t.Tote)
		}
		t.Tote = s.Tote
		return ok(s.Code, "Tote %s", s.Tote)
	}
	cur := t.Current()
	if cur == nil {
		return wrong(s.Code, "All lines are done: press Complete")
	}
	switch {
	case s.Bin != "":
		return t.scanBin(cur, s)
	case s.SKU != "":
		return t.scanItem(cur, s)
	default:
		return wrong(s.Code, "Unknown barcode %q", s.Code)
	}
}

func (t *PickTask) scanBin(cur *PickLine, s Scanned) Verdict {
	if s.Bin != cur.Bin {
		return wrong(s.Code, "Wrong bin %s: go to %s", s.Bin, cur.Bin)
	}
	t.BinConfirmed = true
	return ok(s.Code, "Bin %s confirmed", s.Bin)
}

func (t *PickTask) scanItem(cur *PickLine, s Scanned) Verdict {
	if !t.BinConfirmed {
		return wrong(s.Code, "Scan bin %s first", cur.Bin)
	}
	if s.SKU != cur.SKU {
		return wrong(s.Code, "Wrong item: %s (%s); take %s (%s) from %s",
			s.Title, s.SKU, cur.Title, cur.SKU, cur.Bin)
	}
	if v, ok := s.checkItem(cur.Lot, " from "+cur.Bin); !ok {
		return v
	}
	n, left := s.units(), cur.Qty-cur.Picked
	if n > left {
		return wrong(s.Code, "Case of %d, only %d left to pick: open the case and scan items", n, left)
	}
	cur.Picked += n
	v := ok(s.Code, "%s %d / %d", cur.Title, cur.Picked, cur.Qty)
	bin := cur.Bin
	t.Refresh()
	if next := t.Current(); next == nil || next.Bin != bin {
		t.BinConfirmed = false
	}
	return v
}

// ShortCurrent records that the rest of the current line could not be found.
// It returns the line and the quantity recorded short.
func (t *PickTask) ShortCurrent(lineID int64) (*PickLine, int64, error) {
	t.Refresh()
	cur := t.Current()
	if cur == nil {
		return nil, 0, Errorf(EConflict, "every line is picked or short: nothing left to short")
	}
	if lineID != 0 && cur.ID != lineID {
		return nil, 0, Errorf(EConflict, "line %d is not the line being picked", lineID)
	}
	n := cur.Qty - cur.Picked
	cur.Short = n
	t.BinConfirmed = false
	t.Refresh()
	return cur, n, nil
}

// CheckComplete returns nil when every line is picked or recorded short, and
// otherwise an EConflict error naming the lines still open.
func (t *PickTask) CheckComplete() error {
	t.Refresh()
	var open []string
	for _, l := range t.Lines {
		if l.Status == LineOpen {
			open = append(open, fmt.Sprintf("%s %d/%d at %s", l.SKU, l.Picked, l.Qty, l.Bin))
		}
	}
	if len(open) > 0 {
		return Errorf(EConflict, "cannot complete task %d: not picked yet: %s",
			t.ID, strings.Join(open, ", "))
	}
	return nil
}

// Shorts returns the lines recorded short.
func (t *PickTask) Shorts() []PickLine {
	var s []PickLine
	for _, l := range t.Lines {
		if l.Short > 0 {
			s = append(s, l)
		}
	}
	return s
}
