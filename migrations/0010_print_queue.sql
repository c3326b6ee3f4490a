-- The print queue. SQLite cannot change a CHECK constraint in place, so
-- print_jobs is rebuilt with the new statuses and every row copied in its
-- order (rowid order is the order jobs were stored, which lists rely on):
--   queued       waiting to be sent; attempts > 0 means tried and put back
--                (printer not ready or unreachable, nothing sent) until
--                next_attempt_at
--   sending      being written to the printer now
--   printed      the printer took it and said afterwards it is fine
--   sent         written whole to a printer that is never asked for its
--                status (stations.printer_status 'none'): not confirmed
--   unconfirmed  written (whole or in part) but not confirmed: it may have
--                printed, so it is never sent again without a person
--   failed       could not be sent for a reason retrying will not fix
-- addr is the printer.Open address the job goes to ('' on rows from before
-- the queue: the server fills it from the station when it starts).
CREATE TABLE print_jobs_new (
    id              TEXT PRIMARY KEY,
    station_id      TEXT NOT NULL,
    shipment_id     INTEGER REFERENCES shipments (id),
    printer         TEXT NOT NULL,
    addr            TEXT NOT NULL DEFAULT '',
    data            BLOB NOT NULL,
    status          TEXT NOT NULL
        CHECK (status IN ('queued', 'sending', 'printed', 'sent', 'unconfirmed', 'failed')),
    error           TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

INSERT INTO print_jobs_new (id, station_id, shipment_id, printer, data, status, error, created_at,
    updated_at)
SELECT id, station_id, shipment_id, printer, data, status, error, created_at, updated_at
FROM print_jobs ORDER BY rowid;

DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;

CREATE INDEX print_jobs_queue ON print_jobs (addr, status);
CREATE INDEX print_jobs_station ON print_jobs (station_id, status);

-- A station's printer: its resolution, print width, and whether it answers
-- the ~HS status query ('hs') or is sent jobs blind ('none').
ALTER TABLE stations ADD COLUMN printer_dpi INTEGER NOT NULL DEFAULT 203
    CHECK (printer_dpi IN (203, 300, 600));
ALTER TABLE stations ADD COLUMN printer_width_mm REAL NOT NULL DEFAULT 104
    CHECK (printer_width_mm BETWEEN 10 AND 220);
ALTER TABLE stations ADD COLUMN printer_status TEXT NOT NULL DEFAULT 'hs'
    CHECK (printer_status IN ('hs', 'none'));
