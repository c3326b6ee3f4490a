package server

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

func (s *Server) parcelRoutes(api *echo.Group) {
	api.POST("/orders/:number/release", s.handleRelease)
	api.POST("/orders/:number/parcels", s.handleAddParcel)
}

// handleRelease buys and prints an order's labels at ?station= (default
// "api"), with {"service": id} to choose the service. {"override":
// "reason"} is a supervisor's release of an order with lines not verified:
// it needs the X-Shipshape-User header naming them, and is audited with
// the reason.
func (s *Server) handleRelease(c echo.Context) error {
	var in struct {
		Override string `json:"override"`
		Service  string `json:"service"`
	}
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	station := cmp.Or(c.QueryParam("station"), "api")
	if err := validStationID(station); err != nil {
		return err
	}
	in.Override = strings.TrimSpace(in.Override)
	if err := checkOverride(c, in.Override); err != nil {
		return err
	}
	out, err := s.shipOrder(c.Request().Context(), shipRequest{station: station, actor: actor(c),
		order: c.Param("number"), service: in.Service, override: in.Override})
	if err != nil {
		return err
	}
	s.publishStationLabels(station, out)
	return c.JSON(http.StatusCreated, out)
}

// checkOverride refuses an override without a reason fit to audit or
// without the supervisor's name.
func checkOverride(c echo.Context, reason string) error {
	switch {
	case reason == "":
		return nil
	case oms.CheckText(reason, 200) != nil:
		return oms.Errorf(oms.EInvalid, "override: the reason is 1 to 200 printable characters")
	case strings.TrimSpace(c.Request().Header.Get(actorHeader)) == "":
		return oms.Errorf(oms.EInvalid, "override: the %s header must name the supervisor", actorHeader)
	}
	return nil
}

// handleAddParcel adds a parcel to an order whose labels were bought:
// the consignment is voided with its courier, the parcel added with the
// items moved into it, and every parcel's label bought again and printed
// at ?station= (default: where the first labels printed).
func (s *Server) handleAddParcel(c echo.Context) error {
	var in struct {
		Reason string             `json:"reason"`
		Grams  int64              `json:"grams"`
		Box    string             `json:"box"`
		Move   []store.ParcelMove `json:"move"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.addParcel(c.Request().Context(), c.QueryParam("station"), actor(c), store.AddParcelRequest{
		OrderNumber: c.Param("number"), Actor: actor(c), Reason: strings.TrimSpace(in.Reason), Grams: in.Grams,
		Box: in.Box, Move: in.Move})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// addParcel voids the order's consignment, adds the parcel (store.AddParcel)
// and buys every parcel's label again with the same courier, service and
// override. When the new purchase fails, the order waits at packing with
// its parcels: the error says so, and Print labels (or the release
// endpoint) buys them once the cause is fixed.
func (s *Server) addParcel(ctx context.Context, station, actor string, r store.AddParcelRequest) (*labelMsg, error) {
	old, err := s.store.ActiveConsignment(ctx, r.OrderNumber)
	if err != nil {
		return nil, err
	}
	c, err := s.courier(old.Courier)
	if err != nil {
		return nil, err
	}
	station = cmp.Or(station, old.Station, "api")
	if err := validStationID(station); err != nil {
		return nil, err
	}
	r.NeedsWeight = needsWeight(old.Courier)
	if _, err := s.store.AddParcel(ctx, r, c.Void); err != nil {
		return nil, s.voidError(err)
	}
	s.log.Info("consignment voided to add a parcel", "order", old.OrderNumber, "courier", old.Courier,
		"ref", old.Ref, "user", actor, "reason", r.Reason)
	s.hub.publish("pack:"+station, s.jobsMsgOrNil(ctx, station))
	out, err := s.shipOrder(ctx, shipRequest{station: station, actor: actor, order: old.OrderNumber,
		service: old.ServiceID, override: old.Override})
	if err != nil {
		// The void and the new parcel stand whatever the cause: the state
		// changed, so this is a conflict to resolve, not bad input.
		code := oms.ErrorCode(err)
		if code == oms.EInvalid || code == oms.ENotFound {
			code = oms.EConflict
		}
		return nil, oms.Errorf(code, "the old labels of %s are void and the parcel is added, "+
			"but the new labels were not bought: %s; press Print labels at the station once fixed",
			old.OrderNumber, oms.ErrorMessage(err))
	}
	s.publishStationLabels(station, out)
	return out, nil
}

// voidError tells the caller the courier would not void: nothing changed.
func (s *Server) voidError(err error) error {
	var ve *store.VoidError
	if !errors.As(err, &ve) {
		return err
	}
	s.log.Warn("courier refused to void", "order", ve.OrderNumber, "err", err)
	return oms.Errorf(oms.EConflict, "the courier would not void the labels of %s (%v): nothing changed",
		ve.OrderNumber, ve.Err)
}

// publishStationLabels shows labels released through the API on the
// station's pages, one "label" message per parcel.
func (s *Server) publishStationLabels(station string, out *labelMsg) {
	for _, l := range out.Labels {
		s.hub.publish("pack:"+station, l)
	}
}

// jobsMsgOrNil is the station's open print jobs (the voided ones gone).
func (s *Server) jobsMsgOrNil(ctx context.Context, station string) any {
	msg, err := s.stationJobs(ctx, station)
	if err != nil {
		s.log.Error("station jobs", "station", station, "err", err)
		return textMsg{Type: "error", Message: "could not list the station's print jobs"}
	}
	return msg
}
