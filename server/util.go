package server

import (
	"encoding/json"
	"io"
	"net"
	"strconv"

	"github.com/shipshape-oms/shipshape/server/oms"
)

func jsonDecoder(r io.Reader) *json.Decoder {
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	return dec
}

// validPrinterAddr accepts "" (use the spool) or HOST:PORT.
func validPrinterAddr(addr string) error {
	if addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		return oms.Errorf(oms.EInvalid, "printer address %q is not HOST:PORT (e.g. 192.0.2.10:9100)", addr)
	}
	return nil
}
