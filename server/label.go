package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/shipshape-oms/shipshape/devices/printer"
	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// labelMsg tells a station its label went to the printer (or did not).
type labelMsg struct {
	Type        string `json:"type"`
	OrderNumber string `json:"order_number"`
	Tracking    string `json:"tracking"`
	Carrier     string `json:"carrier"`
	Service     string `json:"service"`
	Printer     string `json:"printer"`
	JobID       string `json:"job_id"`
	Status      string `json:"status"`
	Error       string `json:"error,omitempty"`
	CmdID       string `json:"cmd_id,omitempty"`
}

// releaseLabel releases the courier label of an order whose every line is
// verified (the station's open order when order is ""), stores the print job,
// then sends it to the station's printer. The label is released even if the
// printer then fails: the job keeps the error for a reprint.
func (s *Server) releaseLabel(ctx context.Context, station, actor, order string) (*labelMsg, error) {
	from, err := s.store.Warehouse(ctx)
	if oms.ErrorCode(err) == oms.ENotFound {
		return nil, oms.Errorf(oms.EConflict, "cannot print a label: %v", err)
	} else if err != nil {
		return nil, err
	}
	p, err := s.stationPrinter(ctx, station)
	if err != nil {
		return nil, err
	}
	local := courier.Local{Country: from.Country}
	sh, job, err := s.store.ReleaseLabel(ctx, store.Release{
		Station: station, Actor: actor, OrderNumber: order,
		Carrier: local.Name(), Printer: p.String(),
		Tracking: local.Tracking,
		Label: func(sess *oms.PackSession, sh store.Shipment) ([]byte, error) {
			return renderLabel(from, sess, sh, s.store.Now())
		},
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("label released", "order", sh.OrderNumber, "tracking", sh.Tracking, "station", station,
		"user", actor, "printer", p.String())
	out := &labelMsg{Type: "label", OrderNumber: sh.OrderNumber, Tracking: sh.Tracking, Carrier: sh.Carrier,
		Service: sh.Service, Printer: p.String(), JobID: job.ID, Status: "printed"}
	if err := s.print(ctx, p, job); err != nil {
		out.Status, out.Error = "failed", err.Error()
	}
	s.broadcastCounts(ctx)
	return out, nil
}

// reprint sends a stored label again, to the station's printer as it is now
// configured (the first may have been broken). It is an explicit, audited act.
func (s *Server) reprint(ctx context.Context, station, actor, jobID, cmdID string) (*labelMsg, error) {
	if jobID == "" {
		return nil, oms.Errorf(oms.EInvalid, "reprint: job_id is required")
	}
	p, err := s.stationPrinter(ctx, station)
	if err != nil {
		return nil, err
	}
	job, replayed, err := s.store.Reprint(ctx, store.ReprintRequest{JobID: jobID, Station: station, Actor: actor,
		Printer: p.String(), CmdID: cmdID})
	if err != nil {
		return nil, err
	}
	sh, err := s.store.JobShipment(ctx, jobID)
	if oms.ErrorCode(err) == oms.ENotFound {
		sh = &store.Shipment{} // a courier's label: no shipment of ours
	} else if err != nil {
		return nil, err
	}
	out := &labelMsg{Type: "label", OrderNumber: sh.OrderNumber, Tracking: sh.Tracking, Carrier: sh.Carrier,
		Service: sh.Service, Printer: job.Printer, JobID: jobID, Status: job.Status, Error: job.Error}
	if replayed {
		return out, nil // the same command again: answer, do not print twice
	}
	s.log.Info("label reprinted", "job", jobID, "order", sh.OrderNumber, "station", station, "user", actor,
		"printer", p.String())
	out.Status = "printed"
	if err := s.print(ctx, p, job); err != nil {
		out.Status, out.Error = "failed", err.Error()
	}
	s.broadcastCounts(ctx) // a label that now printed is no longer an exception
	return out, nil
}

// print sends a stored job and records the outcome.
func (s *Server) print(ctx context.Context, p printer.Printer, job *store.PrintJob) error {
	if err := s.store.SetJobStatus(ctx, job.ID, "sending", ""); err != nil {
		return err
	}
	perr := p.Print(ctx, job.ID, job.Data)
	status, msg := "printed", ""
	if perr != nil {
		status, msg = "failed", perr.Error()
		s.log.Error("print job failed", "job", job.ID, "printer", p.String(), "err", perr)
	} else {
		s.log.Info("print job sent", "job", job.ID, "printer", p.String(), "bytes", len(job.Data))
	}
	return errors.Join(perr, s.store.SetJobStatus(ctx, job.ID, status, msg))
}

// stationPrinter returns the printer bound to a station: its own raw TCP
// printer, else the server's default printer, else the spool folder. One
// driver per address, so one job at a time reaches each printer.
func (s *Server) stationPrinter(ctx context.Context, station string) (printer.Printer, error) {
	addr, err := s.store.StationPrinter(ctx, station)
	if err != nil {
		return nil, err
	}
	if addr == "" {
		addr = s.cfg.Printer
	}
	key := "tcp:" + addr
	if addr == "" {
		key = "spool:" + s.cfg.SpoolDir
	}
	s.printersMu.Lock()
	defer s.printersMu.Unlock()
	if p, ok := s.printers[key]; ok {
		return p, nil
	}
	var p printer.Printer
	if addr == "" {
		dir, err := filepath.Abs(s.cfg.SpoolDir)
		if err != nil {
			return nil, fmt.Errorf("spool folder: %w", err)
		}
		p = printer.NewSpool(dir)
	} else {
		p = printer.NewTCP(addr)
	}
	s.printers[key] = p
	return p, nil
}

// renderLabel builds the 4x6 ZPL shipping label of one parcel.
func renderLabel(from oms.Address, sess *oms.PackSession, sh store.Shipment, now time.Time) ([]byte, error) {
	zpl, err := labels.ShippingLabel(labels.Shipping{
		ShipFrom:    from.Label(),
		ShipTo:      sess.ShipTo.Label(),
		OrderNumber: sess.OrderNumber,
		Reference:   sess.ChannelOrderID,
		Parcel:      sh.Parcel,
		Parcels:     sh.Parcels,
		Carrier:     sh.Carrier,
		Service:     sh.Service,
		Tracking:    sh.Tracking,
		ShipDate:    now,
	}, labels.Printer{})
	if err != nil {
		return nil, oms.Errorf(oms.EInvalid, "label for order %s: %v", sess.OrderNumber, err)
	}
	return zpl, nil
}
