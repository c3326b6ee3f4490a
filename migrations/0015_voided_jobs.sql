-- A label whose consignment was voided (a parcel was added after release,
-- so every label was bought again) must never print: its job ends
-- 'voided'. SQLite cannot change a CHECK constraint in place, so print_jobs
-- is rebuilt as in 0010, every row copied in rowid order.
CREATE TABLE print_jobs_new (
    id              TEXT PRIMARY KEY,
    station_id      TEXT NOT NULL,
    shipment_id     INTEGER REFERENCES shipments (id),
    printer         TEXT NOT NULL,
    addr            TEXT NOT NULL DEFAULT '',
    data            BLOB NOT NULL,
    status          TEXT NOT NULL
        CHECK (status IN ('queued', 'sending', 'printed', 'sent', 'unconfirmed', 'failed', 'voided')),
    error           TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

INSERT INTO print_jobs_new (id, station_id, shipment_id, printer, addr, data, status, error, attempts,
    next_attempt_at, created_at, updated_at)
SELECT id, station_id, shipment_id, printer, addr, data, status, error, attempts, next_attempt_at,
    created_at, updated_at
FROM print_jobs ORDER BY rowid;

DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;

CREATE INDEX print_jobs_queue ON print_jobs (addr, status);
CREATE INDEX print_jobs_station ON print_jobs (station_id, status);

-- The idempotency key a consignment was bought with: a retried purchase
-- sends the same key, so the courier answers with the first purchase.
ALTER TABLE consignments ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT '';
