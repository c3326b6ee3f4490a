package server

import (
	"context"
	"time"

	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// labelMsg answers a release or reprint: the label and its print job's
// status when the answer was sent (see releaseLabel).
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
// verified (the station's open order when order is ""), stores the print job
// in the queue, and waits briefly for the printer (see printQueue.submit).
// The label is released whatever the printer does: the answer's status is
// the job's ("printed", or "queued" with the reason it waits, "unconfirmed",
// "failed"…), and later changes reach the station as "job" messages.
func (s *Server) releaseLabel(ctx context.Context, station, actor, order string) (*labelMsg, error) {
	from, err := s.store.Warehouse(ctx)
	if oms.ErrorCode(err) == oms.ENotFound {
		return nil, oms.Errorf(oms.EConflict, "cannot print a label: %v", err)
	} else if err != nil {
		return nil, err
	}
	e, pc, err := s.stationPrinter(ctx, station)
	if err != nil {
		return nil, err
	}
	local := courier.Local{Country: from.Country}
	sh, job, err := s.store.ReleaseLabel(ctx, store.Release{
		Station: station, Actor: actor, OrderNumber: order,
		Carrier: local.Name(), Printer: e.p.String(), Addr: e.addr,
		Tracking: local.Tracking,
		Label: func(sess *oms.PackSession, sh store.Shipment) ([]byte, error) {
			return renderLabel(from, sess, sh, s.store.Now(), labelPrinter(pc))
		},
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("label released", "order", sh.OrderNumber, "tracking", sh.Tracking, "station", station,
		"user", actor, "printer", e.p.String())
	out := &labelMsg{Type: "label", OrderNumber: sh.OrderNumber, Tracking: sh.Tracking, Carrier: sh.Carrier,
		Service: sh.Service, Printer: e.p.String(), JobID: job.ID, Status: job.Status}
	s.publishJob(ctx, job.ID)
	s.broadcastCounts(ctx)
	sum, err := s.queue.submit(ctx, job)
	if err != nil {
		return nil, err
	}
	out.Status, out.Error = sum.Status, sum.Error
	return out, nil
}

// reprint puts a stored label back in the queue, for the station's printer
// as it is now configured (the first may have been broken), and waits
// briefly for it as releaseLabel does. It is an explicit, audited act, and
// the only way a job that was not confirmed is sent again.
func (s *Server) reprint(ctx context.Context, station, actor, jobID, cmdID string) (*labelMsg, error) {
	if jobID == "" {
		return nil, oms.Errorf(oms.EInvalid, "reprint: job_id is required")
	}
	e, _, err := s.stationPrinter(ctx, station)
	if err != nil {
		return nil, err
	}
	job, replayed, err := s.store.Reprint(ctx, store.ReprintRequest{JobID: jobID, Station: station, Actor: actor,
		Printer: e.p.String(), Addr: e.addr, CmdID: cmdID})
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
	s.log.Info("label reprint queued", "job", jobID, "order", sh.OrderNumber, "station", station, "user", actor,
		"printer", e.p.String())
	s.queue.changed(ctx, jobID)
	s.broadcastCounts(ctx) // a label queued again is no longer an exception
	sum, err := s.queue.submit(ctx, job)
	if err != nil {
		return nil, err
	}
	out.Status, out.Error = sum.Status, sum.Error
	return out, nil
}

// renderLabel builds the 4x6 ZPL shipping label of one parcel for the
// station's printer (its resolution and print width).
func renderLabel(from oms.Address, sess *oms.PackSession, sh store.Shipment, now time.Time,
	p labels.Printer) ([]byte, error) {
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
	}, p)
	if err != nil {
		return nil, oms.Errorf(oms.EInvalid, "label for order %s: %v", sess.OrderNumber, err)
	}
	return zpl, nil
}
