package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/labels/scan"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/shipping"
	"github.com/shipshape-oms/shipshape/server/store"
)

// The default upgrader refuses a cross-origin page, so a page from another
// site cannot drive a picker's or packer's socket.
var upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}

// outbound message shapes; the PWA reads them by "type".
type (
	verdictMsg struct {
		Type string `json:"type"`
		oms.Verdict
		CmdID string `json:"cmd_id,omitempty"`
	}
	taskMsg struct {
		Type string        `json:"type"`
		Task *oms.PickTask `json:"task"`
	}
	packMsg struct {
		Type    string           `json:"type"`
		Session *oms.PackSession `json:"session"`
		// Service is the service the rule table selects for the parcels'
		// weight (nil when none matches: the local courier then ships
		// at the order's service level), Services those the packer may
		// choose instead.
		Service  *store.ServiceOption  `json:"service"`
		Services []store.ServiceOption `json:"services"`
	}
	textMsg struct {
		Type    string `json:"type"`
		Message string `json:"message"`
		TaskID  int64  `json:"task_id,omitempty"`
		CmdID   string `json:"cmd_id,omitempty"`
	}
)

// errorMsg answers a command (cmdID, "" for none) that failed.
func errorMsg(err error, cmdID string) textMsg {
	return textMsg{Type: "error", Message: oms.ErrorMessage(err), CmdID: cmdID}
}

func unknownMsg(m inbound) textMsg {
	if m.Type == "invalid" {
		return textMsg{Type: "error", Message: "message is not valid JSON"}
	}
	return textMsg{Type: "error", Message: fmt.Sprintf("unknown message type %q", m.Type), CmdID: m.ID}
}

// connect upgrades the request and runs the client until it disconnects;
// bye, if not nil, runs after it left.
func (s *Server) connect(c echo.Context, topic, user string, hello func(*client),
	handle func(*client, inbound), bye func()) error {
	s.sockets.Add(1)
	defer s.sockets.Done()
	conn, err := upgrader.Upgrade(c.Response(), c.Request(), nil)
	if err != nil {
		// The upgrader already answered with an HTTP error; a refused
		// cross-origin page is worth an operator's attention.
		s.log.Warn("websocket refused", "topic", topic, "origin", c.Request().Header.Get("Origin"),
			"remote", c.RealIP(), "err", err)
		return nil
	}
	cl := &client{topic: topic, user: user, conn: conn, send: make(chan []byte, sendBuffer)}
	if !s.hub.add(cl) {
		conn.Close()
		return nil
	}
	s.log.Info("websocket connected", "topic", topic, "user", user, "remote", c.RealIP())
	go cl.writePump()
	hello(cl)
	cl.readPump(s.log, func(m inbound) { handle(cl, m) })
	s.hub.remove(cl)
	s.log.Info("websocket disconnected", "topic", topic, "user", user)
	if bye != nil {
		bye()
	}
	return nil
}

func requiredParam(c echo.Context, name string) (string, error) {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" || len(v) > 64 {
		return "", echo.NewHTTPError(http.StatusBadRequest, "query parameter "+name+" is required (1-64 characters)")
	}
	return v, nil
}

func (s *Server) handlePickWS(c echo.Context) error {
	user, err := requiredParam(c, "user")
	if err != nil {
		return err
	}
	ctx := context.WithoutCancel(c.Request().Context())
	return s.connect(c, "pick:"+user, user,
		func(cl *client) { s.sendTask(ctx, cl) },
		func(cl *client, m inbound) { s.onPick(ctx, cl, m) },
		func() { s.pickerLeft(ctx, user) })
}

// pickerLeft gives an untouched task back to the pool once the picker's last
// device has gone, so the order goes to someone else; a task with progress
// stays theirs (the goods are in their hands) until a supervisor moves it.
func (s *Server) pickerLeft(ctx context.Context, user string) {
	if s.closing.Load() {
		return // a restart is not a picker walking away
	}
	if len(s.hub.clientsOf(func(t string) bool { return t == "pick:"+user })) > 0 {
		return
	}
	released, err := s.store.ReleaseUntouchedTask(ctx, user)
	if err != nil {
		s.log.Error("release task of a picker who left", "user", user, "err", err)
		return
	}
	if released {
		s.log.Info("untouched pick task returned to the pool", "user", user)
		s.broadcastCounts(ctx)
		s.offerTasks(ctx)
	}
}

// sendTask pushes the picker's current or next task, or idle.
func (s *Server) sendTask(ctx context.Context, cl *client) {
	t, err := s.store.NextPickTask(ctx, cl.user)
	switch {
	case oms.ErrorCode(err) == oms.ENotFound:
		cl.setIdle(true)
		cl.sendJSON(s.log, textMsg{Type: "idle", Message: oms.ErrorMessage(err)})
	case err != nil:
		s.log.Error("next pick task", "user", cl.user, "err", err)
		cl.sendJSON(s.log, errorMsg(err, ""))
	default:
		cl.setIdle(false)
		cl.sendJSON(s.log, taskMsg{Type: "task", Task: t})
		s.broadcastCounts(ctx)
	}
}

// refreshPicker sends every device of the picker its current task or idle.
func (s *Server) refreshPicker(ctx context.Context, user string) {
	for _, dev := range s.hub.clientsOf(func(topic string) bool { return topic == "pick:"+user }) {
		s.sendTask(ctx, dev)
	}
}

// pushTask sends the task to every device of its picker, so two handhelds
// under one name show the same progress.
func (s *Server) pushTask(t *oms.PickTask) {
	s.hub.publish("pick:"+t.Picker, taskMsg{Type: "task", Task: t})
}

// maxScan is the longest code a scan may carry. Product, bin, tote and
// order codes are far shorter; longer input is a stuck key or a paste.
const maxScan = 512

// checkScan refuses an empty or absurdly long scan before it is recorded.
func checkScan(code string) error {
	// Scanners frame codes with control characters; a scan of nothing but
	// those carries no code.
	blank := func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
	switch n := len(strings.TrimFunc(code, blank)); {
	case n == 0:
		return oms.Errorf(oms.EInvalid, "empty scan: scan again")
	case len(code) > maxScan:
		return oms.Errorf(oms.EInvalid, "scan too long (%d bytes, at most %d): scan again", len(code), maxScan)
	}
	return nil
}

func (s *Server) onPick(ctx context.Context, cl *client, m inbound) {
	var res *store.PickResult
	var err error
	switch m.Type {
	case "scan":
		if err = checkScan(m.Code); err == nil {
			res, err = s.store.PickScan(ctx, cl.user, m.ID, m.Code)
		}
	case "short":
		res, err = s.store.PickShort(ctx, cl.user, m.ID, m.LineID)
	case "complete":
		s.completeTask(ctx, cl, m)
		return
	default:
		cl.sendJSON(s.log, unknownMsg(m))
		return
	}
	if err != nil {
		s.logCommandError(cl, m, err)
		cl.sendJSON(s.log, errorMsg(err, m.ID))
		return
	}
	cl.sendJSON(s.log, verdictMsg{Type: "verdict", Verdict: res.Verdict, CmdID: m.ID})
	s.pushTask(res.Task)
	s.publishScan(res.Scan)
	if m.Type == "short" && res.Scan != nil {
		s.log.Info("short pick", "user", cl.user, "order", res.Task.OrderNumber, "message", res.Verdict.Message)
	}
}

func (s *Server) completeTask(ctx context.Context, cl *client, m inbound) {
	t, replayed, err := s.store.CompletePickCommand(ctx, cl.user, m.ID)
	if err != nil {
		s.logCommandError(cl, m, err)
		cl.sendJSON(s.log, errorMsg(err, m.ID))
		return
	}
	msg := "Task done: take order " + t.OrderNumber + " to packing"
	if len(t.Shorts()) > 0 {
		msg = "Task done with a short pick: order " + t.OrderNumber + " goes to the supervisor"
	}
	if replayed {
		cl.sendJSON(s.log, textMsg{Type: "task_done", TaskID: t.ID, Message: msg, CmdID: m.ID})
		return // the same command again: answered, nothing completed twice
	}
	s.log.Info("pick task completed", "user", cl.user, "task", t.ID, "order", t.OrderNumber,
		"short_lines", len(t.Shorts()))
	cl.sendJSON(s.log, textMsg{Type: "task_done", TaskID: t.ID, Message: msg, CmdID: m.ID})
	s.broadcastCounts(ctx)
	s.refreshPicker(ctx, cl.user)
}

func (s *Server) logCommandError(cl *client, m inbound, err error) {
	if oms.ErrorCode(err) == oms.EInternal {
		s.log.Error("websocket command failed", "topic", cl.topic, "type", m.Type, "err", err)
		return
	}
	s.log.Warn("websocket command refused", "topic", cl.topic, "type", m.Type, "err", err)
}

// offerTasks pushes a task to every connected picker who is waiting for one.
// It stays quiet when there is nothing new: an idle page is not told again.
func (s *Server) offerTasks(ctx context.Context) {
	idle := s.hub.clientsOf(func(topic string) bool { return strings.HasPrefix(topic, "pick:") })
	idle = slices.DeleteFunc(idle, func(cl *client) bool { return !cl.isIdle() })
	if len(idle) == 0 {
		return
	}
	if waiting, err := s.store.HasOrdersToPick(ctx); err != nil || !waiting {
		return
	}
	for _, cl := range idle {
		t, err := s.store.NextPickTask(ctx, cl.user)
		if err != nil {
			if oms.ErrorCode(err) != oms.ENotFound {
				s.log.Error("next pick task", "user", cl.user, "err", err)
			}
			continue
		}
		cl.setIdle(false)
		cl.sendJSON(s.log, taskMsg{Type: "task", Task: t})
		s.broadcastCounts(ctx)
	}
}

func (s *Server) handlePackWS(c echo.Context) error {
	station, err := requiredParam(c, "station")
	if err != nil {
		return err
	}
	if err := validStationID(station); err != nil {
		return err
	}
	user := strings.TrimSpace(c.QueryParam("user"))
	if user == "" {
		user = "station " + station
	}
	ctx := context.WithoutCancel(c.Request().Context())
	return s.connect(c, "pack:"+station, user,
		func(cl *client) { s.greetStation(ctx, cl, station) },
		func(cl *client, m inbound) { s.onPack(ctx, cl, station, m) }, nil)
}

// greetStation sends a station page that (re)connects its order, or idle and
// the station's last label if that did not print, so a reloaded page still
// offers the reprint.
func (s *Server) greetStation(ctx context.Context, cl *client, station string) {
	s.sendSession(ctx, cl, station)
	s.greetPrinter(ctx, cl, station) // its printer's state and open print jobs
	if _, err := s.store.StationSession(ctx, station); oms.ErrorCode(err) != oms.ENotFound {
		return // busy with another order: offering the old label's reprint now invites a mix-up
	}
	if l, err := s.store.StationFailedLabel(ctx, station); err == nil {
		cl.sendJSON(s.log, labelMsg{Type: "label", OrderNumber: l.OrderNumber, Tracking: l.Tracking,
			Carrier: l.Carrier, Service: l.Service, Printer: l.Printer, JobID: l.JobID, Status: l.Status,
			Error: l.Error})
	}
}

func (s *Server) sendSession(ctx context.Context, cl *client, station string) {
	cl.sendJSON(s.log, s.sessionMsg(ctx, station))
}

// sessionMsg is the station's order as a pack message, or idle.
func (s *Server) sessionMsg(ctx context.Context, station string) any {
	sess, err := s.store.StationSession(ctx, station)
	switch {
	case oms.ErrorCode(err) == oms.ENotFound:
		return textMsg{Type: "idle", Message: "Scan the next order number or tote"}
	case err != nil:
		return errorMsg(err, "")
	default:
		return s.packMsg(ctx, sess)
	}
}

// packMsg is a station's order with the service its labels would be
// bought with now.
func (s *Server) packMsg(ctx context.Context, sess *oms.PackSession) packMsg {
	msg := packMsg{Type: "pack", Session: sess, Services: []store.ServiceOption{}}
	var grams int64
	for _, p := range sess.Parcels {
		grams += p.WeightGrams
	}
	choice, err := s.store.ChooseService(ctx, sess.OrderNumber, min(grams, shipping.MaxGrams))
	if err != nil {
		s.log.Warn("service of a station's order", "order", sess.OrderNumber, "err", err)
		return msg
	}
	msg.Service, msg.Services = choice.Service, choice.Alternatives
	return msg
}

func (s *Server) onPack(ctx context.Context, cl *client, station string, m inbound) {
	switch m.Type {
	case "scan":
		s.stationScan(ctx, pageSource(s, cl), station, m.ID, m.Code, scan.Config{})
	case "release", "ship":
		s.releaseAtStation(ctx, pageSource(s, cl), station, m.ID, m.Service)
	case "parcel":
		res, err := s.store.NewParcel(ctx, station, cl.user, m.ID)
		if err != nil {
			s.logCommandError(cl, m, err)
			cl.sendJSON(s.log, errorMsg(err, m.ID))
			return
		}
		s.publishPackResult(ctx, cl.topic, m.ID, res)
	case "weigh":
		s.weigh(ctx, cl, station, m)
	case "reprint":
		out, err := s.reprint(ctx, station, cl.user, m.JobID, m.ID)
		if err != nil {
			s.logCommandError(cl, m, err)
			cl.sendJSON(s.log, errorMsg(err, m.ID))
			return
		}
		out.CmdID = m.ID
		s.hub.publish(cl.topic, out)
	case "cancel":
		if err := s.store.PackCancel(ctx, station, cl.user); err != nil {
			cl.sendJSON(s.log, errorMsg(err, m.ID))
			return
		}
		s.sendSession(ctx, cl, station)
		s.broadcastCounts(ctx)
	default:
		cl.sendJSON(s.log, unknownMsg(m))
	}
}

// scanSource is where a station's command came from: a page's websocket,
// or a scanner the server reads itself.
type scanSource struct {
	user  string                      // who scanned, for the scan record and the audit trail
	topic string                      // the station's pages: "pack:" + station
	reply func(msg any)               // answers the source: the page, or every page of the station
	fail  func(typ string, err error) // logs a refused or failed command
}

// pageSource is a station page's websocket as a scanSource.
func pageSource(s *Server, cl *client) scanSource {
	return scanSource{user: cl.user, topic: cl.topic,
		reply: func(msg any) { cl.sendJSON(s.log, msg) },
		fail:  func(typ string, err error) { s.logCommandError(cl, inbound{Type: typ}, err) }}
}

// stationScan is the one pipeline for a scan at a packing station, from a
// page or a scanner: refuse an empty or overlong scan, record it with the
// store (which decodes it with cfg), show the verdict and the order on the
// station's pages and the dashboard, and release the label once the last
// item is verified.
func (s *Server) stationScan(ctx context.Context, src scanSource, station, cmdID, code string,
	cfg scan.Config) {
	if err := checkScan(code); err != nil {
		src.reply(errorMsg(err, cmdID))
		return
	}
	if isShipCode(code) {
		s.releaseAtStation(ctx, src, station, cmdID, "")
		return
	}
	res, err := s.store.PackScanWith(ctx, station, src.user, cmdID, code, cfg)
	if err != nil {
		src.fail("scan", err)
		src.reply(errorMsg(err, cmdID))
		return
	}
	s.publishPackResult(ctx, src.topic, cmdID, res)
	sess := res.Session
	if sess == nil || sess.Status != oms.PackOpen || !sess.Verified() || !res.Verdict.OK || res.Scan == nil {
		return
	}
	if s.releasesItself(ctx, sess) {
		s.releaseAtStation(ctx, src, station, "", "")
		return
	}
	s.hub.publish(src.topic, verdictMsg{Type: "verdict", Verdict: oms.Verdict{OK: true,
		Message: fmt.Sprintf("Every item is packed, in %d parcels: weigh them, then press Print labels "+
			"or scan SHIP", len(sess.Parcels))}})
}

// publishPackResult shows a station command's verdict and the order on the
// station's pages and its scan on the dashboard.
func (s *Server) publishPackResult(ctx context.Context, topic, cmdID string, res *store.PackResult) {
	s.hub.publish(topic, verdictMsg{Type: "verdict", Verdict: res.Verdict, CmdID: cmdID})
	if res.Session != nil {
		s.hub.publish(topic, s.packMsg(ctx, res.Session))
	}
	s.publishScan(res.Scan)
}

// releasesItself reports whether a fully verified order's label is bought
// as its last item is verified: one parcel, with a courier that needs no
// weight. Otherwise the packer weighs and presses Print labels.
func (s *Server) releasesItself(ctx context.Context, sess *oms.PackSession) bool {
	if len(sess.Parcels) != 1 {
		return false
	}
	sel, err := s.selectService(ctx, sess, "")
	return err == nil && !needsWeight(sel.courier)
}

// isShipCode reports whether a scan is the station's SHIP code.
func isShipCode(code string) bool {
	blank := func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
	return strings.EqualFold(strings.TrimFunc(code, blank), store.ShipCode)
}

// weigh sets a parcel's weight, box or size from the station page.
func (s *Server) weigh(ctx context.Context, cl *client, station string, m inbound) {
	sess, err := s.store.WeighParcel(ctx, station, cl.user, store.ParcelUpdate{Seq: m.Parcel, Grams: m.Grams,
		Box: m.Box, LengthMM: m.LengthMM, WidthMM: m.WidthMM, HeightMM: m.HeightMM})
	if err != nil {
		s.logCommandError(cl, m, err)
		cl.sendJSON(s.log, errorMsg(err, m.ID))
		return
	}
	msg := fmt.Sprintf("Parcel %d: %d g", m.Parcel, m.Grams)
	if m.Grams == 0 {
		msg = fmt.Sprintf("Parcel %d updated", m.Parcel)
	}
	s.hub.publish(cl.topic, verdictMsg{Type: "verdict", Verdict: oms.Verdict{OK: true, Message: msg}, CmdID: m.ID})
	s.hub.publish(cl.topic, s.packMsg(ctx, sess))
}

// releaseAtStation buys and prints the labels of the station's order (with
// the service the packer chose, "" for the rule table's) and tells the
// station what happened: one "label" message per parcel. cmdID is the
// command's id, "" when the last verified item released the label.
func (s *Server) releaseAtStation(ctx context.Context, src scanSource, station, cmdID, service string) {
	out, err := s.shipOrder(ctx, shipRequest{station: station, actor: src.user, service: service})
	if err != nil {
		src.fail("release", err)
		s.hub.publish(src.topic, verdictMsg{Type: "verdict", CmdID: cmdID,
			Verdict: oms.Verdict{OK: false, Message: oms.ErrorMessage(err)}})
		return
	}
	for _, l := range out.Labels {
		l.CmdID = cmdID
		s.hub.publish(src.topic, l)
	}
	src.reply(s.sessionMsg(ctx, station))
}

func (s *Server) handleDashboardWS(c echo.Context) error {
	ctx := context.WithoutCancel(c.Request().Context())
	return s.connect(c, "dashboard", "supervisor", func(cl *client) {
		counts, err := s.store.Counts(ctx)
		if err == nil {
			cl.sendJSON(s.log, countsMsg{Type: "counts", Counts: counts})
		}
		if msg, err := s.exceptionsMsg(ctx); err == nil {
			cl.sendJSON(s.log, msg)
		}
		scans, err := s.store.RecentScans(ctx, 50)
		if err == nil {
			cl.sendJSON(s.log, scansMsg{Type: "scans", Scans: scans})
		}
		cl.sendJSON(s.log, devicesMsg{Type: "devices", Devices: s.devices.list()})
	}, func(cl *client, m inbound) {}, nil)
}

type (
	countsMsg struct {
		Type   string       `json:"type"`
		Counts store.Counts `json:"counts"`
	}
	scansMsg struct {
		Type  string       `json:"type"`
		Scans []store.Scan `json:"scans"`
	}
	scanMsg struct {
		Type string      `json:"type"`
		Scan *store.Scan `json:"scan"`
	}
	exceptionsMsg struct {
		Type   string            `json:"type"`
		Orders []store.Exception `json:"orders"`
	}
)

func (s *Server) exceptionsMsg(ctx context.Context) (exceptionsMsg, error) {
	orders, err := s.store.Exceptions(ctx, 50)
	if err != nil {
		s.log.Error("dashboard exceptions", "err", err)
	}
	return exceptionsMsg{Type: "exceptions", Orders: orders}, err
}

func (s *Server) publishScan(sc *store.Scan) {
	if sc != nil {
		s.hub.publish("dashboard", scanMsg{Type: "scan", Scan: sc})
	}
}

// broadcastCounts sends the counts to every dashboard when they changed.
func (s *Server) broadcastCounts(ctx context.Context) {
	counts, err := s.store.Counts(ctx)
	if err != nil {
		s.log.Error("dashboard counts", "err", err)
		return
	}
	s.countsMu.Lock()
	changed := counts != s.lastCounts
	s.lastCounts = counts
	s.countsMu.Unlock()
	if !changed {
		return
	}
	s.hub.publish("dashboard", countsMsg{Type: "counts", Counts: counts})
	if msg, err := s.exceptionsMsg(ctx); err == nil {
		s.hub.publish("dashboard", msg)
	}
}
