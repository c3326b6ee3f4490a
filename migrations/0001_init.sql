-- Shipshape initial schema: catalogue, stock per bin, orders, picking,
-- packing, shipments, print jobs, scans and the audit trail.
-- Times are RFC 3339 UTC text. Quantities are integers in base units.

CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE CHECK (sku <> ''),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price_cents INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    currency    TEXT NOT NULL DEFAULT '',
    stocked     INTEGER NOT NULL DEFAULT 1 CHECK (stocked IN (0, 1)),
    parent_sku  TEXT NOT NULL DEFAULT '',
    images      TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- A barcode is a GTIN-14 key (every UPC-A/EAN-13/GTIN-14 form of one number
-- maps to it), an internal restricted-circulation EAN-13 we issued, or another
-- code a merchant uses.
CREATE TABLE barcodes (
    code       TEXT PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('gtin', 'internal', 'other'))
) STRICT;
CREATE INDEX barcodes_product ON barcodes (product_id);

CREATE TABLE bins (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (code <> '')
) STRICT;

-- On hand and allocated (reserved for orders) per product per bin. The checks
-- make the database itself refuse negative or over-allocated stock.
CREATE TABLE stock (
    product_id INTEGER NOT NULL REFERENCES products (id),
    bin_id     INTEGER NOT NULL REFERENCES bins (id),
    on_hand    INTEGER NOT NULL CHECK (on_hand >= 0),
    allocated  INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= on_hand),
    PRIMARY KEY (product_id, bin_id)
) STRICT;

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL,
    channel_order_id TEXT NOT NULL,
    placed_at        TEXT NOT NULL DEFAULT '',
    service_level    TEXT NOT NULL DEFAULT '',
    buyer_email      TEXT NOT NULL DEFAULT '',
    ship_to          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN
                     ('waiting', 'allocated', 'picking', 'picked', 'packing', 'shipped', 'exception')),
    status_reason    TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (channel, channel_order_id)
) STRICT;
CREATE INDEX orders_status ON orders (status, id);

CREATE TABLE order_lines (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    line_no         INTEGER NOT NULL,
    channel_line_id TEXT NOT NULL DEFAULT '',
    sku             TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    qty             INTEGER NOT NULL CHECK (qty > 0),
    price_cents     INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
    verified        INTEGER NOT NULL DEFAULT 0 CHECK (verified >= 0 AND verified <= qty),
    UNIQUE (order_id, line_no)
) STRICT;

-- Stock reserved for an order line in one bin.
CREATE TABLE allocations (
    id            INTEGER PRIMARY KEY,
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id),
    product_id    INTEGER NOT NULL REFERENCES products (id),
    bin_id        INTEGER NOT NULL REFERENCES bins (id),
    qty           INTEGER NOT NULL CHECK (qty > 0)
) STRICT;

-- AUTOINCREMENT: a task returned to the pool is deleted, and its id must not
-- come back as another task's while a handheld may still show it.
CREATE TABLE pick_tasks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    picker       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'done')),
    bin_ok       INTEGER NOT NULL DEFAULT 0,
    tote         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    completed_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX pick_tasks_picker ON pick_tasks (picker, status);

CREATE TABLE pick_lines (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id       INTEGER NOT NULL REFERENCES pick_tasks (id),
    allocation_id INTEGER NOT NULL UNIQUE REFERENCES allocations (id),
    seq           INTEGER NOT NULL,
    qty           INTEGER NOT NULL CHECK (qty > 0),
    picked        INTEGER NOT NULL DEFAULT 0 CHECK (picked >= 0),
    short         INTEGER NOT NULL DEFAULT 0 CHECK (short >= 0),
    CHECK (picked + short <= qty)
) STRICT;

-- A packing station; printer_addr is HOST:PORT of a raw TCP (9100) printer,
-- empty for the spool folder.
CREATE TABLE stations (
    id           TEXT PRIMARY KEY CHECK (id <> ''),
    printer_addr TEXT NOT NULL DEFAULT '',
    order_id     INTEGER REFERENCES orders (id),
    packer       TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE shipments (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    parcel     INTEGER NOT NULL,
    parcels    INTEGER NOT NULL,
    carrier    TEXT NOT NULL,
    service    TEXT NOT NULL,
    tracking   TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE print_jobs (
    id          TEXT PRIMARY KEY,
    station_id  TEXT NOT NULL,
    shipment_id INTEGER REFERENCES shipments (id),
    printer     TEXT NOT NULL,
    data        BLOB NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'printed', 'failed')),
    error       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- Every scan from every source, right or wrong, with the server's verdict.
-- cmd_id makes a replayed command (offline queue, double trigger) count once;
-- ids are the client's own, so they are unique per user only.
CREATE TABLE scans (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user     TEXT NOT NULL,
    place    TEXT NOT NULL CHECK (place IN ('pick', 'pack')),
    station  TEXT NOT NULL DEFAULT '',
    code     TEXT NOT NULL,
    ok       INTEGER NOT NULL,
    message  TEXT NOT NULL,
    cmd_id   TEXT,
    UNIQUE (user, cmd_id)
) STRICT;

-- Who changed what, why and when. Rows are only ever added.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END;
