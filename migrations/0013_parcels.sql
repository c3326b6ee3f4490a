-- Parcels and consignments. A packer fills an order's parcels at a station
-- (parcel k of the order holds the items verified into it, with its box,
-- weight and size); releasing the labels buys one consignment from a courier
-- covering every parcel, and each parcel's label is a row of shipments (its
-- tracking number, SSCC and print job). Adding a parcel after release voids
-- the consignment and buys a new one, so labels always say k/N of the parcels
-- that exist. The end-of-day manifest closes a courier's active consignments.
-- Times are RFC 3339 UTC text; ship_date and day are the warehouse's civil
-- date, YYYY-MM-DD.

CREATE TABLE parcels (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    seq        INTEGER NOT NULL CHECK (seq >= 1),           -- k of k/N
    box        TEXT NOT NULL DEFAULT '',                    -- box code or size name
    weight_g   INTEGER CHECK (weight_g IS NULL OR weight_g > 0),
    length_mm  INTEGER CHECK (length_mm IS NULL OR length_mm > 0),
    width_mm   INTEGER CHECK (width_mm IS NULL OR width_mm > 0),
    height_mm  INTEGER CHECK (height_mm IS NULL OR height_mm > 0),
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (order_id, seq)
) STRICT;

-- What was verified into each parcel: units of an order line (or of one
-- component of a bundle line).
CREATE TABLE parcel_items (
    parcel_id     INTEGER NOT NULL REFERENCES parcels (id),
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id),
    sku           TEXT NOT NULL,
    qty           INTEGER NOT NULL CHECK (qty > 0),
    PRIMARY KEY (parcel_id, order_line_id, sku)
) STRICT;

CREATE TABLE manifests (
    id            INTEGER PRIMARY KEY,
    courier       TEXT NOT NULL,                 -- the configured courier's name
    day           TEXT NOT NULL,                 -- YYYY-MM-DD in the warehouse's zone
    courier_ref   TEXT NOT NULL DEFAULT '',      -- the courier's id of its close-out
    document      BLOB,
    document_type TEXT NOT NULL DEFAULT '',
    document_url  TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE consignments (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    courier     TEXT NOT NULL,                  -- the configured courier's name: local, easypost
    courier_ref TEXT NOT NULL DEFAULT '',       -- the courier's shipment id(s), for void and manifest
    carrier     TEXT NOT NULL DEFAULT '',       -- who carries it, as printed
    service_id  TEXT NOT NULL DEFAULT '',       -- services.id chosen (or picked by the packer)
    service     TEXT NOT NULL DEFAULT '',       -- the courier's service code
    ship_date   TEXT NOT NULL DEFAULT '',
    parcels     INTEGER NOT NULL CHECK (parcels >= 1),
    status      TEXT NOT NULL CHECK (status IN ('buying', 'active', 'failed', 'voided')),
    error       TEXT NOT NULL DEFAULT '',
    override    TEXT NOT NULL DEFAULT '',       -- a supervisor's reason to release unverified
    cost_cents  INTEGER,
    currency    TEXT NOT NULL DEFAULT '',
    manifest_id INTEGER REFERENCES manifests (id),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    voided_at   TEXT
) STRICT;

CREATE INDEX consignments_order ON consignments (order_id);
CREATE INDEX consignments_open ON consignments (courier, status) WHERE manifest_id IS NULL;

ALTER TABLE shipments ADD COLUMN consignment_id INTEGER REFERENCES consignments (id);
ALTER TABLE shipments ADD COLUMN parcel_id INTEGER REFERENCES parcels (id);
ALTER TABLE shipments ADD COLUMN sscc TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN tracking_url TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1));

-- The GS1 company prefix SSCCs are made with; '' when the warehouse has
-- none, and labels then carry no SSCC.
ALTER TABLE warehouse ADD COLUMN gs1_prefix TEXT NOT NULL DEFAULT '';

-- Despatches a channel sync worker pushes to the channel (tracking back to
-- the customer), written in the transaction that ships the order.
CREATE TABLE fulfilment_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at               TEXT NOT NULL,
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    channel_id       TEXT NOT NULL,
    channel_order_id TEXT NOT NULL,
    consignment_id   INTEGER NOT NULL REFERENCES consignments (id),
    kind             TEXT NOT NULL CHECK (kind IN ('shipped', 'voided')),
    payload          TEXT NOT NULL,                -- JSON: carrier, service, tracking numbers and URLs
    sent_at          TEXT
) STRICT;

CREATE INDEX fulfilment_outbox_unsent ON fulfilment_outbox (id) WHERE sent_at IS NULL;
