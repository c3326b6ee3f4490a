// Package easypost is the EasyPost courier: labels from the carriers
// EasyPost resells (USPS, UPS, FedEx…) through its REST API v2, bought one
// shipment per parcel, with refunds for Void and scan forms for Manifest.
//
// EasyPost has no multi-parcel shipment for most carriers, so Buy buys one
// EasyPost shipment per parcel. It never leaves a request half-bought: when
// a parcel fails, every parcel already bought is refunded before Buy
// returns, and a purchase whose answer was lost (a timeout) is looked up and
// refunded too. Only when EasyPost cannot be reached for the refund itself
// does Buy return with shipments still bought, and then its *courier.Error
// names them in Unvoided so they can be voided later.
package easypost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/server/courier"
)

// name is the courier's name in errors and logs.
const name = "EasyPost"

// DefaultTimeout is how long one request to EasyPost may take when
// Config.Timeout is 0.
const DefaultTimeout = 20 * time.Second

// maxBody is the most of a response read: a label or scan form with
// images is well under it.
const maxBody = 8 << 20

// Config configures the EasyPost courier.
type Config struct {
	APIKey string // a test or production key, sent as the Basic auth user
	// BaseURL is the API's root, e.g. https://api.easypost.com in
	// production. It has no default: nothing is sent anywhere unless it
	// is given.
	BaseURL string
	// HTTPClient makes the requests; nil means a new http.Client.
	HTTPClient *http.Client
	// Timeout bounds each request (0 means DefaultTimeout). A request
	// that runs out of it fails with courier.ErrTimeout.
	Timeout time.Duration
}

// Client buys labels from EasyPost. It is safe for concurrent use.
type Client struct {
	key     string
	base    string
	http    *http.Client
	timeout time.Duration
}

var _ courier.Courier = (*Client)(nil)

// New returns an EasyPost courier. It returns an error when APIKey is empty
// or BaseURL is not an absolute http or https URL without query.
func New(c Config) (*Client, error) {
	if strings.TrimSpace(c.APIKey) == "" {
		return nil, errors.New("easypost: APIKey is required")
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("easypost: BaseURL %q is not an http(s) URL like https://api.easypost.com",
			c.BaseURL)
	}
	cl := &Client{key: c.APIKey, base: strings.TrimRight(c.BaseURL, "/"), http: c.HTTPClient,
		timeout: c.Timeout}
	if cl.http == nil {
		cl.http = &http.Client{}
	}
	if cl.timeout <= 0 {
		cl.timeout = DefaultTimeout
	}
	return cl, nil
}

// Name returns "EasyPost".
func (*Client) Name() string { return name }

// call sends one API request with the key and decodes a 2xx answer into
// out. Any failure is a *courier.Error (see apiError and transportError).
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fail(courier.ErrRequest, "", "could not encode the request", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fail(courier.ErrRequest, "", "could not make the request", err)
	}
	req.SetBasicAuth(c.key, "")
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	data, resp, err := c.send(req)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return apiError(resp, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fail(courier.ErrUnavailable, "", method+" "+path+": the answer is not EasyPost JSON", err)
	}
	return nil
}

// download fetches a label or form from the URL EasyPost gave, without the
// API key: the files are on another host, which must not see it.
func (c *Client) download(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fail(courier.ErrUnavailable, "", fmt.Sprintf("file URL %q is not http(s)", rawURL), err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fail(courier.ErrUnavailable, "", "could not make the file request", err)
	}

	data, resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("file %s answered %s", u.Path, resp.Status)
		return nil, fail(courier.ErrUnavailable, "", msg, nil)
	}
	if len(data) == 0 {
		return nil, fail(courier.ErrUnavailable, "", fmt.Sprintf("file %s is empty", u.Path), nil)
	}
	return data, nil
}

// send does req and reads at most maxBody of the answer.
func (c *Client) send(req *http.Request) ([]byte, *http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, transportError(req, err, c.timeout)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, transportError(req, err, c.timeout)
	}
	return data, resp, nil
}

// fail makes an EasyPost *courier.Error.
func fail(kind error, field, msg string, cause error) *courier.Error {
	return &courier.Error{Courier: name, Kind: kind, Field: field, Message: msg, Err: cause}
}
