-- Barcode scanners wired to the server (serial ports and USB HID), each
-- bound to a packing station. Zero in a serial setting means the driver's
-- default; the store writes the defaults out so the list shows what runs.
CREATE TABLE scanners (
    name          TEXT PRIMARY KEY CHECK (name <> ''),
    station       TEXT NOT NULL REFERENCES stations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('serial', 'usb')),
    port          TEXT NOT NULL DEFAULT '',
    baud          INTEGER NOT NULL DEFAULT 0,
    data_bits     INTEGER NOT NULL DEFAULT 0,
    parity        TEXT NOT NULL DEFAULT '',
    stop_bits     INTEGER NOT NULL DEFAULT 0,
    suffix        TEXT NOT NULL DEFAULT '',
    gap_ms        INTEGER NOT NULL DEFAULT 0,
    vendor_id     INTEGER NOT NULL DEFAULT 0 CHECK (vendor_id BETWEEN 0 AND 65535),
    product_id    INTEGER NOT NULL DEFAULT 0 CHECK (product_id BETWEEN 0 AND 65535),
    serial_number TEXT NOT NULL DEFAULT '',
    layout        TEXT NOT NULL DEFAULT '',
    code39_check  INTEGER NOT NULL DEFAULT 0 CHECK (code39_check IN (0, 1)),
    require_aim   INTEGER NOT NULL DEFAULT 0 CHECK (require_aim IN (0, 1)),
    assume_aim    TEXT NOT NULL DEFAULT '',
    dedupe_ms     INTEGER NOT NULL DEFAULT 300 CHECK (dedupe_ms >= 0),
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX scanners_station ON scanners (station, name);
