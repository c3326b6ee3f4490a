package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleCancelOrder cancels an order and gives back its reserved stock:
// POST /api/v1/orders/{number}/cancel {"reason": "..."}. It answers 200
// with what was released, 400 without a reason, and 409 naming the order's
// state when goods may have left their bins already.
func (s *Server) handleCancelOrder(c echo.Context) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := s.store.CancelOrder(ctx, actor(c), c.Param("number"), in.Reason)
	if err != nil {
		return err
	}
	if res.AlreadyCancelled {
		return c.JSON(http.StatusOK, res)
	}
	s.log.Info("order cancelled", "order", res.Order.Number, "released", len(res.Released),
		"allocated", res.Allocated, "user", actor(c))
	if res.TaskRemoved != 0 {
		msg := fmt.Sprintf("Order %s was cancelled: leave it", res.Order.Number)
		s.hub.publish("pick:"+res.Picker, textMsg{Type: "error", Message: msg})
		s.refreshPicker(ctx, res.Picker)
	}
	s.broadcastCounts(ctx)
	if res.Allocated > 0 {
		s.offerTasks(ctx)
	}
	return c.JSON(http.StatusOK, res)
}
