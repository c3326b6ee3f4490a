package easypost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
)

// undo refunds what a failed Buy bought: every shipment in ids before
// parcel failed, and parcel failed's own (the last id when it has one) if
// EasyPost says it was bought. It runs even when ctx is done, each request
// with the client's timeout, and returns cause as an *courier.Error whose
// message says which parcel failed and what was refunded, and whose
// Unvoided names what could not be.
func (c *Client) undo(ctx context.Context, ids []string, failed, parcels int, cause error) error {
	e := &courier.Error{}
	if !errors.As(cause, &e) {
		e = fail(courier.ErrUnavailable, "", cause.Error(), cause)
	}
	e = copyError(e)
	if parcels > 1 {
		e.Message = fmt.Sprintf("parcel %d of %d: %s", failed+1, parcels, e.Message)
	}

	ctx = context.WithoutCancel(ctx)
	var done, notes []string
	for k, id := range ids {
		if k == failed {
			bought, err := c.isBought(ctx, id)
			if err != nil {
				e.Unvoided = append(e.Unvoided, id)
				notes = append(notes, fmt.Sprintf("could not tell whether %s was bought: void it", id))
				continue
			}
			if !bought {
				continue
			}
		}
		if err := c.refund(ctx, id); err != nil {
			e.Unvoided = append(e.Unvoided, id)
			notes = append(notes, fmt.Sprintf("could not refund %s (%v): void it", id, err))
			continue
		}
		done = append(done, fmt.Sprintf("parcel %d (%s)", k+1, id))
	}
	e.Message += undoNote(ids, done, notes)
	return e
}

// undoNote is what undo adds to the message.
func undoNote(ids, done, notes []string) string {
	switch {
	case len(ids) == 0:
		return ""
	case len(done) == 0 && len(notes) == 0:
		return "; nothing was bought"
	}
	var parts []string
	if len(done) > 0 {
		parts = append(parts, "refunded "+strings.Join(done, ", "))
	}
	return "; " + strings.Join(append(parts, notes...), "; ")
}

func copyError(e *courier.Error) *courier.Error {
	c := *e
	return &c
}

// isBought looks a shipment up.
func (c *Client) isBought(ctx context.Context, id string) (bool, error) {
	var sh shipment
	if err := c.call(ctx, http.MethodGet, "/v2/shipments/"+id, nil, &sh); err != nil {
		return false, err
	}
	return sh.bought(), nil
}

// refund asks EasyPost to refund a bought shipment: the carrier decides,
// and a "rejected" answer is an ErrRequest error.
func (c *Client) refund(ctx context.Context, id string) error {
	var sh shipment
	if err := c.call(ctx, http.MethodPost, "/v2/shipments/"+id+"/refund", struct{}{}, &sh); err != nil {
		return err
	}
	if sh.RefundStatus == "rejected" {
		return fail(courier.ErrRequest, "", "EasyPost rejected the refund of "+id, nil)
	}
	return nil
}

// Void asks EasyPost to refund each shipment of shipmentID (the ids Buy
// joined with commas). A refund is a request: EasyPost answers "submitted"
// and the carrier settles it later. Every shipment is tried; the error is
// the first failure's *courier.Error (ErrNotFound for an unknown id), with
// Unvoided naming every shipment not refunded.
func (c *Client) Void(ctx context.Context, shipmentID string) error {
	ids := splitIDs([]string{shipmentID})
	if len(ids) == 0 {
		return fail(courier.ErrNotFound, "", fmt.Sprintf("%q names no EasyPost shipment", shipmentID), nil)
	}
	var first *courier.Error
	var unvoided []string
	for _, id := range ids {
		err := c.refund(ctx, id)
		if err == nil {
			continue
		}
		unvoided = append(unvoided, id)
		if first == nil && !errors.As(err, &first) {
			first = fail(courier.ErrUnavailable, "", err.Error(), err)
		}
	}
	if first == nil {
		return nil
	}
	first = copyError(first)
	first.Message = "refund: " + first.Message
	first.Unvoided = unvoided
	return first
}

// splitIDs flattens shipment ids Buy joined with commas.
func splitIDs(joined []string) []string {
	var ids []string
	for _, j := range joined {
		for id := range strings.SplitSeq(j, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// scanForm is EasyPost's ScanForm, as much as Manifest reads.
type scanForm struct {
	ID            string   `json:"id"`
	Status        string   `json:"status"` // creating, created or failed
	Message       string   `json:"message"`
	FormURL       string   `json:"form_url"`
	FormFileType  string   `json:"form_file_type"`
	TrackingCodes []string `json:"tracking_codes"`
}

// Manifest creates one EasyPost scan form for every parcel of shipmentIDs
// (ids as Buy returned them) and downloads its document (a PDF) when
// EasyPost has made it. EasyPost's rules apply: one sender address, one
// carrier account, shipments dated day or later, not refunded, in no other
// scan form. It returns an *courier.Error: ErrRequest for no shipments or a
// form EasyPost failed to make, else what apiError and transportError map.
//
// TODO: a form still "creating" comes back without its document (ID only);
// fetching it later (GET /v2/scan_forms/{id}) is left to the caller.
func (c *Client) Manifest(ctx context.Context, shipmentIDs []string,
	day time.Time) (*courier.Manifest, error) {
	ids := splitIDs(shipmentIDs)
	if len(ids) == 0 {
		return nil, fail(courier.ErrRequest, "shipments", "there are no shipments to manifest", nil)
	}
	refs := make([]map[string]string, len(ids))
	for i, id := range ids {
		refs[i] = map[string]string{"id": id}
	}

	var sf scanForm
	body := map[string]any{"shipments": refs}
	if err := c.call(ctx, http.MethodPost, "/v2/scan_forms", body, &sf); err != nil {
		return nil, err
	}
	if sf.Status == "failed" {
		return nil, fail(courier.ErrRequest, "", "scan form "+sf.ID+" failed: "+sf.Message, nil)
	}

	m := &courier.Manifest{ID: sf.ID, Day: day, Shipments: shipmentIDs, DocumentURL: sf.FormURL}
	if sf.FormURL == "" {
		return m, nil
	}
	doc, err := c.download(ctx, sf.FormURL)
	if err != nil {
		return nil, err
	}
	m.Document, m.DocumentType = doc, documentType(sf.FormFileType)
	return m, nil
}

// documentType is the media type of a scan form: EasyPost makes PDFs and
// often leaves form_file_type null.
func documentType(fileType string) string {
	switch strings.ToLower(fileType) {
	case "", "pdf", "application/pdf":
		return "application/pdf"
	case "zpl":
		return "application/zpl"
	default:
		return fileType
	}
}
