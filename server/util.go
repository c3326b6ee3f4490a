package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/shipshape-oms/shipshape/devices/printer"
	"io"
	"net/http"
	"reflect"

	"github.com/labstack/echo/v4"

	"github.com/shipshape-oms/shipshape/server/oms"
)

// maxBody is the largest request body the API reads.
const maxBody = 1 << 20

// bodyError turns a JSON decoding error into an EInvalid error a client can
// act on: which field had which wrong type, or where the syntax broke.
func bodyError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var tooBig *http.MaxBytesError
	var domain *oms.Error
	switch {
	case errors.As(err, &tooBig):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
			fmt.Sprintf("request body is larger than %d bytes", maxBody))
	case errors.As(err, &domain):
		return err
	case errors.As(err, &typeErr):
		return oms.Errorf(oms.EInvalid, "request body: %s: expected a %s, got a JSON %s",
			typeErr.Field, jsonKind(typeErr.Type.Kind()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return oms.Errorf(oms.EInvalid, "request body: invalid JSON at byte %d: %v", syntaxErr.Offset, err)
	case errors.Is(err, io.EOF):
		return oms.Errorf(oms.EInvalid, "request body: empty, expected a JSON object")
	default:
		return oms.Errorf(oms.EInvalid, "request body: %v", err)
	}
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole number"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "list"
	default:
		return "object"
	}
}

// validPrinterAddr accepts "" (the default printer, or the spool) or any
// address printer.Open takes: tcp:HOST:PORT, HOST:PORT, usb:VID:PID[:SERIAL],
// serial:DEVICE[:BAUD] or spool:DIR. The error names the address and what
// is wrong with it.
func validPrinterAddr(addr string) error {
	if addr == "" {
		return nil
	}
	p, err := printer.Open(addr, printer.Info{})
	if err != nil {
		return oms.Errorf(oms.EInvalid, "printer address: %v", err)
	}
	closeDriver(p)
	return nil
}

// validStationID accepts 1 to 64 letters, digits, "-", "_" and ".": station
// ids go into URLs, logs and file names.
func validStationID(id string) error {
	ok := len(id) >= 1 && len(id) <= 64
	for _, c := range []byte(id) {
		ok = ok && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.')
	}
	if !ok {
		return oms.Errorf(oms.EInvalid, "station id %s: use 1 to 64 letters, digits, dots, dashes or underscores", oms.QuoteShort(id))
	}
	return nil
}
