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
	api.GET("/stations/:id/printer", s.handleGetPrinter)
	api.PUT("/stations/:id/printer", s.handleSetPrinter)
	api.GET("/print-jobs", s.handleListPrintJobs)
	api.GET("/print-jobs/:id/zpl", s.handleJobZPL)
}

// courierPrint answers a courier label sent to a station's printer.
type courierPrint struct {
	JobID   string `json:"job_id"`
	Station string `json:"station"`
	Printer string `json:"printer"`
	Bytes   int    `json:"bytes"`
	Status  string `json:"status"` // the job's status when answered: "printed", "queued"…
	Error   string `json:"error,omitempty"`
	// Replayed says the Idempotency-Key was seen: nothing was printed.
	Replayed bool `json:"replayed,omitempty"`
}

// handlePrintCourierLabel prints a label bought from a courier at a station:
// the body is the raw ZPL, sent on byte for byte but for a leading UTF-8
// byte-order mark (see labels.Passthrough). The job is stored and audited
// before it is queued, so a printer that fails leaves it for a retry or a
// reprint; the answer is 201 with the job's status after a short wait
// (see printQueue.submit) either way. An Idempotency-Key header
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
	e, _, err := s.stationPrinter(ctx, station)
	if err != nil {
		return err
	}
	job, replayed, err := s.store.QueueCourierLabel(ctx, store.CourierLabel{Station: station, Actor: actor(c),
		Printer: e.p.String(), Addr: e.addr, Data: data, CmdID: c.Request().Header.Get(idempotencyHeader)})
	if err != nil {
		return err
	}
	if replayed {
		return c.JSON(http.StatusCreated, courierPrint{JobID: job.ID, Station: station, Printer: job.Printer,
			Bytes: len(job.Data), Status: job.Status, Error: job.Error, Replayed: true})
	}
	s.log.Info("courier label queued", "job", job.ID, "station", station, "user", actor(c),
		"printer", e.p.String(), "bytes", len(data))
	s.publishJob(ctx, job.ID)
	sum, err := s.queue.submit(ctx, job)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, courierPrint{JobID: job.ID, Station: station, Printer: e.p.String(),
		Bytes: len(data), Status: sum.Status, Error: sum.Error})
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
// TODO: the browser's preview draws every job at 8 dots/mm (203 dpi); a
// label built for a 300 or 600 dpi station printer previews too large. The
// job does not record its dpi; the station's is in GET
// /api/v1/stations/{id}/printer, which the preview does not read yet.
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

// stationPrinterInfo answers GET and PUT /api/v1/stations/{id}/printer.
type stationPrinterInfo struct {
	store.PrinterConfig
	// Printer describes where jobs go now, e.g. "tcp 127.0.0.1:9100":
	// Addr, else the server's default printer, else the spool folder.
	Printer string       `json:"printer"`
	Device  *DeviceState `json:"device,omitempty"` // its last known state
	// Queue is the station's jobs that are not done: queued, sending,
	// unconfirmed or failed, oldest first.
	Queue []store.JobSummary `json:"queue"`
}

// handleGetPrinter answers a station's printer settings, its last known
// state and the station's open print jobs.
func (s *Server) handleGetPrinter(c echo.Context) error {
	station := c.Param("id")
	if err := validStationID(station); err != nil {
		return err
	}
	return s.answerPrinter(c, http.StatusOK, station)
}

func (s *Server) answerPrinter(c echo.Context, code int, station string) error {
	ctx := c.Request().Context()
	e, pc, err := s.stationPrinter(ctx, station)
	if err != nil {
		return err
	}
	jobs, err := s.store.OpenStationJobs(ctx, station, 100)
	if err != nil {
		return err
	}
	out := stationPrinterInfo{PrinterConfig: pc, Printer: e.p.String(), Queue: jobs}
	if d, ok := s.printerDevice(e.addr); ok {
		out.Device = &d
	}
	return c.JSON(code, out)
}

// handleSetPrinter changes the settings of a station's printer given in
// the body, {"addr", "dpi", "width_mm", "status"}, each optional: addr is
// any address printer.Open takes ("" for the server's default printer or
// the spool), dpi 203, 300 or 600, width_mm 10 to 220, status "hs" or
// "none". It answers as GET does; the printer's state follows at the next
// poll.
func (s *Server) handleSetPrinter(c echo.Context) error {
	var in store.PrinterUpdate
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	station := c.Param("id")
	if err := validStationID(station); err != nil {
		return err
	}
	if in == (store.PrinterUpdate{}) {
		return oms.Errorf(oms.EInvalid, "no change: give addr, dpi, width_mm or status")
	}
	if in.Addr != nil {
		if err := validPrinterAddr(*in.Addr); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	if _, err := s.store.UpdateStationPrinter(ctx, actor(c), station, in); err != nil {
		return err
	}
	s.log.Info("station printer set", "station", station, "user", actor(c))
	s.queue.poll()
	return s.answerPrinter(c, http.StatusOK, station)
}
