package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// channelRoutes adds the sales channel, ring fence and availability API.
func (s *Server) channelRoutes(api *echo.Group) {
	api.GET("/channels", s.handleChannels)
	api.PUT("/channels/:id", s.handlePutChannel)
	api.POST("/ring-fences", s.handleAddRingFence)
	api.DELETE("/ring-fences/:id", s.handleEndRingFence)
	api.GET("/stock/:sku/availability", s.handleAvailability)
	api.GET("/outbox", s.handleOutbox)
}

func (s *Server) handleChannels(c echo.Context) error {
	list, err := s.store.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// handlePutChannel creates (201) or updates (200) the channel named in the
// path; the body holds every setting, and a missing one takes its default.
func (s *Server) handlePutChannel(c echo.Context) error {
	var in store.Channel
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.ID != "" && in.ID != c.Param("id") {
		return oms.Errorf(oms.EInvalid, "id: %q in the body differs from %q in the path", in.ID, c.Param("id"))
	}
	in.ID = c.Param("id")
	ch, created, err := s.store.PutChannel(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, ch)
}

func (s *Server) handleAddRingFence(c echo.Context) error {
	var in store.RingFenceInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f, err := s.store.AddRingFence(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

// handleEndRingFence ends a fence now; the fence stays as history.
func (s *Server) handleEndRingFence(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return oms.Errorf(oms.EInvalid, "ring fence id %q is not a number", c.Param("id"))
	}
	f, err := s.store.EndRingFence(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

func (s *Server) handleAvailability(c echo.Context) error {
	a, err := s.store.Availability(c.Request().Context(), c.Param("sku"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// handleOutbox lists available-to-sell changes not yet pushed to channels,
// oldest first.
func (s *Server) handleOutbox(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	rows, err := s.store.PendingOutbox(c.Request().Context(), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rows)
}

// stockAlertMsg tells the dashboard a SKU's unpromised stock ran low or out.
type stockAlertMsg struct {
	Type      string `json:"type"`
	SKU       string `json:"sku"`
	Level     string `json:"level"` // "low" or "out"
	Available int64  `json:"available"`
}

// alertStock runs after an order was allocated (and committed): each of its
// SKUs whose available stock is now at or below store.LowStockUnits is sent
// to the dashboards. Allocation only lowers availability, so the SKU fell to
// that level with this order.
func (s *Server) alertStock(ctx context.Context, o *store.Order) {
	if o.Status != store.StatusAllocated {
		return
	}
	var skus []string
	for _, l := range o.Lines {
		skus = append(skus, l.SKU)
	}
	s.checkStockAlerts(ctx, skus)
}

// alertFromChanges raises stock alerts for every SKU whose stock or
// available-to-sell changed since the last look, whatever changed it (an import from the CLI,
// a pick, a count), so the dashboard hears of them within a poll interval.
func (s *Server) alertFromChanges(ctx context.Context) {
	s.alertMu.Lock()
	mark := s.changeMark
	s.alertMu.Unlock()
	skus, next, err := s.store.SKUsChangedAfter(ctx, mark)
	if err != nil {
		s.log.Error("stock alerts", "err", err)
		return
	}
	s.alertMu.Lock()
	s.changeMark = next
	s.alertMu.Unlock()
	if len(skus) > 0 {
		s.checkStockAlerts(ctx, skus)
	}
}

// checkStockAlerts publishes a stock alert for each SKU whose level (low,
// out, or fine) changed since it was last reported, so the dashboard is told
// once per change, not on every look.
func (s *Server) checkStockAlerts(ctx context.Context, skus []string) {
	avail, err := s.store.AvailableUnits(ctx, skus)
	if err != nil {
		s.log.Error("stock alerts", "err", err)
		return
	}
	s.alertMu.Lock()
	defer s.alertMu.Unlock()
	for _, sku := range skus {
		n, seen := avail[sku]
		if !seen {
			continue
		}
		level := ""
		switch {
		case n <= 0:
			level = "out"
		case n <= store.LowStockUnits:
			level = "low"
		}
		if level == s.alertLevel[sku] {
			continue
		}
		s.alertLevel[sku] = level
		if level != "" {
			s.hub.publish("dashboard", stockAlertMsg{Type: "stock_alert", SKU: sku, Level: level, Available: n})
		}
	}
}
