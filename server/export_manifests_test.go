package server

import "github.com/shipshape-oms/shipshape/server/courier"

// RegisterCourierForTest registers c as name, so that server_test can stand
// a fake remote courier beside the local one.
func (s *Server) RegisterCourierForTest(name string, c courier.Courier) { s.registerCourier(name, c) }
