package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// The fulfilment outbox is how tracking leaves the warehouse: shipping an
// order writes a row (carrier, service, tracking numbers and URLs) in the
// same transaction, and whoever tells the sales channel reads the unsent
// rows and marks each sent once the channel took it.
//
// TODO: no channel sync worker reads the outbox yet; the channel-sync work
// adds one per channel (WooCommerce, Amazon). Until then an integrator
// polls GET /api/v1/fulfilments?unsent=true and calls …/sent.

func (s *Server) fulfilmentRoutes(api *echo.Group) {
	api.GET("/fulfilments", s.handleListFulfilments)
	api.POST("/fulfilments/:id/sent", s.handleFulfilmentSent)
}

// handleListFulfilments lists outbox rows oldest first: ?unsent=true for
// those not yet marked sent, ?after=ID to page on, ?limit= (default 100).
func (s *Server) handleListFulfilments(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	unsent := false
	if v := c.QueryParam("unsent"); v != "" {
		if unsent, err = strconv.ParseBool(v); err != nil {
			return oms.Errorf(oms.EInvalid, "unsent: %s: want true or false", oms.QuoteShort(v))
		}
	}
	var after int64
	if v := c.QueryParam("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return oms.Errorf(oms.EInvalid, "after: %s: want a fulfilment id", oms.QuoteShort(v))
		}
	}
	list, err := s.store.Fulfilments(c.Request().Context(), unsent, after, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// handleFulfilmentSent marks a row sent (audited with the user) and
// answers it; marking it again keeps the first time.
func (s *Server) handleFulfilmentSent(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return oms.Errorf(oms.EInvalid, "fulfilment id %s: want a whole number", oms.QuoteShort(c.Param("id")))
	}
	f, err := s.store.MarkFulfilmentSent(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}
