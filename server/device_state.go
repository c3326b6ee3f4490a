package server

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Device kinds shown on the dashboard and the station page.
const (
	DevicePrinter = "printer"
	DeviceScanner = "scanner"
)

// DeviceState is what the floor sees of one scanner or printer: whether it
// is there and working, and since when.
type DeviceState struct {
	Kind    string    `json:"kind"`             // DevicePrinter or DeviceScanner
	Name    string    `json:"name"`             // the scanner's name, or the printer's address
	Station string    `json:"station"`          // the station it serves; "" for none
	State   string    `json:"state"`            // "online", "offline", "paper out", "head open", ...
	Detail  string    `json:"detail,omitempty"` // why, for a state that is not "online"
	Since   time.Time `json:"since"`
}

// devicesMsg is the dashboard's and station pages' list of devices.
type devicesMsg struct {
	Type    string        `json:"type"` // "devices"
	Devices []DeviceState `json:"devices"`
}

// deviceStates remembers the last state of every device the server drives.
type deviceStates struct {
	mu sync.Mutex
	m  map[string]DeviceState // by kind + "/" + name
}

// set records st and reports whether it differs from the device's last
// state (a change to log and show).
func (d *deviceStates) set(st DeviceState) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[string]DeviceState{}
	}
	key := st.Kind + "/" + st.Name
	old, ok := d.m[key]
	if ok && old.State == st.State && old.Detail == st.Detail && old.Station == st.Station {
		return false
	}
	d.m[key] = st
	return true
}

// remove forgets a device that is no longer configured.
func (d *deviceStates) remove(kind, name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.m[kind+"/"+name]
	delete(d.m, kind+"/"+name)
	return ok
}

// list returns every device, by station, kind and name.
func (d *deviceStates) list() []DeviceState {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]DeviceState, 0, len(d.m))
	for _, st := range d.m {
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b DeviceState) int {
		return cmp.Or(cmp.Compare(a.Station, b.Station), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Name, b.Name))
	})
	return out
}

// setDevice records a device's state; a change is logged at Info (an
// operator wants to know a printer ran out of paper or a scanner came
// back) and pushed to the dashboard and the device's station page.
func (s *Server) setDevice(st DeviceState) {
	if st.Since.IsZero() {
		st.Since = time.Now()
	}
	if !s.devices.set(st) {
		return
	}
	level := slog.LevelInfo
	if st.State != "online" && st.State != "status not asked" {
		level = slog.LevelWarn // offline, paper out, head open: someone must act
	}
	s.log.Log(context.Background(), level, "device state", "kind", st.Kind, "device", st.Name,
		"station", st.Station, "state", st.State, "detail", st.Detail)
	s.publishDevices(st.Station)
}

// dropDevice forgets a device that was unconfigured.
func (s *Server) dropDevice(kind, name, station string) {
	if s.devices.remove(kind, name) {
		s.publishDevices(station)
	}
}

// publishDevices sends the device list to the dashboard, and the station's
// own devices to its pack pages.
func (s *Server) publishDevices(station string) {
	all := s.devices.list()
	s.hub.publish("dashboard", devicesMsg{Type: "devices", Devices: all})
	if station == "" {
		return
	}
	mine := []DeviceState{}
	for _, d := range all {
		if d.Station == station {
			mine = append(mine, d)
		}
	}
	s.hub.publish("pack:"+station, devicesMsg{Type: "devices", Devices: mine})
}
