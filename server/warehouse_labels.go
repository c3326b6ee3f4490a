package server

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shipshape-oms/shipshape/labels"
	"github.com/shipshape-oms/shipshape/server/oms"
	"github.com/shipshape-oms/shipshape/server/store"
)

// badgePrefix starts every badge code: "USER-" and the user's name in upper
// case, e.g. "USER-ANN LEE". The code is stable (it depends on the name
// alone), so a badge printed today still names its user when badge login
// comes.
//
// TODO: nothing reads a badge yet: scanning one should sign its user in at a
// device. Scans are resolved as totes, bins, barcodes then SKUs, so a badge
// code must be recognised by its prefix first, as a tote's is, and imports
// must then refuse SKUs and bins that start with it.
const badgePrefix = "USER-"

// idempotencyHeader carries a client's key for a request that prints: the
// same key from the same user again is a retry, answered without printing.
const idempotencyHeader = "Idempotency-Key"

// Limits on what a warehouse label request may ask for.
const (
	maxCopies    = 100
	maxBadgeName = 64 // as long as an X-Shipshape-User name is kept
	maxBadgeRole = 64
	badgePNGSize = 256 // pixels, unless ?size= says otherwise
)

// warehouseLabelRoutes adds the endpoints that build and print bin, tote,
// product and badge labels.
func (s *Server) warehouseLabelRoutes(api *echo.Group) {
	api.GET("/labels/:kind/:code", s.handleWarehouseLabel)
	api.POST("/labels/:kind/:code/print", s.handlePrintWarehouseLabel)
}

// warehouseLabel is a label built from what the store knows.
type warehouseLabel struct {
	kind string
	code string // the code it carries: bin or tote code, SKU, badge code
	zpl  []byte
}

// handleWarehouseLabel answers a label's ZPL (application/zpl), built for
// the printer of ?station= when given (else 203 dpi, 104 mm), or for a
// badge asked as NAME.png or with ?format=png the PNG of its QR code, for a
// screen (?size= pixels, 256 by default).
func (s *Server) handleWarehouseLabel(c echo.Context) error {
	kind, code := c.Param("kind"), c.Param("code")
	format := c.QueryParam("format")
	if kind == "badge" && strings.HasSuffix(code, ".png") && format == "" {
		code, format = strings.TrimSuffix(code, ".png"), "png"
	}
	switch {
	case format == "png" && kind != "badge":
		return oms.Errorf(oms.EInvalid, "format png: only a badge label has a picture (its QR code)")
	case format == "png":
		return s.badgePNG(c, code)
	case format != "" && format != "zpl":
		return oms.Errorf(oms.EInvalid, "format %s: use zpl or png", oms.QuoteShort(format))
	}
	pc := store.DefaultPrinterConfig("")
	if station := c.QueryParam("station"); station != "" {
		if err := validStationID(station); err != nil {
			return err
		}
		var err error
		if pc, err = s.store.StationPrinterConfig(c.Request().Context(), station); err != nil {
			return err
		}
	}
	l, err := s.buildLabel(c.Request().Context(), kind, code, c.QueryParam("role"), labelPrinter(pc))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	name := l.kind + "-" + l.code + ".zpl"
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store") // a product's title and price change
	return c.Blob(http.StatusOK, "application/zpl", l.zpl)
}

// badgePNG answers the QR code of a user's badge as a PNG.
func (s *Server) badgePNG(c echo.Context, user string) error {
	code, err := badgeCode(user)
	if err != nil {
		return err
	}
	size := badgePNGSize
	if v := c.QueryParam("size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil {
			return oms.Errorf(oms.EInvalid, "size: %s is not a number of pixels", oms.QuoteShort(v))
		}
	}
	png, err := labels.QRPNG(code, size)
	if err != nil {
		return oms.Errorf(oms.EInvalid, "badge QR code: %v", err)
	}
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/png", png)
}

// labelPrint answers a warehouse label sent to a station's printer.
type labelPrint struct {
	JobID    string `json:"job_id"`
	Kind     string `json:"kind"`
	Code     string `json:"code"`
	Copies   int    `json:"copies"`
	Station  string `json:"station"`
	Printer  string `json:"printer"`
	Bytes    int    `json:"bytes"`
	Status   string `json:"status"` // the job's status when answered: "printed", "queued"…
	Error    string `json:"error,omitempty"`
	Replayed bool   `json:"replayed,omitempty"` // the Idempotency-Key was seen: nothing printed
}

// handlePrintWarehouseLabel builds a label and prints it at a station:
// ?station=S1 (required) and ?copies=N (1 to 100, default 1). The copies
// are one print job whose ZPL says ^PQ N, so the label is stored, audited
// and reprinted once, not N times. The job is stored and audited before it
// is queued; the answer is 201 with its status after a short wait (see
// printQueue.submit) either way. The label is built for the station's
// printer (its dpi and width). An Idempotency-Key header makes a retried
// request answer the first job and print nothing.
func (s *Server) handlePrintWarehouseLabel(c echo.Context) error {
	station := c.QueryParam("station")
	if station == "" {
		return oms.Errorf(oms.EInvalid, "station: required, e.g. ?station=S1")
	}
	if err := validStationID(station); err != nil {
		return err
	}
	copies, err := copiesParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, pc, err := s.stationPrinter(ctx, station)
	if err != nil {
		return err
	}
	l, err := s.buildLabel(ctx, c.Param("kind"), c.Param("code"), c.QueryParam("role"), labelPrinter(pc))
	if err != nil {
		return err
	}
	job, replayed, err := s.store.QueueWarehouseLabel(ctx, store.WarehouseLabel{Kind: l.kind, Code: l.code,
		Copies: copies, Station: station, Actor: actor(c), Printer: e.p.String(), Addr: e.addr,
		Data: withCopies(l.zpl, copies), CmdID: c.Request().Header.Get(idempotencyHeader)})
	if err != nil {
		return err
	}
	out := labelPrint{JobID: job.ID, Kind: l.kind, Code: l.code, Copies: copies, Station: station,
		Printer: job.Printer, Bytes: len(job.Data), Status: job.Status, Error: job.Error, Replayed: replayed}
	if replayed {
		return c.JSON(http.StatusCreated, out) // the same request again: answer, do not print twice
	}
	s.log.Info("warehouse label queued", "job", job.ID, "kind", l.kind, "code", l.code, "copies", copies,
		"station", station, "user", actor(c), "printer", e.p.String())
	s.publishJob(ctx, job.ID)
	sum, err := s.queue.submit(ctx, job)
	if err != nil {
		return err
	}
	out.Status, out.Error = sum.Status, sum.Error
	return c.JSON(http.StatusCreated, out)
}

// copiesParam reads ?copies= (1 to 100, default 1).
func copiesParam(c echo.Context) (int, error) {
	v := c.QueryParam("copies")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxCopies {
		return 0, oms.Errorf(oms.EInvalid, "copies: %s is not a number from 1 to %d", oms.QuoteShort(v), maxCopies)
	}
	return n, nil
}

// withCopies makes a one-label ZPL document print n copies: ^PQ n, the
// print quantity (ZPL II Programming Guide, ^PQ), just before the closing
// ^XZ. One copy is left as built.
func withCopies(zpl []byte, n int) []byte {
	i := strings.LastIndex(string(zpl), "^XZ")
	if n <= 1 || i < 0 {
		return zpl
	}
	out := make([]byte, 0, len(zpl)+8)
	out = append(out, zpl[:i]...)
	out = fmt.Appendf(out, "^PQ%d", n)
	return append(out, zpl[i:]...)
}

// buildLabel builds the label of one kind for code: a bin's code, a tote's
// code, a product's SKU or a user's name (with role under it on a badge).
// It returns an ENotFound error for an unknown kind, bin or product, and an
// EInvalid error naming the field for a code no label can carry.
func (s *Server) buildLabel(ctx context.Context, kind, code, role string,
	p labels.Printer) (*warehouseLabel, error) {
	var l *warehouseLabel
	var err error
	switch kind {
	case "bin":
		l, err = s.binLabel(ctx, code, p)
	case "tote":
		l, err = toteLabel(code, p)
	case "product":
		l, err = s.productLabel(ctx, code, p)
	case "badge":
		l, err = badgeLabel(code, role, p)
	default:
		return nil, oms.Errorf(oms.ENotFound, "no label kind %s: use %s", oms.QuoteShort(kind),
			strings.Join(store.LabelKinds, ", "))
	}
	if err != nil {
		return nil, err
	}
	l.kind = kind
	return l, nil
}

// labelError turns a template's refusal into an EInvalid error: it names
// the field and value that no label can carry.
func labelError(err error) error {
	if err == nil {
		return nil
	}
	return oms.Errorf(oms.EInvalid, "%v", err)
}

func (s *Server) binLabel(ctx context.Context, code string, p labels.Printer) (*warehouseLabel, error) {
	bin, err := s.store.Bin(ctx, code)
	if err != nil {
		return nil, err
	}
	zpl, err := labels.BinLabel(labels.Bin{Code: bin}, p)
	return &warehouseLabel{code: bin, zpl: zpl}, labelError(err)
}

// toteLabel builds a tote's label. Totes are not stored: any code that
// scans as a tote (TOTE- and more, upper-cased as scans are) is one.
func toteLabel(code string, p labels.Printer) (*warehouseLabel, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !oms.IsToteCode(code) || len(code) == len(oms.TotePrefix) {
		return nil, oms.Errorf(oms.EInvalid, "tote code %s: must be %s and a number or name, e.g. %s0042",
			oms.QuoteShort(code), oms.TotePrefix, oms.TotePrefix)
	}
	zpl, err := labels.ToteLabel(labels.Tote{Code: code}, p)
	return &warehouseLabel{code: code, zpl: zpl}, labelError(err)
}

// productLabel builds a product's label with its first GTIN, or its
// internal barcode, in the shortest form that carries it.
func (s *Server) productLabel(ctx context.Context, sku string, lp labels.Printer) (*warehouseLabel, error) {
	p, err := s.store.LabelProduct(ctx, sku)
	if err != nil {
		return nil, err
	}
	zpl, err := labels.ProductLabel(labels.Product{Title: p.Title, SKU: p.SKU, GTIN: printedGTIN(p.Barcode),
		Price: formatPrice(p.PriceCents, p.Currency)}, lp)
	return &warehouseLabel{code: p.SKU, zpl: zpl}, labelError(err)
}

// printedGTIN returns the shortest GTIN a 14-digit key stands for, the
// symbol shoppers' scanners expect: an EAN-8 when it has six leading zeros,
// a UPC-A when two, an EAN-13 when one (as the store's gtinForms reads them).
func printedGTIN(key string) string {
	for _, zeros := range []string{"000000", "00", "0"} {
		if len(key) == 14 && strings.HasPrefix(key, zeros) {
			return key[len(zeros):]
		}
	}
	return key
}

// formatPrice writes a price as it prints on a shelf label: the amount with
// two decimals (prices are stored in hundredths) and the ISO 4217 code,
// e.g. "80.00 USD"; "" for an unknown price (0), which leaves it off.
func formatPrice(cents int64, currency string) string {
	if cents <= 0 {
		return ""
	}
	return strings.TrimSpace(fmt.Sprintf("%d.%02d %s", cents/100, cents%100, currency))
}

// badgeLabel builds a user's badge: the name as given, the role under it,
// and the badge code (see badgePrefix) as a QR code.
func badgeLabel(user, role string, p labels.Printer) (*warehouseLabel, error) {
	code, err := badgeCode(user)
	if err != nil {
		return nil, err
	}
	role = strings.TrimSpace(role)
	if err := oms.CheckText(role, maxBadgeRole); err != nil {
		return nil, oms.Errorf(oms.EInvalid, "role: %v", err)
	}
	zpl, err := labels.BadgeLabel(labels.Badge{Name: strings.TrimSpace(user), Role: role, Code: code},
		p)
	return &warehouseLabel{code: code, zpl: zpl}, labelError(err)
}

// badgeCode returns the badge code of a user: badgePrefix and the trimmed
// name upper-cased. A name must be 1 to 64 printable ASCII characters, so
// that any scanner sends its code back unchanged.
func badgeCode(user string) (string, error) {
	name := strings.TrimSpace(user)
	ok := name != "" && len(name) <= maxBadgeName
	for _, c := range []byte(name) {
		ok = ok && c >= ' ' && c <= '~'
	}
	if !ok {
		return "", oms.Errorf(oms.EInvalid, "badge user %s: use 1 to %d printable ASCII characters "+
			"(letters, digits, spaces, punctuation)", oms.QuoteShort(user), maxBadgeName)
	}
	return badgePrefix + strings.ToUpper(name), nil
}
