package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/devices/scale"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// scaleReading is what GET /api/v1/stations/{id}/scale answers.
type scaleReading struct {
	Station string `json:"station"`
	Grams   int    `json:"grams"`
	Stable  bool   `json:"stable"`
	Raw     string `json:"raw"`
}

func (s *Server) scaleRoutes(api *echo.Group) {
	api.GET("/stations/:id/scale", s.handleReadScale)
	api.PUT("/stations/:id/scale", s.handleSetScale)
}

// handleReadScale weighs what is on the station's scale now. It answers
// 409 for no scale at the station, a weight in motion ("weight not stable:
// try again"), over capacity, below zero or an error the scale reports, and
// 503 for a scale that does not answer or cannot be opened.
func (s *Server) handleReadScale(c echo.Context) error {
	station := c.Param("id")
	if err := validStationID(station); err != nil {
		return err
	}
	r, err := s.readScale(c.Request().Context(), station)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, scaleReading{Station: station, Grams: r.Grams, Stable: r.Stable, Raw: r.Raw})
}

// readScale reads the station's scale once. Reads of one station's scale
// take turns (its driver holds a lock), so two packers pressing at once get
// one answer each.
func (s *Server) readScale(ctx context.Context, station string) (scale.Reading, error) {
	cfg, err := s.store.StationScale(ctx, station)
	if err != nil {
		return scale.Reading{}, err
	}
	if cfg.Port == "" {
		return scale.Reading{}, oms.Errorf(oms.EConflict, "no scale at station %s", station)
	}
	drv, err := s.scaleDriver(cfg)
	if err != nil {
		return scale.Reading{}, oms.Errorf(oms.EConflict, "scale at station %s: %v", station, err)
	}
	r, err := drv.Read(ctx)
	return r, scaleError(station, err)
}

// scaleDriver returns the driver for cfg, reusing the one made for the same
// settings so that its lock serializes reads.
func (s *Server) scaleDriver(cfg store.ScaleConfig) (*scale.Serial, error) {
	scaleDrivers.mu.Lock()
	defer scaleDrivers.mu.Unlock()
	if d, ok := scaleDrivers.byPort[cfg]; ok {
		return d, nil
	}
	d, err := cfg.Driver()
	if err != nil {
		return nil, err
	}
	scaleDrivers.byPort[cfg] = d
	return d, nil
}

// scaleError turns a driver's error into what the packer is told: 503 when
// the scale is not there or silent, 409 for a weight that cannot be used.
func scaleError(station string, err error) error {
	var se *scale.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, scale.ErrNoAnswer):
		return echo.NewHTTPError(http.StatusServiceUnavailable,
			fmt.Sprintf("scale not answering at station %s: %v", station, scaleDetail(err)))
	case errors.As(err, &se):
		return oms.Errorf(oms.EConflict, "%s", se.Error())
	}
	return echo.NewHTTPError(http.StatusServiceUnavailable,
		fmt.Sprintf("scale at station %s cannot be opened: %v", station, err))
}

// scaleDetail is the detail of a scale error, or its whole text.
func scaleDetail(err error) string {
	var se *scale.Error
	if errors.As(err, &se) && se.Detail != "" {
		return se.Detail
	}
	return err.Error()
}

// handleSetScale changes a station's scale, {"port", "baud", "protocol"},
// each optional ("port": "" removes the scale), and answers the settings.
func (s *Server) handleSetScale(c echo.Context) error {
	var in store.ScaleUpdate
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	station := c.Param("id")
	if err := validStationID(station); err != nil {
		return err
	}
	if in == (store.ScaleUpdate{}) {
		return oms.Errorf(oms.EInvalid, "no change: give port, baud or protocol")
	}
	cfg, err := s.store.UpdateStationScale(c.Request().Context(), actor(c), station, in)
	if err != nil {
		return err
	}
	s.log.Info("station scale set", "station", station, "port", cfg.Port, "baud", cfg.Baud,
		"protocol", cfg.Protocol, "user", actor(c))
	return c.JSON(http.StatusOK, cfg)
}

// scaleDrivers holds one driver per scale setting across the process: the
// port is opened per read, so a driver is only its settings and its lock.
var scaleDrivers = struct {
	mu     sync.Mutex
	byPort map[store.ScaleConfig]*scale.Serial
}{byPort: map[store.ScaleConfig]*scale.Serial{}}
