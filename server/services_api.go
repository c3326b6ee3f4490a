package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/shipping"
	"github.com/shipshape-oms/shipshape/server/store"
)

func (s *Server) serviceRoutes(api *echo.Group) {
	api.GET("/services", s.handleListServices)
	api.GET("/services/:id", s.handleGetService)
	api.PUT("/services/:id", s.handlePutService)
	api.DELETE("/services/:id", s.handleDeleteService)
	api.GET("/service-rules", s.handleListServiceRules)
	api.GET("/service-rules/:id", s.handleGetServiceRule)
	api.PUT("/service-rules/:id", s.handlePutServiceRule)
	api.DELETE("/service-rules/:id", s.handleDeleteServiceRule)
	api.GET("/orders/:number/service", s.handleChooseService)
}

func (s *Server) handleListServices(c echo.Context) error {
	list, err := s.store.Services(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (s *Server) handleGetService(c echo.Context) error {
	sv, err := s.store.Service(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sv)
}

// handlePutService creates or replaces a service; the body's id may be
// left out, and must match the path's when given.
func (s *Server) handlePutService(c echo.Context) error {
	var sv shipping.Service
	if err := decodeJSON(c, &sv); err != nil {
		return err
	}
	if err := samePathID("id", &sv.ID, c.Param("id")); err != nil {
		return err
	}
	saved, created, err := s.store.PutService(c.Request().Context(), actor(c), sv)
	if err != nil {
		return err
	}
	s.log.Info("courier service saved", "service", saved.ID, "detail", saved.Summary(), "user", actor(c))
	return c.JSON(putStatus(created), saved)
}

func (s *Server) handleDeleteService(c echo.Context) error {
	if err := s.store.RemoveService(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	s.log.Info("courier service removed", "service", c.Param("id"), "user", actor(c))
	return c.NoContent(http.StatusNoContent)
}

// handleListServiceRules lists the rules in the order they are tried.
func (s *Server) handleListServiceRules(c echo.Context) error {
	list, err := s.store.ServiceRules(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (s *Server) handleGetServiceRule(c echo.Context) error {
	r, err := s.store.ServiceRule(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) handlePutServiceRule(c echo.Context) error {
	var r shipping.Rule
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	if err := samePathID("id", &r.ID, c.Param("id")); err != nil {
		return err
	}
	saved, created, err := s.store.PutServiceRule(c.Request().Context(), actor(c), r)
	if err != nil {
		return err
	}
	s.log.Info("service rule saved", "rule", saved.ID, "detail", saved.Summary(), "user", actor(c))
	return c.JSON(putStatus(created), saved)
}

func (s *Server) handleDeleteServiceRule(c echo.Context) error {
	if err := s.store.RemoveServiceRule(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	s.log.Info("service rule removed", "rule", c.Param("id"), "user", actor(c))
	return c.NoContent(http.StatusNoContent)
}

// handleChooseService answers which service a parcel of ?weight_g= grams
// of the order ships with, the rule that chose it, its ship date, and the
// services the packer may pick instead.
func (s *Server) handleChooseService(c echo.Context) error {
	v := c.QueryParam("weight_g")
	weight, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return oms.Errorf(oms.EInvalid, "weight_g: %s is not a whole number of grams", oms.QuoteShort(v))
	}
	choice, err := s.store.ChooseService(c.Request().Context(), c.Param("number"), weight)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, choice)
}

// samePathID fills an empty body id from the path, and refuses one that
// differs: renaming is removing and adding.
func samePathID(field string, body *string, path string) error {
	if *body == "" {
		*body = path
	}
	if *body != path {
		return oms.Errorf(oms.EInvalid, "%s %s: must match the path's %s (rename by removing and adding)",
			field, oms.QuoteShort(*body), oms.QuoteShort(path))
	}
	return nil
}

func putStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// DemoServices are the demo's local courier services, and DemoRules the
// rules choosing between them: next day for expedited and next-day orders,
// standard for everything else.
var (
	DemoServices = []shipping.Service{
		{ID: "local:standard", Courier: "local", Code: "standard", Name: "Local courier, standard",
			Cutoff: "16:00", Days: []string{"mon-fri"}},
		{ID: "local:next-day", Courier: "local", Code: "next-day", Name: "Local courier, next day",
			Cutoff: "14:00", Days: []string{"mon-fri"}},
	}
	DemoRules = []shipping.Rule{
		{ID: "next-day", Levels: []string{"Expedited", "NextDay"}, Service: "local:next-day"},
		{ID: "standard", Service: "local:standard"},
	}
)

// SeedDemoServices stores DemoServices and DemoRules (audited as "demo"),
// replacing any of the same ids. SeedDemo's caller runs it on a new demo
// database; errors are the store's.
func SeedDemoServices(ctx context.Context, st *store.Store) error {
	for _, sv := range DemoServices {
		if _, _, err := st.PutService(ctx, "demo", sv); err != nil {
			return fmt.Errorf("demo services: %w", err)
		}
	}
	for _, r := range DemoRules {
		if _, _, err := st.PutServiceRule(ctx, "demo", r); err != nil {
			return fmt.Errorf("demo services: %w", err)
		}
	}
	return nil
}
