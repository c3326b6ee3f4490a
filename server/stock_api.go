package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/server/store"
)

// The warehouse's stock operations. Each body may carry "id", the client's
// command id: a command sent again with the same id and user answers 200
// with the first result and changes nothing; a new one answers 201.

func (s *Server) handleReceive(c echo.Context) error {
	var in store.ReceiveInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.store.Receive(c.Request().Context(), actor(c), in)
	return s.stockAnswer(c, res, err)
}

func (s *Server) handleMoveStock(c echo.Context) error {
	var in store.MoveInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.store.MoveStock(c.Request().Context(), actor(c), in)
	return s.stockAnswer(c, res, err)
}

func (s *Server) handleAdjust(c echo.Context) error {
	var in store.AdjustInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.store.Adjust(c.Request().Context(), actor(c), in)
	return s.stockAnswer(c, res, err)
}

// stockAnswer writes a stock command's result and tells pickers and the
// dashboard when the new stock let waiting orders be allocated.
func (s *Server) stockAnswer(c echo.Context, res *store.StockResult, err error) error {
	if err != nil {
		return err
	}
	if res.Replayed {
		return c.JSON(http.StatusOK, res)
	}
	if res.Allocated > 0 {
		ctx := c.Request().Context()
		s.log.Info("orders allocated", "count", res.Allocated, "user", actor(c))
		s.broadcastCounts(ctx)
		s.offerTasks(ctx)
	}
	return c.JSON(http.StatusCreated, res)
}

// handleMovements lists a SKU's stock movements, newest first (?limit=).
func (s *Server) handleMovements(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	ms, err := s.store.Movements(c.Request().Context(), c.Param("sku"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ms)
}
