package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// zplTypes are the Content-Types a courier label may be posted as. A JSON
// body is refused: a label is raw bytes, and a JSON string would have to
// escape them.
var zplTypes = map[string]bool{"application/zpl": true, "text/plain": true, "application/octet-stream": true}

// printRoutes adds the endpoints for print jobs and courier labels.
func (s *Server) printRoutes(api *echo.Group) {
	api.POST("/stations/:id/print", s.handlePrintCourierLabel)
	api.GET("/print-jobs", s.handleListPrintJobs)
	api.GET("/print-jobs/:id/zpl", s.handleJobZPL)
}

// courierPrint answers a courier label sent to a station's printer.
type courierPrint struct {
	JobID   string `json:"job_id"`
	Station string `json:"station"`
	Printer string `json:"printer"`
	Bytes   int    `json:"bytes"`
	Status  string `json:"status"` // "printed" or "failed", or for a replay the job's status now
	Error   string `json:"error,omitempty"`
	// Replayed says the Idempotency-Key was seen: nothing was printed.
	Replayed bool `json:"replayed,omitempty"`
}

// handlePrintCourierLabel prints a label bought from a courier at a station:
// the body is the raw ZPL, sent on byte for byte but for a leading UTF-8
// byte-order mark (see labels.Passthrough). The job is stored and audited
// before it is sent, so a printer that fails leaves it for a reprint; the
// answer is 201 with the job's status either way. An Idempotency-Key header
// makes a retried request answer the first job and print nothing.
func (s *Server) handlePrintCourierLabel(c echo.Context) error {
	station := c.Param("id")
	if err := validStationID(station); err != nil {
		return err
	}
	data, err := readZPL(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := s.stationPrinter(ctx, station)
	if err != nil {
		return err
	}
	job, replayed, err := s.store.QueueCourierLabel(ctx, store.CourierLabel{Station: station, Actor: actor(c),
		Printer: p.String(), Data: data, CmdID: c.Request().Header.Get(idempotencyHeader)})
	if err != nil {
		return err
	}
	if replayed {
		return c.JSON(http.StatusCreated, courierPrint{JobID: job.ID, Station: station, Printer: job.Printer,
			Bytes: len(job.Data), Status: job.Status, Error: job.Error, Replayed: true})
	}
	s.log.Info("courier label queued", "job", job.ID, "station", station, "user", actor(c),
		"printer", p.String(), "bytes", len(data))

	out := courierPrint{JobID: job.ID, Station: station, Printer: p.String(), Bytes: len(data), Status: "printed"}
	if err := s.print(ctx, p, job); err != nil {
		out.Status, out.Error = "failed", err.Error()
	}
	return c.JSON(http.StatusCreated, out)
}

// readZPL reads a courier label from the request body, checking its
// Content-Type (none at all counts as application/octet-stream) and its size
// before labels.Passthrough checks the bytes.
func readZPL(c echo.Context) ([]byte, error) {
	if ct := c.Request().Header.Get(echo.HeaderContentType); ct != "" {
		media, _, err := mime.ParseMediaType(ct)
		if err != nil || !zplTypes[media] {
			return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %s: "+
				"send the label's bytes as application/zpl, text/plain or application/octet-stream",
				oms.QuoteShort(ct)))
		}
	}
	body := http.MaxBytesReader(c.Response(), c.Request().Body, labels.MaxPassthrough)
	raw, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge,
			fmt.Sprintf("courier label: larger than the limit of %d bytes (8 MiB)", labels.MaxPassthrough))
	} else if err != nil {
		return nil, oms.Errorf(oms.EInvalid, "courier label: reading the request body: %v", err)
	}
	data, err := labels.Passthrough(raw)
	if err != nil {
		return nil, oms.Errorf(oms.EInvalid, "courier label: %v", err)
	}
	return data, nil
}

// handleListPrintJobs lists the latest print jobs, newest first, without
// their data: ?station=S1&limit=20.
func (s *Server) handleListPrintJobs(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return err
	}
	station := c.QueryParam("station")
	if station != "" {
		if err := validStationID(station); err != nil {
			return err
		}
	}
	jobs, err := s.store.PrintJobs(c.Request().Context(), station, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, jobs)
}

// handleJobZPL answers a print job's ZPL exactly as it is stored and was
// sent to the printer, for a preview or a copy; 404 for an unknown job.
//
// TODO: the preview assumes an 8 dots/mm (203 dpi) printer because the
// resolution of a station's printer is not recorded; a 300 dpi printer's
// label previews at the wrong size unless it says ^PW and ^LL.
func (s *Server) handleJobZPL(c echo.Context) error {
	job, err := s.store.PrintJob(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": job.ID + ".zpl"}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/zpl", job.Data)
}
