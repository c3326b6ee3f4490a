package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/shipshape-oms/shipshape/devices/scale"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// ScaleConfig is a station's parcel scale; Port "" means it has none.
type ScaleConfig struct {
	Station  string `json:"station"`
	Port     string `json:"port"`
	Baud     int    `json:"baud"`
	Protocol string `json:"protocol"` // scale.NCI, scale.SMA or scale.Continuous
}

// Driver returns the scale's driver, without opening the port. It fails,
// naming the field and value, on a setting the driver refuses (a station
// with no scale has port "").
func (c ScaleConfig) Driver() (*scale.Serial, error) {
	return scale.NewSerial(scale.Config{Port: c.Port, Baud: c.Baud, Protocol: c.Protocol})
}

// ScaleUpdate changes some of a station's scale settings; nil fields are
// left as they are. Port "" removes the scale.
type ScaleUpdate struct {
	Port     *string `json:"port"`
	Baud     *int    `json:"baud"`
	Protocol *string `json:"protocol"`
}

// Validate returns an EInvalid error naming the first field and value that
// is wrong: baud must be one of scale.Bauds, protocol nci, sma or continuous.
func (u ScaleUpdate) Validate() error {
	switch {
	case u.Baud != nil && !slices.Contains(scale.Bauds, *u.Baud):
		return oms.Errorf(oms.EInvalid, "baud: %d: want one of %v", *u.Baud, scale.Bauds)
	case u.Protocol != nil && !slices.Contains(scale.Protocols, *u.Protocol):
		return oms.Errorf(oms.EInvalid, "protocol: %s: want nci, sma or continuous",
			oms.QuoteShort(*u.Protocol))
	case u.Port != nil && len(*u.Port) > 256:
		return oms.Errorf(oms.EInvalid, "port: longer than 256 bytes")
	}
	return nil
}

const scaleColumns = `id, scale_port, scale_baud, scale_protocol FROM stations`

func scanScale(row interface{ Scan(...any) error }) (ScaleConfig, error) {
	var c ScaleConfig
	err := row.Scan(&c.Station, &c.Port, &c.Baud, &c.Protocol)
	return c, err
}

// StationScale returns a station's scale settings; a station not set up yet
// has none (Port ""), at the defaults.
func (s *Store) StationScale(ctx context.Context, station string) (ScaleConfig, error) {
	c, err := scanScale(s.read.QueryRowContext(ctx, `SELECT `+scaleColumns+` WHERE id = ?`, station))
	if errors.Is(err, sql.ErrNoRows) {
		return ScaleConfig{Station: station, Baud: scale.DefaultBaud, Protocol: scale.NCI}, nil
	} else if err != nil {
		return c, fmt.Errorf("station %s scale: %w", station, err)
	}
	return c, nil
}

// UpdateStationScale changes the settings u gives of a station's scale,
// creating the station if needed, audits the change and returns the
// settings now. It returns u.Validate's error for a bad setting.
func (s *Store) UpdateStationScale(ctx context.Context, actor, station string,
	u ScaleUpdate) (ScaleConfig, error) {
	if err := u.Validate(); err != nil {
		return ScaleConfig{}, err
	}
	if err := validStation(station); err != nil {
		return ScaleConfig{}, err
	}
	var c ScaleConfig
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stations (id) VALUES (?) ON CONFLICT (id) DO NOTHING`,
			station); err != nil {
			return fmt.Errorf("station %s scale: %w", station, err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE stations SET scale_port = COALESCE(?, scale_port),
			scale_baud = COALESCE(?, scale_baud), scale_protocol = COALESCE(?, scale_protocol)
			WHERE id = ?`, u.Port, u.Baud, u.Protocol, station)
		if err != nil {
			return fmt.Errorf("station %s scale: %w", station, err)
		}
		if c, err = scanScale(tx.QueryRowContext(ctx, `SELECT `+scaleColumns+` WHERE id = ?`,
			station)); err != nil {
			return fmt.Errorf("station %s scale: %w", station, err)
		}
		detail := fmt.Sprintf("port %q, %d baud, %s", c.Port, c.Baud, c.Protocol)
		return s.audit(ctx, tx, actor, "station.scale", "station", station, detail)
	})
	return c, err
}
