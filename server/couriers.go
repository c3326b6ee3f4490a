package server

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// LocalCourier is the configured name of the built-in local courier, always
// registered: services whose courier is "local" buy from it.
const LocalCourier = "local"

// registerCourier makes c the courier of services whose courier is name
// ("local", "easypost"), replacing any courier of that name.
func (s *Server) registerCourier(name string, c courier.Courier) {
	s.couriersMu.Lock()
	defer s.couriersMu.Unlock()
	s.couriers[name] = c
}

// courier returns the courier registered as name, or an EConflict error
// naming the couriers there are (a service names a courier not set up).
func (s *Server) courier(name string) (courier.Courier, error) {
	s.couriersMu.Lock()
	defer s.couriersMu.Unlock()
	if c, ok := s.couriers[name]; ok {
		return c, nil
	}
	names := make([]string, 0, len(s.couriers))
	for n := range s.couriers {
		names = append(names, n)
	}
	slices.Sort(names)
	return nil, oms.Errorf(oms.EConflict, "courier %s is not set up on this server (it has %s): "+
		"choose another service or start the server with that courier", oms.QuoteShort(name),
		strings.Join(names, ", "))
}

// needsWeight reports whether the courier registered as name must be told
// each parcel's weight: every outside courier prices by weight; the
// warehouse's own vans do not.
func needsWeight(name string) bool { return name != LocalCourier }

// warehouseLocal is the local courier as configured by the warehouse now:
// its country and address are read at each purchase, so setting the
// warehouse after start-up takes effect at once.
type warehouseLocal struct{ s *Server }

var _ courier.Courier = warehouseLocal{}

func (w warehouseLocal) local(ctx context.Context) (*courier.Local, error) {
	from, err := w.s.store.Warehouse(ctx)
	if err != nil {
		return nil, &courier.Error{Courier: "Local courier", Kind: courier.ErrRequest,
			Message: oms.ErrorMessage(err), Err: err}
	}
	return courier.NewLocal(courier.LocalConfig{Country: from.Country, From: courierAddress(from),
		Serials: w.s.store.TrackingSerials})
}

// Name is the local courier's printed name.
func (w warehouseLocal) Name() string { return courier.Local{}.Name() }

// Buy buys from the local courier (see courier.Local.Buy).
func (w warehouseLocal) Buy(ctx context.Context, req courier.Request) (*courier.Shipment, error) {
	l, err := w.local(ctx)
	if err != nil {
		return nil, err
	}
	return l.Buy(ctx, req)
}

// Void voids a local shipment (see courier.Local.Void).
func (w warehouseLocal) Void(ctx context.Context, id string) error {
	l, err := w.local(ctx)
	if err != nil {
		return err
	}
	return l.Void(ctx, id)
}

// Manifest closes out local shipments (see courier.Local.Manifest).
func (w warehouseLocal) Manifest(ctx context.Context, ids []string, day time.Time) (*courier.Manifest, error) {
	l, err := w.local(ctx)
	if err != nil {
		return nil, err
	}
	return l.Manifest(ctx, ids, day)
}

// courierAddress is an order's or the warehouse's address as couriers want it.
func courierAddress(a oms.Address) courier.Address {
	return courier.Address{Name: a.Name, Company: a.Company, Line1: a.Line1, Line2: a.Line2, Line3: a.Line3,
		City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country, Phone: a.Phone}
}
