package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// A bundle is a product sold as a set of other products, its components. It
// has no stock of its own: what it has available is what its components
// allow, and an order line for it reserves, picks and packs the components.

// SetBundle makes the product sku a bundle of comps, replacing any
// components it had, and marks it as not stocked. A component must be a
// stocked product that is not itself a bundle, listed once, with a quantity
// of at least 1. It returns an ENotFound error for an unknown SKU and an
// EInvalid error for a component that breaks a rule, or for a product that
// still holds stock.
func (s *Store) SetBundle(ctx context.Context, actor, sku string, comps []oms.Component) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ?`, sku).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return oms.Errorf(oms.ENotFound, "no product with sku %q", sku)
		} else if err != nil {
			return fmt.Errorf("bundle %s: %w", sku, err)
		}
		if err := saveComponents(ctx, tx, id, sku, comps); err != nil {
			return err
		}
		if err := s.syncListings(ctx, tx, []string{sku}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "bundle.set", "product", sku, componentText(comps))
	})
}

// importBundles saves the components of each product of ps that lists any,
// once every product of the import is stored.
func (s *Store) importBundles(ctx context.Context, tx *sql.Tx, ps []oms.Product) error {
	var skus []string
	for i := range ps {
		p := &ps[i]
		if len(p.Components) == 0 {
			continue
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ?`, p.SKU).Scan(&id); err != nil {
			return fmt.Errorf("bundle %s: %w", p.SKU, err)
		}
		if err := saveComponents(ctx, tx, id, p.SKU, p.Components); err != nil && p.Row > 0 {
			return fmt.Errorf("row %d (sku %q): %w", p.Row, p.SKU, err)
		} else if err != nil {
			return err
		}
		skus = append(skus, p.SKU)
	}
	if len(skus) == 0 {
		return nil
	}
	return s.syncListings(ctx, tx, skus)
}

func componentText(comps []oms.Component) string {
	parts := make([]string, len(comps))
	for i, c := range comps {
		parts[i] = fmt.Sprintf("%s*%d", c.SKU, c.Qty)
	}
	return strings.Join(parts, "|")
}

// saveComponents replaces the components of the bundle with product id and
// marks it as not stocked; see SetBundle for the rules.
func saveComponents(ctx context.Context, tx *sql.Tx, id int64, sku string, comps []oms.Component) error {
	if len(comps) == 0 {
		return oms.Errorf(oms.EInvalid, "bundle %s: no components", sku)
	}
	var held int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(on_hand), 0) FROM stock WHERE product_id = ?`,
		id).Scan(&held)
	if err != nil {
		return fmt.Errorf("bundle %s: %w", sku, err)
	}
	if held > 0 {
		return oms.Errorf(oms.EInvalid, "bundle %s: it holds %d units of stock; a bundle has none", sku, held)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM bundle_components WHERE bundle_id = ?`, id); err != nil {
		return fmt.Errorf("bundle %s: %w", sku, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE products SET stocked = 0 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("bundle %s: %w", sku, err)
	}
	seen := map[string]bool{}
	for _, c := range comps {
		if err := addComponent(ctx, tx, id, sku, c, seen); err != nil {
			return err
		}
	}
	return nil
}

func addComponent(ctx context.Context, tx *sql.Tx, id int64, sku string, c oms.Component, seen map[string]bool) error {
	switch {
	case c.Qty < 1:
		return oms.Errorf(oms.EInvalid, "bundle %s: component %s qty %d, want at least 1", sku, c.SKU, c.Qty)
	case seen[c.SKU]:
		return oms.Errorf(oms.EInvalid, "bundle %s: component %s is listed twice", sku, c.SKU)
	case c.SKU == sku:
		return oms.Errorf(oms.EInvalid, "bundle %s: cannot be its own component", sku)
	}
	seen[c.SKU] = true
	var cid int64
	var stocked, isBundle bool
	err := tx.QueryRowContext(ctx, `SELECT id, stocked,
		EXISTS (SELECT 1 FROM bundle_components WHERE bundle_id = products.id)
		FROM products WHERE sku = ?`, c.SKU).Scan(&cid, &stocked, &isBundle)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return oms.Errorf(oms.EInvalid, "bundle %s: component %s is not in the catalogue", sku, c.SKU)
	case err != nil:
		return fmt.Errorf("bundle %s: %w", sku, err)
	case isBundle:
		return oms.Errorf(oms.EInvalid, "bundle %s: component %s is a bundle itself", sku, c.SKU)
	case !stocked:
		return oms.Errorf(oms.EInvalid, "bundle %s: component %s is not a stock item", sku, c.SKU)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO bundle_components (bundle_id, component_id, qty)
		VALUES (?, ?, ?)`, id, cid, c.Qty)
	if err != nil {
		return fmt.Errorf("bundle %s component %s: %w", sku, c.SKU, err)
	}
	return nil
}

// bundleComponents returns the components of the product sku, by SKU; none
// when it is not a bundle.
func bundleComponents(ctx context.Context, q queryer, sku string) ([]oms.Component, error) {
	bundles, err := bundlesTouching(ctx, q, []string{sku})
	if err != nil {
		return nil, err
	}
	return bundles[sku], nil
}

// bundlesTouching returns the components of every bundle that is one of
// skus or holds one of them (every bundle when skus is nil), by bundle SKU.
func bundlesTouching(ctx context.Context, q queryer, skus []string) (map[string][]oms.Component, error) {
	where, args := inList("b.sku", skus)
	if skus != nil {
		w2, a2 := inList("c.sku", skus)
		where = " AND (" + strings.TrimPrefix(where, " AND ") + " OR " + strings.TrimPrefix(w2, " AND ") + ")"
		args = append(args, a2...)
	}
	rows, err := q.QueryContext(ctx, `SELECT b.sku, c.sku, bc.qty FROM bundle_components bc
		JOIN products b ON b.id = bc.bundle_id JOIN products c ON c.id = bc.component_id
		WHERE 1 = 1`+where+` ORDER BY b.sku, c.sku`, args...)
	if err != nil {
		return nil, fmt.Errorf("bundles: %w", err)
	}
	defer rows.Close()
	out := map[string][]oms.Component{}
	for rows.Next() {
		var b string
		var c oms.Component
		if err := rows.Scan(&b, &c.SKU, &c.Qty); err != nil {
			return nil, fmt.Errorf("bundles: %w", err)
		}
		out[b] = append(out[b], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bundles: %w", err)
	}
	if skus == nil {
		return out, nil
	}
	// A bundle found through one component needs all of them.
	var names []string
	for b := range out {
		names = append(names, b)
	}
	if len(names) == 0 {
		return out, nil
	}
	all, err := bundlesTouching(ctx, q, nil)
	if err != nil {
		return nil, err
	}
	for _, b := range names {
		out[b] = all[b]
	}
	return out, nil
}

// withBundles returns skus with the bundles and the components of bundles
// in bundles added, each once; nil stays nil (every SKU).
func withBundles(skus []string, bundles map[string][]oms.Component) []string {
	if skus == nil {
		return nil
	}
	out := slices.Clone(skus)
	add := func(sku string) {
		if !slices.Contains(out, sku) {
			out = append(out, sku)
		}
	}
	names := make([]string, 0, len(bundles))
	for b := range bundles {
		names = append(names, b)
	}
	sort.Strings(names)
	for _, b := range names {
		add(b)
		for _, c := range bundles[b] {
			add(c.SKU)
		}
	}
	return out
}

// bundleFigure is what a bundle allows of a figure its components have
// (units available, or available to sell on one channel): the least, over
// its components, of whole bundles that component's figure makes.
func bundleFigure(comps []oms.Component, figure func(sku string) int64) int64 {
	var least int64 = -1
	for _, c := range comps {
		n := max(figure(c.SKU), 0) / c.Qty
		if least < 0 || n < least {
			least = n
		}
	}
	return max(least, 0)
}

// skuATS returns channel c's available-to-sell of sku: a bundle's from its
// components, any other SKU's from its stock and ring fences.
func skuATS(c Channel, sku string, stock map[string]skuStock, fences map[string]map[string]int64,
	bundles map[string][]oms.Component) int64 {
	if comps, ok := bundles[sku]; ok {
		return bundleFigure(comps, func(sku string) int64 { return skuATS(c, sku, stock, fences, nil) })
	}
	st := stock[sku]
	return availableToSell(c, st.onHand-st.allocated, fences[sku])
}

// lineNeeds returns the units of stocked SKUs that lines need, by SKU, with
// each bundle line counted as its components, and the SKUs in line order.
func lineNeeds(lines []OrderLine, bundles map[string][]oms.Component) (map[string]int64, []string) {
	need := map[string]int64{}
	var skus []string
	add := func(sku string, n int64) {
		if _, ok := need[sku]; !ok {
			skus = append(skus, sku)
		}
		need[sku] += n
	}
	for _, l := range lines {
		comps, ok := bundles[l.SKU]
		if !ok {
			add(l.SKU, l.Qty)
			continue
		}
		for _, c := range comps {
			add(c.SKU, l.Qty*c.Qty)
		}
	}
	return need, skus
}

// saveLineComponents fixes the components an allocated bundle line takes,
// so that picking and packing follow them even if the bundle changes later.
func saveLineComponents(ctx context.Context, tx *sql.Tx, l OrderLine, comps []oms.Component) error {
	// A line allocated again (after its stock was released) starts afresh.
	if _, err := tx.ExecContext(ctx, `DELETE FROM line_components WHERE order_line_id = ?`, l.ID); err != nil {
		return fmt.Errorf("line %d components: %w", l.ID, err)
	}
	for _, c := range comps {
		_, err := tx.ExecContext(ctx, `INSERT INTO line_components (order_line_id, product_id, per_bundle, qty)
			VALUES (?, (SELECT id FROM products WHERE sku = ?), ?, ?)`, l.ID, c.SKU, c.Qty, l.Qty*c.Qty)
		if err != nil {
			return fmt.Errorf("line %d component %s: %w", l.ID, c.SKU, err)
		}
	}
	return nil
}

// componentPackLines returns the pack lines of the components of a bundle
// order line, or none when the line is not a bundle.
func componentPackLines(ctx context.Context, q queryer, l OrderLine) ([]oms.PackLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT lc.id, p.sku, p.title, lc.qty, lc.verified
		FROM line_components lc JOIN products p ON p.id = lc.product_id
		WHERE lc.order_line_id = ? ORDER BY lc.id`, l.ID)
	if err != nil {
		return nil, fmt.Errorf("components of line %d: %w", l.ID, err)
	}
	defer rows.Close()
	var out []oms.PackLine
	for rows.Next() {
		pl := oms.PackLine{Bundle: l.SKU}
		if err := rows.Scan(&pl.ID, &pl.SKU, &pl.Title, &pl.Qty, &pl.Verified); err != nil {
			return nil, fmt.Errorf("components of line %d: %w", l.ID, err)
		}
		out = append(out, pl)
	}
	return out, rows.Err()
}

// verifyComponent stores a component's verified count and sets its bundle
// line's to the whole bundles verified so far.
func verifyComponent(ctx context.Context, tx *sql.Tx, line *oms.PackLine) error {
	if _, err := tx.ExecContext(ctx, `UPDATE line_components SET verified = ? WHERE id = ?`,
		line.Verified, line.ID); err != nil {
		return fmt.Errorf("verify component %d: %w", line.ID, err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE order_lines SET verified = (SELECT MIN(verified / per_bundle)
		FROM line_components WHERE order_line_id = order_lines.id)
		WHERE id = (SELECT order_line_id FROM line_components WHERE id = ?)`, line.ID)
	if err != nil {
		return fmt.Errorf("verify component %d: %w", line.ID, err)
	}
	return nil
}
