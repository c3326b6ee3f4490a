package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/shipping"
	"github.com/shipshape-oms/shipshape/server/store"
)

// labelMsg answers a release or reprint: a label and its print job's
// status when the answer was sent (see shipOrder). A release of several
// parcels answers with parcel 1's label and every parcel's in Labels.
type labelMsg struct {
	Type        string     `json:"type"`
	OrderNumber string     `json:"order_number"`
	Parcel      int        `json:"parcel,omitempty"`
	Parcels     int        `json:"parcels,omitempty"`
	Tracking    string     `json:"tracking"`
	Carrier     string     `json:"carrier"`
	Service     string     `json:"service"`
	Printer     string     `json:"printer"`
	JobID       string     `json:"job_id"`
	Status      string     `json:"status"`
	Error       string     `json:"error,omitempty"`
	CmdID       string     `json:"cmd_id,omitempty"`
	Labels      []labelMsg `json:"labels,omitempty"`
}

// shipRequest names the order whose labels to buy and print.
type shipRequest struct {
	station string // where the labels print; its open order when order is ""
	actor   string
	order   string
	service string // a services.id the packer chose; "" for the rule table's choice
	// override is a supervisor's reason to release with lines not
	// verified; "" for none.
	override string
}

// releaseLabel buys and prints the labels of an order whose every line is
// verified into parcels (the station's open order when order is ""): see
// shipOrder.
func (s *Server) releaseLabel(ctx context.Context, station, actor, order string) (*labelMsg, error) {
	return s.shipOrder(ctx, shipRequest{station: station, actor: actor, order: order})
}

// shipOrder buys one consignment for every parcel of the order from the
// courier of the chosen service (store.Ship: never holding the database
// during the purchase), queues one label per parcel for the station's
// printer, and waits briefly for the printer (see printQueue.submit). The
// labels are bought whatever the printer does: each answer's status is the
// job's, and later changes reach the station as "job" messages. A refusal
// by the courier is an EConflict error telling the packer what to do.
func (s *Server) shipOrder(ctx context.Context, r shipRequest) (*labelMsg, error) {
	from, err := s.store.Warehouse(ctx)
	if oms.ErrorCode(err) == oms.ENotFound {
		return nil, oms.Errorf(oms.EConflict, "cannot print a label: %v", err)
	} else if err != nil {
		return nil, err
	}
	e, pc, err := s.stationPrinter(ctx, r.station)
	if err != nil {
		return nil, err
	}
	sess, err := s.sessionToShip(ctx, r)
	if err != nil {
		return nil, err
	}
	sel, err := s.selectService(ctx, sess, r.service)
	if err != nil {
		return nil, err
	}
	c, err := s.courier(sel.courier)
	if err != nil {
		return nil, err
	}
	req := store.ShipRequest{Station: r.station, Actor: r.actor, OrderNumber: r.order, Courier: sel.courier,
		NeedsWeight: needsWeight(sel.courier), Override: r.override, ServiceID: sel.id, Service: sel.code,
		ShipDate: sel.shipDate.Format(time.DateOnly), Printer: e.p.String(), Addr: e.addr}
	shipped, err := s.store.Ship(ctx, req, s.buyFrom(c, from, pc, sel), func(ctx context.Context, ref string) error {
		return c.Void(ctx, ref)
	})
	if err != nil {
		return nil, s.shipError(sess.OrderNumber, sel.courier, err)
	}
	return s.printShipped(ctx, r, e.p.String(), shipped)
}

// sessionToShip loads the order the request names, or the station's.
func (s *Server) sessionToShip(ctx context.Context, r shipRequest) (*oms.PackSession, error) {
	if r.order == "" {
		sess, err := s.store.StationSession(ctx, r.station)
		if oms.ErrorCode(err) == oms.ENotFound {
			return nil, oms.Errorf(oms.EConflict, "no order open at station %s: scan an order first", r.station)
		}
		return sess, err
	}
	return s.store.OrderSession(ctx, r.order)
}

// selection is the service an order's labels are bought with.
type selection struct {
	courier, id, code, name string
	shipDate                time.Time
}

// selectService returns the service the packer chose (one of the
// alternatives), else the one the rule table selects for the parcels'
// total weight; with no services set up, or no rule matching, the local
// courier with the order's service level. The ship date is the service's
// next collection from now; today when it has none.
func (s *Server) selectService(ctx context.Context, sess *oms.PackSession, chosen string) (selection, error) {
	var grams int64
	for _, p := range sess.Parcels {
		grams += p.WeightGrams
	}
	choice, err := s.store.ChooseService(ctx, sess.OrderNumber, min(grams, shipping.MaxGrams))
	if err != nil {
		return selection{}, err
	}
	opt := choice.Service
	if chosen != "" {
		opt = nil
		for i, alt := range choice.Alternatives {
			if alt.ID == chosen {
				opt = &choice.Alternatives[i]
			}
		}
		if opt == nil {
			return selection{}, oms.Errorf(oms.EInvalid, "service %s: no such service (GET /api/v1/services "+
				"lists them)", oms.QuoteShort(chosen))
		}
	}
	today := s.store.Now().In(s.cfg.Zone)
	if opt == nil {
		return selection{courier: LocalCourier, code: cmp.Or(sess.ServiceLevel, "Standard"), shipDate: today}, nil
	}
	sel := selection{courier: opt.Courier, id: opt.ID, code: opt.Code, name: opt.Name, shipDate: today}
	if opt.Pickup != nil {
		if d, err := time.ParseInLocation(time.DateOnly, opt.Pickup.Date, s.cfg.Zone); err == nil {
			sel.shipDate = d
		}
	}
	return sel, nil
}

// buyTimeout bounds one purchase from a courier.
const buyTimeout = 60 * time.Second

// buyFrom returns the purchase of a consignment from c: every parcel's
// weight, size, reference and SSCC, labels at the station printer's dpi.
func (s *Server) buyFrom(c courier.Courier, from oms.Address, pc store.PrinterConfig,
	sel selection) store.BuyFunc {
	return func(ctx context.Context, con *store.Consignment) (*store.Purchase, error) {
		sess := con.Session
		req := courier.Request{Reference: sess.OrderNumber, ChannelOrderID: sess.ChannelOrderID,
			IdempotencyKey: con.IdempotencyKey, From: courierAddress(from), To: courierAddress(sess.ShipTo),
			Service: sel.code, LabelDPI: pc.DPI, Printer: labelPrinter(pc), ShipDate: sel.shipDate}
		for i, p := range con.Parcels {
			req.Parcels = append(req.Parcels, courier.Parcel{WeightGrams: int(p.WeightGrams),
				LengthMM: int(p.LengthMM), WidthMM: int(p.WidthMM), HeightMM: int(p.HeightMM),
				Reference: fmt.Sprintf("%s %d/%d", sess.OrderNumber, i+1, len(con.Parcels)), SSCC: con.SSCCs[i]})
		}
		ctx, cancel := context.WithTimeout(ctx, buyTimeout)
		defer cancel()
		sh, err := c.Buy(ctx, req)
		if err != nil {
			return nil, err
		}
		p := &store.Purchase{Ref: sh.ID, Carrier: sh.Carrier, Service: sh.Service, CostCents: sh.CostCents,
			Currency: sh.Currency}
		for _, l := range sh.Labels {
			p.Labels = append(p.Labels, store.PurchaseLabel{Tracking: l.Tracking, TrackingURL: l.TrackingURL,
				ZPL: l.ZPL})
		}
		return p, nil
	}
}

// printShipped logs the release, tells the dashboard, and submits every
// parcel's label to the print queue.
func (s *Server) printShipped(ctx context.Context, r shipRequest, printer string,
	shipped *store.Shipped) (*labelMsg, error) {
	var out *labelMsg
	for i, sh := range shipped.Shipments {
		job := shipped.Jobs[i]
		s.log.Info("label released", "order", sh.OrderNumber, "parcel", sh.Parcel, "parcels", sh.Parcels,
			"tracking", sh.Tracking, "station", r.station, "user", r.actor, "printer", printer,
			"override", r.override)
		s.publishJob(ctx, job.ID)
		sum, err := s.queue.submit(ctx, &job)
		if err != nil {
			return nil, err
		}
		l := labelMsg{Type: "label", OrderNumber: sh.OrderNumber, Parcel: sh.Parcel, Parcels: sh.Parcels,
			Tracking: sh.Tracking, Carrier: sh.Carrier, Service: sh.Service, Printer: printer, JobID: job.ID,
			Status: sum.Status, Error: sum.Error}
		if out == nil {
			first := l
			out = &first
		}
		out.Labels = append(out.Labels, l)
	}
	s.broadcastCounts(ctx)
	return out, nil
}

// shipError turns a failed purchase into what the packer should do.
func (s *Server) shipError(order, courierName string, err error) error {
	var be *store.BuyError
	var re *store.RecordError
	switch {
	case errors.As(err, &re):
		s.log.Error("labels bought but not recorded", "order", order, "courier", courierName, "err", err)
		return oms.Errorf(oms.EConflict, "%s", re.Message)
	case errors.As(err, &be):
		s.log.Warn("courier refused the labels", "order", order, "courier", courierName, "err", err)
		return oms.Errorf(oms.EConflict, "No labels for %s: %s", order, courierVerdict(be.Err))
	}
	return err
}

// courierVerdict says what a courier's refusal means for the packer.
func courierVerdict(err error) string {
	var ce *courier.Error
	if !errors.As(err, &ce) {
		return "the courier failed (" + err.Error() + "): nothing was bought, try again"
	}
	said := ce.Message
	if ce.Field != "" {
		said = ce.Field + ": " + said
	}
	switch {
	case errors.Is(ce.Kind, courier.ErrAddress):
		return "the courier refused the address (" + said + "): fix the address, then print again"
	case errors.Is(ce.Kind, courier.ErrRateLimited):
		wait := max(ce.RetryAfter, time.Second).Round(time.Second)
		return fmt.Sprintf("the courier is busy: try again in %d s", int(wait.Seconds()))
	case errors.Is(ce.Kind, courier.ErrTimeout):
		return "the courier did not answer: nothing was bought, try again"
	case errors.Is(ce.Kind, courier.ErrService):
		return "the courier refused the service (" + said + "): choose another service"
	case errors.Is(ce.Kind, courier.ErrRequest):
		return "the courier refused the parcels (" + said + "): fix the weight or size, then print again"
	case errors.Is(ce.Kind, courier.ErrAuth), errors.Is(ce.Kind, courier.ErrAccount):
		return "the courier refused the account (" + said + "): call a supervisor"
	case errors.Is(ce.Kind, courier.ErrUnavailable):
		return "the courier is unavailable (" + said + "): try again later"
	}
	return "the courier refused (" + ce.Error() + ")"
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
