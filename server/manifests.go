package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// closeRequest is the body of POST /api/v1/manifests.
type closeRequest struct {
	Courier string `json:"courier"`
	Day     string `json:"day"` // YYYY-MM-DD in the warehouse's zone; "" for today
}

func (s *Server) manifestRoutes(api *echo.Group) {
	api.GET("/manifests", s.handleListManifests)
	api.POST("/manifests", s.handleCloseManifest)
	api.GET("/manifests/:id", s.handleGetManifest)
	api.GET("/manifests/:id/document", s.handleManifestDocument)
}

// handleCloseManifest closes a courier's day (audited with the user) and
// answers 201 with the manifest and what is on it; 409 when there is
// nothing to close or the courier is not set up or refuses.
func (s *Server) handleCloseManifest(c echo.Context) error {
	var in closeRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.closeManifest(c.Request().Context(), actor(c), in.Courier, in.Day)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, m)
}

// maxManifestDaysAhead is how far ahead a manifest's day may be: enough
// for a collection over a weekend and a holiday.
const maxManifestDaysAhead = 7

// closeManifest collects the courier's open consignments up to day, has
// the courier close them out (outside any transaction: it may be a remote
// call), then stores the manifest and puts the consignments on it in one
// transaction. Consignments voided in between are left off.
func (s *Server) closeManifest(ctx context.Context, actor, name, day string) (store.ManifestDetail, error) {
	if name == "" {
		return store.ManifestDetail{}, oms.Errorf(oms.EInvalid, "courier: required, e.g. %q", LocalCourier)
	}
	day = cmp.Or(day, s.store.WarehouseToday())
	d, err := time.ParseInLocation(time.DateOnly, day, s.cfg.Zone)
	if err != nil {
		return store.ManifestDetail{}, oms.Errorf(oms.EInvalid, "day: %s: want a date YYYY-MM-DD",
			oms.QuoteShort(day))
	}
	// A day is closed when its van leaves; one far ahead would sweep every
	// open consignment, however late it ships, onto one manifest.
	if limit := s.store.Now().In(s.cfg.Zone).AddDate(0, 0, maxManifestDaysAhead); d.After(limit) {
		return store.ManifestDetail{}, oms.Errorf(oms.EInvalid, "day: %s is more than %d days ahead: "+
			"close a day when its collection leaves", day, maxManifestDaysAhead)
	}
	c, err := s.courier(name)
	if err != nil {
		return store.ManifestDetail{}, err
	}
	cands, err := s.store.ManifestCandidates(ctx, name, day)
	if err != nil {
		return store.ManifestDetail{}, err
	}
	if len(cands) == 0 {
		return store.ManifestDetail{}, oms.Errorf(oms.EConflict, "nothing to close for %s on %s: "+
			"no active consignment shipping by then is off a manifest", name, day)
	}
	return s.saveManifest(ctx, actor, name, day, c, cands, d)
}

// saveManifest asks the courier for the close-out of cands and stores it.
func (s *Server) saveManifest(ctx context.Context, actor, name, day string, c courier.Courier,
	cands []store.ManifestCandidate, d time.Time) (store.ManifestDetail, error) {
	refs, ids := make([]string, len(cands)), make([]int64, len(cands))
	for i, cd := range cands {
		refs[i], ids[i] = cd.CourierRef, cd.ConsignmentID
	}
	m, err := c.Manifest(ctx, refs, d)
	if err != nil {
		return store.ManifestDetail{}, manifestCourierError(name, err)
	}
	saved, err := s.store.SaveManifest(ctx, actor, store.NewManifest{Courier: name, Day: day,
		CourierRef: m.ID, Document: m.Document, DocumentType: m.DocumentType,
		DocumentURL: m.DocumentURL, Consignments: ids})
	if err != nil {
		return store.ManifestDetail{}, err
	}
	s.log.Info("manifest closed", "manifest", saved.ID, "courier", name, "day", day,
		"consignments", saved.Consignments, "courier_ref", m.ID, "user", actor)
	return s.store.ManifestByID(ctx, saved.ID)
}

// manifestCourierError is a courier's refusal as the API tells it: 503
// when the courier is unreachable, slow or rate limiting (try later), 409
// for anything else it refuses.
func manifestCourierError(name string, err error) error {
	var ce *courier.Error
	switch {
	case errors.Is(err, courier.ErrTimeout), errors.Is(err, courier.ErrUnavailable),
		errors.Is(err, courier.ErrRateLimited):
		return echo.NewHTTPError(http.StatusServiceUnavailable,
			fmt.Sprintf("manifest for %s: %v: try again later", name, err))
	case errors.As(err, &ce):
		return oms.Errorf(oms.EConflict, "manifest for %s refused: %s", name, ce.Error())
	}
	return fmt.Errorf("manifest for %s: %w", name, err)
}

func (s *Server) handleListManifests(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	list, err := s.store.Manifests(c.Request().Context(), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// manifestID reads the :id of a manifest route.
func manifestID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, oms.Errorf(oms.EInvalid, "manifest id %s: want a whole number", oms.QuoteShort(c.Param("id")))
	}
	return id, nil
}

func (s *Server) handleGetManifest(c echo.Context) error {
	id, err := manifestID(c)
	if err != nil {
		return err
	}
	m, err := s.store.ManifestByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// handleManifestDocument answers the courier's manifest document as it
// came (plain text from the local courier, a PDF from EasyPost); 404 when
// the courier only gave a URL (see the manifest's document_url).
func (s *Server) handleManifestDocument(c echo.Context) error {
	id, err := manifestID(c)
	if err != nil {
		return err
	}
	doc, typ, err := s.store.ManifestDocument(c.Request().Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, typ, doc)
}
