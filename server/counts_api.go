package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// Cycle counts. A counter's handheld posts what it found and is told only
// "recorded" or "recorded, waiting for a supervisor": never what the system
// expected, so a count cannot be steered towards the answer. Supervisors
// list waiting counts with the figures and approve or reject them.
//
// TODO: Shipshape has no roles yet, only the X-Shipshape-User name, so a
// handheld could still call the supervisor's list or the movements API and
// see the figures; blind counting holds for the counting protocol, and
// needs supervisor-only routes once users sign in.

func (s *Server) countRoutes(api *echo.Group) {
	api.POST("/counts", s.handleCount)
	api.GET("/counts", s.handleListCounts)
	api.POST("/counts/:id/approve", s.handleApproveCount)
	api.POST("/counts/:id/reject", s.handleRejectCount)
}

// handleCount records a blind count: 201 for a new one, 200 with the first
// receipt for a command id the user already sent.
func (s *Server) handleCount(c echo.Context) error {
	var in store.CountInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	rc, err := s.store.RecordCount(c.Request().Context(), actor(c), in, s.cfg.CountThreshold)
	if err != nil {
		return err
	}
	if rc.Replayed {
		return c.JSON(http.StatusOK, rc)
	}
	s.allocatedMore(c, rc.Allocated)
	return c.JSON(http.StatusCreated, rc)
}

// handleListCounts is the supervisor's view: ?status= (default pending),
// ?limit=, with the lot, expected, counted and variance.
func (s *Server) handleListCounts(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	status := c.QueryParam("status")
	if status == "" {
		status = store.CountPending
	}
	cs, err := s.store.CycleCounts(c.Request().Context(), status, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cs)
}

func (s *Server) handleApproveCount(c echo.Context) error {
	id, err := countID(c)
	if err != nil {
		return err
	}
	cnt, allocated, err := s.store.ApproveCount(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	s.allocatedMore(c, allocated)
	return c.JSON(http.StatusOK, cnt)
}

func (s *Server) handleRejectCount(c echo.Context) error {
	id, err := countID(c)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cnt, err := s.store.RejectCount(c.Request().Context(), actor(c), id, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cnt)
}

// countID reads the count id from the path.
func countID(c echo.Context) (int64, error) {
	v := c.Param("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, oms.Errorf(oms.EInvalid, "id: %q is not a count id", v)
	}
	return id, nil
}

// allocatedMore tells pickers and the dashboard when a count's stock let
// waiting orders be allocated.
func (s *Server) allocatedMore(c echo.Context, n int) {
	if n == 0 {
		return
	}
	ctx := c.Request().Context()
	s.log.Info("orders allocated", "count", n, "user", actor(c))
	s.broadcastCounts(ctx)
	s.offerTasks(ctx)
}
