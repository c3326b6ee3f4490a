package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/shipping"
)

// PutService creates or replaces a courier service (audited) and returns it
// as stored, with whether it was new. An invalid field is an EInvalid error
// naming the service, the field and the value.
func (s *Store) PutService(ctx context.Context, actor string, sv shipping.Service) (shipping.Service, bool, error) {
	sv, err := sv.Normalize()
	if err != nil {
		return sv, false, err
	}
	var created bool
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO services (id, courier, code, name, cutoff, days, holidays,
			created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
			ON CONFLICT (id) DO UPDATE SET courier = ?2, code = ?3, name = ?4, cutoff = ?5, days = ?6,
			holidays = ?7, updated_at = ?8
			RETURNING created_at = updated_at`, sv.ID, sv.Courier, sv.Code, sv.Name, sv.Cutoff,
			strings.Join(sv.Days, ","), strings.Join(sv.Holidays, ","), now).Scan(&created)
		if err != nil {
			return fmt.Errorf("put service %s: %w", sv.ID, err)
		}
		return s.audit(ctx, tx, actor, putAction("service", created), "service", sv.ID, sv.Summary())
	})
	return sv, created, err
}

// putAction is the audit action of a put: "service.add" or "service.set".
func putAction(kind string, created bool) string {
	if created {
		return kind + ".add"
	}
	return kind + ".set"
}

const serviceColumns = `id, courier, code, name, cutoff, days, holidays`

func scanService(row rowScanner) (shipping.Service, error) {
	var sv shipping.Service
	var days, holidays string
	err := row.Scan(&sv.ID, &sv.Courier, &sv.Code, &sv.Name, &sv.Cutoff, &days, &holidays)
	sv.Days, sv.Holidays = splitList(days), splitList(holidays)
	return sv, err
}

// splitList reads a stored comma-separated list; "" is an empty list.
func splitList(v string) []string {
	if v == "" {
		return []string{}
	}
	return strings.Split(v, ",")
}

// Services returns every courier service, by courier and id.
func (s *Store) Services(ctx context.Context) ([]shipping.Service, error) {
	return queryAll(ctx, s.read, "list services", scanService,
		`SELECT `+serviceColumns+` FROM services ORDER BY courier, id`)
}

// Service returns one courier service; ENotFound when there is none by
// that id.
func (s *Store) Service(ctx context.Context, id string) (shipping.Service, error) {
	sv, err := scanService(s.read.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sv, oms.Errorf(oms.ENotFound, "no service %s", oms.QuoteShort(id))
	}
	if err != nil {
		return sv, fmt.Errorf("service %s: %w", id, err)
	}
	return sv, nil
}

// RemoveService deletes a courier service (audited). It is ENotFound when
// there is none by that id, and EConflict, naming them, while rules choose
// it: remove or change those rules first.
func (s *Store) RemoveService(ctx context.Context, actor, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		used, err := queryStrings(ctx, tx, `SELECT id FROM service_rules WHERE service_id = ? ORDER BY id`, id)
		if err != nil {
			return fmt.Errorf("remove service %s: %w", id, err)
		}
		if len(used) > 0 {
			return oms.Errorf(oms.EConflict, "service %s is chosen by rules %s: change or remove them first",
				id, strings.Join(used, ", "))
		}
		var summary string
		err = tx.QueryRowContext(ctx, `DELETE FROM services WHERE id = ?
			RETURNING 'courier ' || courier || ', code ' || code`, id).Scan(&summary)
		if errors.Is(err, sql.ErrNoRows) {
			return oms.Errorf(oms.ENotFound, "no service %s", oms.QuoteShort(id))
		}
		if err != nil {
			return fmt.Errorf("remove service %s: %w", id, err)
		}
		return s.audit(ctx, tx, actor, "service.remove", "service", id, summary)
	})
}

// PutServiceRule creates or replaces a service rule (audited) and returns
// it as stored, with whether it was new. An invalid field, or a service
// that does not exist, is an EInvalid error naming the rule, the field and
// the value.
func (s *Store) PutServiceRule(ctx context.Context, actor string, r shipping.Rule) (shipping.Rule, bool, error) {
	r, err := r.Normalize()
	if err != nil {
		return r, false, err
	}
	var created bool
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var found int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE id = ?`, r.Service).Scan(&found)
		if err != nil {
			return fmt.Errorf("put rule %s: %w", r.ID, err)
		}
		if found == 0 {
			return oms.Errorf(oms.EInvalid, "rule %s: service %s: no such service", r.ID, oms.QuoteShort(r.Service))
		}
		if created, err = s.writeRule(ctx, tx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, putAction("service_rule", created), "service_rule", r.ID, r.Summary())
	})
	return r, created, err
}

func (s *Store) writeRule(ctx context.Context, tx *sql.Tx, r shipping.Rule) (bool, error) {
	var created bool
	err := tx.QueryRowContext(ctx, `INSERT INTO service_rules (id, priority, channels, levels, countries,
		min_grams, max_grams, service_id, created_at, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
		ON CONFLICT (id) DO UPDATE SET priority = ?2, channels = ?3, levels = ?4, countries = ?5,
		min_grams = ?6, max_grams = ?7, service_id = ?8, updated_at = ?9
		RETURNING created_at = updated_at`, r.ID, r.Priority, strings.Join(r.Channels, ","),
		strings.Join(r.Levels, ","), strings.Join(r.Countries, ","), r.MinGrams, r.MaxGrams, r.Service,
		s.now()).Scan(&created)
	if err != nil {
		return false, fmt.Errorf("put rule %s: %w", r.ID, err)
	}
	return created, nil
}

const ruleColumns = `id, priority, channels, levels, countries, min_grams, max_grams, service_id`

func scanRule(row rowScanner) (shipping.Rule, error) {
	var r shipping.Rule
	var channels, levels, countries string
	err := row.Scan(&r.ID, &r.Priority, &channels, &levels, &countries, &r.MinGrams, &r.MaxGrams, &r.Service)
	r.Channels, r.Levels, r.Countries = splitList(channels), splitList(levels), splitList(countries)
	return r, err
}

// ServiceRules returns every service rule in the order they are tried (see
// shipping.Sort).
func (s *Store) ServiceRules(ctx context.Context) ([]shipping.Rule, error) {
	return serviceRules(ctx, s.read)
}

func serviceRules(ctx context.Context, q queryer) ([]shipping.Rule, error) {
	out, err := queryAll(ctx, q, "list service rules", scanRule, `SELECT `+ruleColumns+` FROM service_rules`)
	shipping.Sort(out)
	return out, err
}

// ServiceRule returns one service rule; ENotFound when there is none by
// that id.
func (s *Store) ServiceRule(ctx context.Context, id string) (shipping.Rule, error) {
	r, err := scanRule(s.read.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM service_rules WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, oms.Errorf(oms.ENotFound, "no service rule %s", oms.QuoteShort(id))
	}
	if err != nil {
		return r, fmt.Errorf("service rule %s: %w", id, err)
	}
	return r, nil
}

// RemoveServiceRule deletes a service rule (audited); ENotFound when there
// is none by that id.
func (s *Store) RemoveServiceRule(ctx context.Context, actor, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := scanRule(tx.QueryRowContext(ctx, `DELETE FROM service_rules WHERE id = ? RETURNING `+ruleColumns, id))
		if errors.Is(err, sql.ErrNoRows) {
			return oms.Errorf(oms.ENotFound, "no service rule %s", oms.QuoteShort(id))
		}
		if err != nil {
			return fmt.Errorf("remove service rule %s: %w", id, err)
		}
		return s.audit(ctx, tx, actor, "service_rule.remove", "service_rule", id, r.Summary())
	})
}

// ServiceOption is a service the packer may ship with and the collection
// a label made now would go out with. Pickup is nil, and Unavailable says
// why, when the service has no collection day ahead.
type ServiceOption struct {
	shipping.Service
	Pickup      *shipping.Pickup `json:"pickup"`
	Unavailable string           `json:"unavailable,omitempty"`
}

// ServiceChoice is the service the rule table picks for an order's parcel,
// why (the rule), and every service the packer may pick instead.
type ServiceChoice struct {
	Order string         `json:"order"`
	Facts shipping.Facts `json:"facts"`

	// Service is the selected service and RuleID the rule that chose it;
	// when no rule matches, Service is nil and NoMatch says so ("no rule
	// matches: channel web, level Standard, country GB, weight 1200 g").
	Service *ServiceOption `json:"service"`
	RuleID  string         `json:"rule_id"`
	NoMatch string         `json:"no_match,omitempty"`

	// Alternatives are every courier's services, by courier and id, the
	// selected one included.
	Alternatives []ServiceOption `json:"alternatives"`
}

// ChooseService selects the service for a parcel of weightGrams of an
// order (by number or channel order id, as OrderByNumber) from the order's
// channel, service level and ship-to country, with the ship date each
// service would give a label made now in the store's Zone. A rule table
// that matches nothing is not an error: the choice says so and still lists
// the alternatives. It returns ENotFound or EConflict from finding the
// order, and EInvalid for a weight outside 0 to shipping.MaxGrams.
func (s *Store) ChooseService(ctx context.Context, number string, weightGrams int64) (ServiceChoice, error) {
	if weightGrams < 0 || weightGrams > shipping.MaxGrams {
		return ServiceChoice{}, oms.Errorf(oms.EInvalid, "weight_g: %d is not from 0 to %d",
			weightGrams, shipping.MaxGrams)
	}
	ref, err := findOrder(ctx, s.read, number, false)
	if err != nil {
		return ServiceChoice{}, err
	}
	c := ServiceChoice{Order: ref.number, Alternatives: []ServiceOption{}}
	if c.Facts, err = orderFacts(ctx, s.read, ref.id); err != nil {
		return c, err
	}
	c.Facts.WeightGrams = weightGrams
	rules, err := s.ServiceRules(ctx)
	if err != nil {
		return c, err
	}
	services, err := s.Services(ctx)
	if err != nil {
		return c, err
	}
	s.fillChoice(&c, rules, services)
	return c, nil
}

// fillChoice selects from rules and lists services with their pickups.
func (s *Store) fillChoice(c *ServiceChoice, rules []shipping.Rule, services []shipping.Service) {
	now, zone := s.Now(), cmp.Or(s.Zone, time.Local)
	rule, err := shipping.Select(rules, c.Facts)
	if err != nil {
		c.NoMatch = err.Error()
	}
	for _, sv := range services {
		opt := ServiceOption{Service: sv}
		if p, err := shipping.ShipDate(now, zone, sv); err != nil {
			opt.Unavailable = err.Error()
		} else {
			opt.Pickup = &p
		}
		c.Alternatives = append(c.Alternatives, opt)
		if c.NoMatch == "" && sv.ID == rule.Service {
			c.Service, c.RuleID = &opt, rule.ID
		}
	}
}

// orderFacts reads what service rules look at in an order; the weight is
// the caller's.
func orderFacts(ctx context.Context, q queryer, orderID int64) (shipping.Facts, error) {
	var f shipping.Facts
	var shipTo string
	err := q.QueryRowContext(ctx, `SELECT channel, service_level, ship_to FROM orders WHERE id = ?`,
		orderID).Scan(&f.Channel, &f.Level, &shipTo)
	if err != nil {
		return f, fmt.Errorf("order %d: %w", orderID, err)
	}
	var a oms.Address
	if err := json.Unmarshal([]byte(shipTo), &a); err != nil {
		return f, fmt.Errorf("order %d ship-to: %w", orderID, err)
	}
	f.Country = a.Country
	return f, nil
}
