package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape-oms/shipshape/devices/scanner"
	"github.com/shipshape-oms/shipshape/labels/scan"
	"github.com/shipshape-oms/shipshape/server/oms"
)

// Scanner kinds.
const (
	ScannerSerial = "serial" // a serial port: RS-232 through an adapter, or USB CDC-ACM
	ScannerUSB    = "usb"    // a USB HID keyboard-wedge scanner read over libusb
)

// DefaultDedupeMS is the double-trigger window of a new scanner: the same
// code again from the same device within it counts once.
const DefaultDedupeMS = 300

// maxDedupeMS bounds the window: longer would swallow a packer's real
// second scan of the same item.
const maxDedupeMS = 10000

// Scanner is the configuration of one barcode scanner bound to a packing
// station. Serial fields apply to Kind "serial" and USB fields to "usb";
// the other kind's fields are cleared when it is stored.
type Scanner struct {
	Name    string `json:"name"`
	Station string `json:"station"`
	Kind    string `json:"kind"` // ScannerSerial or ScannerUSB

	Port     string `json:"port,omitempty"` // device node or /dev/serial/by-id link
	Baud     int    `json:"baud,omitempty"`
	DataBits int    `json:"data_bits,omitempty"`
	Parity   string `json:"parity,omitempty"`    // none, odd, even
	StopBits int    `json:"stop_bits,omitempty"` // 1 or 2
	Suffix   string `json:"suffix,omitempty"`    // CR, LF, CRLF or none
	GapMS    int    `json:"gap_ms,omitempty"`    // silence that ends a scan

	USB          string `json:"usb,omitempty"`           // "VVVV:PPPP", vendor and product id in hex
	SerialNumber string `json:"serial_number,omitempty"` // picks one of several identical USB scanners
	Layout       string `json:"layout,omitempty"`        // us, uk or de

	Code39Check bool   `json:"code39_check"`
	RequireAIM  bool   `json:"require_aim"`
	AssumeAIM   string `json:"assume_aim,omitempty"` // e.g. "]A0"
	DedupeMS    int    `json:"dedupe_ms"`
	Enabled     bool   `json:"enabled"`

	CreatedAt string `json:"created_at,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
}

// NewScanner returns a scanner config with the defaults a new one gets:
// enabled, with the DefaultDedupeMS window.
func NewScanner(name string) Scanner {
	return Scanner{Name: name, DedupeMS: DefaultDedupeMS, Enabled: true}
}

// DecodeConfig is how labels/scan reads this scanner's codes.
func (sc Scanner) DecodeConfig() scan.Config {
	return scan.Config{Code39Check: sc.Code39Check, RequireAIM: sc.RequireAIM, AssumeAIM: sc.AssumeAIM}
}

// Dedupe is the scanner's double-trigger window.
func (sc Scanner) Dedupe() time.Duration {
	return time.Duration(sc.DedupeMS) * time.Millisecond
}

// Driver builds the scanner's driver without opening the device; a USB
// scanner calls onDecodeError (if not nil) with each report it cannot
// decode. It fails, naming the field and value, on a configuration the
// driver refuses.
func (sc Scanner) Driver(onDecodeError func(error)) (scanner.Scanner, error) {
	switch sc.Kind {
	case ScannerSerial:
		return scanner.NewSerial(sc.Name, sc.serialConfig())
	case ScannerUSB:
		cfg, err := sc.hidConfig()
		if err != nil {
			return nil, err
		}
		cfg.OnDecodeError = onDecodeError
		return scanner.NewUSBHID(sc.Name, cfg)
	}
	return nil, fmt.Errorf("kind %q: must be %q or %q", sc.Kind, ScannerSerial, ScannerUSB)
}

func (sc Scanner) serialConfig() scanner.SerialConfig {
	suffix := scanner.Suffix(strings.ToUpper(sc.Suffix))
	if strings.EqualFold(sc.Suffix, string(scanner.SuffixNone)) {
		suffix = scanner.SuffixNone
	}
	return scanner.SerialConfig{Port: sc.Port, Baud: sc.Baud, DataBits: sc.DataBits,
		Parity: strings.ToLower(sc.Parity), StopBits: sc.StopBits, Suffix: suffix,
		Gap: time.Duration(sc.GapMS) * time.Millisecond}
}

func (sc Scanner) hidConfig() (scanner.HIDConfig, error) {
	vid, pid, err := ParseUSBID(sc.USB)
	if err != nil {
		return scanner.HIDConfig{}, err
	}
	layout, err := scanner.LayoutByName(sc.Layout)
	if err != nil {
		return scanner.HIDConfig{}, err
	}
	return scanner.HIDConfig{VendorID: vid, ProductID: pid, Serial: sc.SerialNumber, Layout: layout}, nil
}

// ParseUSBID reads "VVVV:PPPP", a USB vendor and product id in hex (as
// lsusb shows them). Errors name the value.
func ParseUSBID(s string) (vendor, product uint16, err error) {
	v, p, ok := strings.Cut(s, ":")
	vid, verr := strconv.ParseUint(v, 16, 16)
	pid, perr := strconv.ParseUint(p, 16, 16)
	if !ok || verr != nil || perr != nil || vid == 0 || pid == 0 {
		return 0, 0, fmt.Errorf("usb %q: want VENDOR:PRODUCT in hex, e.g. 05e0:1200", s)
	}
	return uint16(vid), uint16(pid), nil
}

// Summary describes the scanner's device and settings in one line, for the
// CLI and the audit trail, e.g. "serial /dev/ttyUSB0 9600 8N1 suffix CR gap 250ms".
func (sc Scanner) Summary() string {
	var parts []string
	if sc.Kind == ScannerUSB {
		parts = append(parts, "usb "+sc.USB)
		if sc.SerialNumber != "" {
			parts = append(parts, "serial-number "+sc.SerialNumber)
		}
		parts = append(parts, "layout "+sc.Layout)
	} else {
		parity := strings.ToUpper(sc.Parity + "N")[:1] // 8N1, 7E1
		parts = append(parts, fmt.Sprintf("serial %s %d %d%s%d suffix %s gap %dms", sc.Port, sc.Baud,
			sc.DataBits, parity, sc.StopBits, sc.Suffix, sc.GapMS))
	}
	if sc.Code39Check {
		parts = append(parts, "code39-check")
	}
	if sc.RequireAIM {
		parts = append(parts, "require-aim")
	}
	if sc.AssumeAIM != "" {
		parts = append(parts, "assume-aim "+sc.AssumeAIM)
	}
	parts = append(parts, fmt.Sprintf("dedupe %dms", sc.DedupeMS))
	if !sc.Enabled {
		parts = append(parts, "disabled")
	}
	return strings.Join(parts, ", ")
}

// normalize validates sc and returns it as stored: names trimmed, the
// driver's defaults written out, the other kind's fields cleared. Errors
// are EInvalid and name the scanner, the field and the value.
func (sc Scanner) normalize() (Scanner, error) {
	sc.Name, sc.Station = strings.TrimSpace(sc.Name), strings.TrimSpace(sc.Station)
	if err := validScannerName(sc.Name); err != nil {
		return sc, err
	}
	invalid := func(format string, args ...any) error {
		return oms.Errorf(oms.EInvalid, "scanner %s: "+format, append([]any{sc.Name}, args...)...)
	}
	if err := validStation(sc.Station); err != nil {
		return sc, invalid("%v", err)
	}
	if sc.DedupeMS < 0 || sc.DedupeMS > maxDedupeMS {
		return sc, invalid("dedupe_ms %d: must be 0 to %d", sc.DedupeMS, maxDedupeMS)
	}
	if a := sc.AssumeAIM; a != "" && (len(a) != 3 || a[0] != ']') {
		return sc, invalid("assume_aim %s: must be an AIM id such as ]A0", oms.QuoteShort(a))
	}
	if sc.RequireAIM && sc.AssumeAIM != "" {
		return sc, invalid("require_aim and assume_aim %q: choose one", sc.AssumeAIM)
	}
	var err error
	switch sc.Kind {
	case ScannerSerial:
		sc, err = sc.normalizeSerial()
	case ScannerUSB:
		sc, err = sc.normalizeUSB()
	default:
		err = fmt.Errorf("kind %s: must be %q or %q", oms.QuoteShort(sc.Kind), ScannerSerial, ScannerUSB)
	}
	if err != nil {
		return sc, invalid("%v", err)
	}
	return sc, nil
}

func (sc Scanner) normalizeSerial() (Scanner, error) {
	d, err := scanner.NewSerial(sc.Name, sc.serialConfig())
	if err != nil {
		return sc, errors.Unwrap(err) // the driver's error names the device again
	}
	cfg := d.Config()
	sc.Baud, sc.DataBits, sc.Parity, sc.StopBits = cfg.Baud, cfg.DataBits, cfg.Parity, cfg.StopBits
	sc.Suffix, sc.GapMS = string(cfg.Suffix), int(cfg.Gap/time.Millisecond)
	sc.USB, sc.SerialNumber, sc.Layout = "", "", ""
	return sc, nil
}

func (sc Scanner) normalizeUSB() (Scanner, error) {
	cfg, err := sc.hidConfig()
	if err != nil {
		return sc, err
	}
	if len(sc.SerialNumber) > 128 {
		return sc, fmt.Errorf("serial_number %s: at most 128 bytes", oms.QuoteShort(sc.SerialNumber))
	}
	if _, err := scanner.NewUSBHID(sc.Name, cfg); err != nil {
		return sc, err
	}
	sc.USB = fmt.Sprintf("%04x:%04x", cfg.VendorID, cfg.ProductID)
	sc.Layout = strings.ToLower(cfg.Layout.Name)
	sc.Port, sc.Baud, sc.DataBits, sc.Parity, sc.StopBits, sc.Suffix, sc.GapMS = "", 0, 0, "", 0, "", 0
	return sc, nil
}

// validScannerName accepts 1 to 64 letters, digits, "-", "_" and ".":
// scanner names go into URLs, logs and the dashboard.
func validScannerName(name string) error {
	if !safeID(name) {
		return oms.Errorf(oms.EInvalid, "scanner name %s: use 1 to 64 letters, digits, dots, dashes or underscores",
			oms.QuoteShort(name))
	}
	return nil
}

func validStation(id string) error {
	if !safeID(id) {
		return oms.Errorf(oms.EInvalid, "station %s: use 1 to 64 letters, digits, dots, dashes or underscores", oms.QuoteShort(id))
	}
	return nil
}

func safeID(s string) bool {
	ok := len(s) >= 1 && len(s) <= 64
	for _, c := range []byte(s) {
		ok = ok && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.')
	}
	return ok
}

const scannerColumns = `name, station, kind, port, baud, data_bits, parity, stop_bits, suffix, gap_ms,
	vendor_id, product_id, serial_number, layout, code39_check, require_aim, assume_aim, dedupe_ms,
	enabled, created_at, updated_at`

func scanScanner(row rowScanner) (Scanner, error) {
	var sc Scanner
	var vid, pid int
	err := row.Scan(&sc.Name, &sc.Station, &sc.Kind, &sc.Port, &sc.Baud, &sc.DataBits, &sc.Parity,
		&sc.StopBits, &sc.Suffix, &sc.GapMS, &vid, &pid, &sc.SerialNumber, &sc.Layout, &sc.Code39Check,
		&sc.RequireAIM, &sc.AssumeAIM, &sc.DedupeMS, &sc.Enabled, &sc.CreatedAt, &sc.UpdatedAt)
	if sc.Kind == ScannerUSB {
		sc.USB = fmt.Sprintf("%04x:%04x", vid, pid)
	}
	return sc, err
}

// Scanners returns every configured scanner, by station and name.
func (s *Store) Scanners(ctx context.Context) ([]Scanner, error) {
	return queryAll(ctx, s.read, "list scanners", scanScanner,
		`SELECT `+scannerColumns+` FROM scanners ORDER BY station, name`)
}

// ScannerByName returns one scanner's configuration; ENotFound when there
// is none by that name.
func (s *Store) ScannerByName(ctx context.Context, name string) (Scanner, error) {
	sc, err := scanScanner(s.read.QueryRowContext(ctx,
		`SELECT `+scannerColumns+` FROM scanners WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Scanner{}, oms.Errorf(oms.ENotFound, "no scanner %s", oms.QuoteShort(name))
	}
	if err != nil {
		return Scanner{}, fmt.Errorf("scanner %s: %w", name, err)
	}
	return sc, nil
}

// PutScanner creates the scanner sc names or replaces its whole
// configuration, creating its station if needed, and records who did it in
// the audit trail. It returns the scanner as stored (defaults filled in) and
// whether it was new. A config the driver would refuse is EInvalid, naming
// the field and value.
func (s *Store) PutScanner(ctx context.Context, actor string, sc Scanner) (Scanner, bool, error) {
	sc, err := sc.normalize()
	if err != nil {
		return sc, false, err
	}
	created := false
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkScannerClash(ctx, tx, sc); err != nil {
			return err
		}
		if _, err := ensureStation(ctx, tx, sc.Station); err != nil {
			return err
		}
		var old string
		err := tx.QueryRowContext(ctx, `SELECT created_at FROM scanners WHERE name = ?`, sc.Name).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("scanner %s: %w", sc.Name, err)
		}
		created = old == ""
		sc.CreatedAt, sc.UpdatedAt = cmpText(old, s.now()), s.now()
		if err := writeScanner(ctx, tx, sc); err != nil {
			return err
		}
		action := "scanner.set"
		if created {
			action = "scanner.add"
		}
		return s.scannerChanged(ctx, tx, actor, action, sc.Name, "station "+sc.Station+": "+sc.Summary())
	})
	return sc, created, err
}

// checkScannerClash refuses a scanner that would read the same device as
// another (two drivers on one port split its scans between two stations),
// and a station named like an existing one but for letter case (S1 and s1
// would be two stations with a printer and an order each).
func checkScannerClash(ctx context.Context, tx *sql.Tx, sc Scanner) error {
	var other string
	err := tx.QueryRowContext(ctx, `SELECT name FROM scanners WHERE name <> ?1 AND kind = ?2 AND
			CASE ?2 WHEN 'serial' THEN port = ?3
			ELSE vendor_id = ?4 AND product_id = ?5 AND serial_number = ?6 END`,
		sc.Name, sc.Kind, sc.Port, usbPart(sc.USB, 0), usbPart(sc.USB, 1), sc.SerialNumber).Scan(&other)
	switch {
	case err == nil:
		return oms.Errorf(oms.EConflict, "scanner %s: %s is already scanner %s's device: "+
			"one device can feed one scanner", sc.Name, sc.Summary(), other)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("scanner %s: %w", sc.Name, err)
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM stations WHERE lower(id) = lower(?1) AND id <> ?1`,
		sc.Station).Scan(&other)
	switch {
	case err == nil:
		return oms.Errorf(oms.EInvalid, "scanner %s: station %s: there is a station %s (names are "+
			"case-sensitive): use that name", sc.Name, oms.QuoteShort(sc.Station), other)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("scanner %s: %w", sc.Name, err)
	}
	return nil
}

// usbPart returns the vendor (0) or product (1) id of a "VVVV:PPPP" id, 0
// when there is none.
func usbPart(id string, i int) int {
	vid, pid, err := ParseUSBID(id)
	switch {
	case err != nil:
		return 0
	case i == 0:
		return int(vid)
	}
	return int(pid)
}

func writeScanner(ctx context.Context, tx *sql.Tx, sc Scanner) error {
	var vid, pid uint16
	if sc.Kind == ScannerUSB {
		vid, pid, _ = ParseUSBID(sc.USB) // normalize checked it
	}
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO scanners (`+scannerColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sc.Name, sc.Station, sc.Kind, sc.Port, sc.Baud, sc.DataBits, sc.Parity, sc.StopBits, sc.Suffix,
		sc.GapMS, vid, pid, sc.SerialNumber, sc.Layout, sc.Code39Check, sc.RequireAIM, sc.AssumeAIM,
		sc.DedupeMS, sc.Enabled, sc.CreatedAt, sc.UpdatedAt)
	if err != nil {
		return fmt.Errorf("save scanner %s: %w", sc.Name, err)
	}
	return nil
}

// RemoveScanner deletes a scanner's configuration (audited); ENotFound
// when there is none by that name.
func (s *Store) RemoveScanner(ctx context.Context, actor, name string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var station string
		err := tx.QueryRowContext(ctx, `DELETE FROM scanners WHERE name = ? RETURNING station`,
			name).Scan(&station)
		if errors.Is(err, sql.ErrNoRows) {
			return oms.Errorf(oms.ENotFound, "no scanner %s", oms.QuoteShort(name))
		}
		if err != nil {
			return fmt.Errorf("remove scanner %s: %w", name, err)
		}
		return s.scannerChanged(ctx, tx, actor, "scanner.remove", name, "station "+station)
	})
}

// scannerChanged audits a change and moves the scanners' change counter on.
func (s *Store) scannerChanged(ctx context.Context, tx *sql.Tx, actor, action, name, detail string) error {
	if _, err := nextSeq(ctx, tx, "scanners"); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, action, "scanner", name, detail)
}

// ScannersVersion returns a number that changes whenever a scanner is
// added, changed or removed, by this process or another one (the CLI): a
// cheap way for the server to know when to reload them.
func (s *Store) ScannersVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(value), 0) FROM sequences
		WHERE name = 'scanners'`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("scanners version: %w", err)
	}
	return v, nil
}

// Stations returns the ids of every station the database knows, sorted.
func (s *Store) Stations(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM stations ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list stations: %w", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list stations: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// StationPacker returns who last opened an order at the station, "" when
// nobody has or the station does not exist yet.
func (s *Store) StationPacker(ctx context.Context, station string) (string, error) {
	var packer string
	err := s.read.QueryRowContext(ctx, `SELECT packer FROM stations WHERE id = ?`, station).Scan(&packer)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("station %s packer: %w", station, err)
	}
	return packer, nil
}
