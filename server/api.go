package server

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/pwa"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

const actorHeader = "X-Shipshape-User"

func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	e.Use(s.logRequests)

	healthz := func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }
	e.GET("/healthz", healthz)
	e.HEAD("/healthz", healthz)
	e.GET("/ws/pick", s.handlePickWS)
	e.GET("/ws/pack", s.handlePackWS)
	e.GET("/ws/dashboard", s.handleDashboardWS)

	api := e.Group("/api/v1")
	api.GET("/orders", s.handleListOrders)
	api.POST("/orders", s.handleCreateOrder)
	api.GET("/orders/:number", s.handleGetOrder)
	api.POST("/orders/:number/label", s.handleReleaseLabel)
	api.POST("/orders/:number/cancel", s.handleCancelOrder)
	api.GET("/products/:sku", s.handleGetProduct)
	api.GET("/dashboard", s.handleDashboard)
	api.GET("/warehouse", s.handleGetWarehouse)
	api.PUT("/warehouse", s.handleSetWarehouse)
	api.POST("/print-jobs/:id/reprint", s.handleReprint)
	api.GET("/pick-tasks", s.handleOpenTasks)
	api.GET("/audit", s.handleAudit)
	api.POST("/pick-tasks/:id/assign", s.handleAssignTask)
	api.POST("/stock/receive", s.handleReceive)
	api.POST("/stock/move", s.handleMoveStock)
	api.POST("/stock/adjust", s.handleAdjust)
	api.GET("/stock/:sku/movements", s.handleMovements)
	s.channelRoutes(api)
	s.countRoutes(api)
	s.printRoutes(api)
	s.warehouseLabelRoutes(api)
	s.scannerRoutes(api)
	s.serviceRoutes(api)
	s.parcelRoutes(api)
	s.scaleRoutes(api)
	s.manifestRoutes(api)
	s.fulfilmentRoutes(api)
	api.Any("/*", func(c echo.Context) error {
		return oms.Errorf(oms.ENotFound, "no API endpoint %s %s", c.Request().Method, c.Request().URL.Path)
	})

	e.Any("/*", echo.WrapHandler(pwa.Handler()))
	return e
}

// actor names who made an API change, for the audit trail (at most 64
// bytes of the header are kept).
func actor(c echo.Context) string {
	u := strings.TrimSpace(c.Request().Header.Get(actorHeader))
	if len(u) > 64 {
		u = strings.ToValidUTF8(u[:64], "")
	}
	return cmp.Or(u, "api")
}

func (s *Server) handleCreateOrder(c echo.Context) error {
	var in oms.OrderInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	o, created, err := s.store.CreateOrder(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.log.Info("order created", "order", o.Number, "channel", o.Channel, "channel_order_id", o.ChannelOrderID,
			"status", o.Status, "user", actor(c))
		s.broadcastCounts(c.Request().Context())
		s.offerTasks(c.Request().Context())
		s.alertStock(c.Request().Context(), o)
	}
	return c.JSON(status, o)
}

// decodeJSON reads a JSON body of at most 1 MiB strictly: unknown fields and
// trailing data are errors, so a misspelt field is not silently dropped.
func decodeJSON(c echo.Context, v any) error {
	body := http.MaxBytesReader(c.Response(), c.Request().Body, maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return oms.Errorf(oms.EInvalid, "request body: unexpected data after the JSON value")
	}
	return nil
}

func (s *Server) handleGetOrder(c echo.Context) error {
	o, err := s.store.OrderByNumber(c.Request().Context(), c.Param("number"))
	if err != nil {
		return err
	}
	shipments, err := s.store.Shipments(c.Request().Context(), o.ID)
	if err != nil {
		return err
	}
	labels, err := s.store.OrderLabels(c.Request().Context(), o.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"order": o, "shipments": shipments, "labels": labels})
}

// limitParam reads ?limit= (1 to 1000, default 100).
func limitParam(c echo.Context) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return 0, oms.Errorf(oms.EInvalid, "limit: %q is not a number from 1 to 1000", v)
	}
	return n, nil
}

// handleAudit lists the audit trail, newest first: ?entity=order&id=SO-000001.
func (s *Server) handleAudit(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	entries, err := s.store.Audit(c.Request().Context(), c.QueryParam("entity"), c.QueryParam("id"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, entries)
}

func (s *Server) handleListOrders(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	status := c.QueryParam("status")
	if status != "" && !slices.Contains(store.Statuses, status) {
		return oms.Errorf(oms.EInvalid, "status: %q is not one of %s", status, strings.Join(store.Statuses, ", "))
	}
	orders, err := s.store.ListOrders(c.Request().Context(), status, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, orders)
}

// handleReleaseLabel releases an order's label through the API. It is refused
// (409) unless every line of the order has been verified at a station.
func (s *Server) handleReleaseLabel(c echo.Context) error {
	station := cmp.Or(c.QueryParam("station"), "api")
	if err := validStationID(station); err != nil {
		return err
	}
	out, err := s.releaseLabel(c.Request().Context(), station, actor(c), c.Param("number"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// handleReprint prints a stored label again on a station's printer
// (?station=, default "api"): an explicit act, audited with the user. An
// Idempotency-Key header makes a retried request print once.
func (s *Server) handleReprint(c echo.Context) error {
	station := cmp.Or(c.QueryParam("station"), "api")
	if err := validStationID(station); err != nil {
		return err
	}
	key := c.Request().Header.Get("Idempotency-Key")
	out, err := s.reprint(c.Request().Context(), station, actor(c), c.Param("id"), key)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleOpenTasks(c echo.Context) error {
	tasks, err := s.store.OpenTasks(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tasks)
}

// handleAssignTask moves an open pick task to another picker and pushes the
// change to both pickers' devices.
func (s *Server) handleAssignTask(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return oms.Errorf(oms.EInvalid, "task id %q is not a number", c.Param("id"))
	}
	var in struct {
		Picker string `json:"picker"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.Picker = strings.TrimSpace(in.Picker)
	if in.Picker == "" || len(in.Picker) > 64 {
		return oms.Errorf(oms.EInvalid, "picker: required, 1-64 characters")
	}
	ctx := c.Request().Context()
	before, err := s.store.OpenTasks(ctx)
	if err != nil {
		return err
	}
	t, err := s.store.AssignTask(ctx, actor(c), id, in.Picker)
	if err != nil {
		return err
	}
	for _, old := range before {
		if old.ID == id && old.Picker != in.Picker {
			msg := fmt.Sprintf("The supervisor gave order %s to %s", old.OrderNumber, in.Picker)
			s.hub.publish("pick:"+old.Picker, textMsg{Type: "error", Message: msg})
			s.refreshPicker(ctx, old.Picker)
		}
	}
	s.refreshPicker(ctx, in.Picker)
	return c.JSON(http.StatusOK, t)
}

func (s *Server) handleGetProduct(c echo.Context) error {
	p, err := s.store.ProductBySKU(c.Request().Context(), c.Param("sku"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// warehouseJSON is the warehouse as the API shows it: its address and the
// GS1 company prefix its parcels' SSCCs are numbered with.
type warehouseJSON struct {
	oms.Address
	GS1Prefix *string `json:"gs1_prefix,omitempty"`
}

func (s *Server) handleGetWarehouse(c echo.Context) error {
	a, err := s.store.Warehouse(c.Request().Context())
	if err != nil {
		return err
	}
	return s.writeWarehouse(c, a)
}

// handleSetWarehouse sets the address and, when given, the GS1 prefix
// ("" for none).
func (s *Server) handleSetWarehouse(c echo.Context) error {
	var in warehouseJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.GS1Prefix != nil {
		if err := store.CheckGS1Prefix(*in.GS1Prefix); err != nil {
			return err
		}
	}
	a, err := s.store.SetWarehouse(c.Request().Context(), actor(c), in.Address)
	if err != nil {
		return err
	}
	if in.GS1Prefix != nil {
		if err := s.store.SetGS1Prefix(c.Request().Context(), actor(c), *in.GS1Prefix); err != nil {
			return err
		}
	}
	return s.writeWarehouse(c, a)
}

func (s *Server) writeWarehouse(c echo.Context, a oms.Address) error {
	prefix, err := s.store.GS1Prefix(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, warehouseJSON{Address: a, GS1Prefix: &prefix})
}

func (s *Server) handleDashboard(c echo.Context) error {
	counts, err := s.store.Counts(c.Request().Context())
	if err != nil {
		return err
	}
	scans, err := s.store.RecentScans(c.Request().Context(), 50)
	if err != nil {
		return err
	}
	couriers, err := s.store.ShippedByCourier(c.Request().Context(), s.store.WarehouseToday())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"counts": counts, "scans": scans,
		"shipped_by_courier": couriers})
}

// errorHandler is the one place that maps domain error codes to HTTP
// statuses. Internal errors are logged and never shown to the caller.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status, msg = he.Code, http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok {
			msg = m
		}
	default:
		code := oms.ErrorCode(err)
		status = map[string]int{oms.EInvalid: http.StatusBadRequest, oms.ENotFound: http.StatusNotFound,
			oms.EConflict: http.StatusConflict, oms.EUnauthorized: http.StatusUnauthorized,
			oms.EForbidden: http.StatusForbidden, oms.EInternal: http.StatusInternalServerError}[code]
		msg = oms.ErrorMessage(err)
	}
	level := slog.LevelWarn
	if status >= 500 {
		level = slog.LevelError
	}
	s.log.Log(c.Request().Context(), level, "request failed", "method", c.Request().Method,
		"path", c.Request().URL.Path, "status", status, "err", err)
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	c.JSON(status, map[string]string{"error": msg})
}

func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err == nil {
			s.log.Debug("request", "method", c.Request().Method, "path", c.Request().URL.Path,
				"status", c.Response().Status, "duration", time.Since(start))
		}
		return err
	}
}
