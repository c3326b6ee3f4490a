-- Sales channels, stock held back for one channel (ring fences), and the
-- outbox of available-to-sell changes a sync worker pushes to each channel.
-- Times are RFC 3339 UTC text in whole seconds (2026-03-01T09:00:00Z), so
-- that comparing them as text compares them as times.

CREATE TABLE channels (
    id                    TEXT PRIMARY KEY CHECK (id <> ''),
    name                  TEXT NOT NULL,
    safety_buffer_units   INTEGER NOT NULL DEFAULT 0 CHECK (safety_buffer_units >= 0),
    safety_buffer_percent INTEGER NOT NULL DEFAULT 0
                          CHECK (safety_buffer_percent BETWEEN 0 AND 100),
    max_listed            INTEGER CHECK (max_listed IS NULL OR max_listed >= 0),
    oversell_policy       TEXT NOT NULL DEFAULT 'backorder'
                          CHECK (oversell_policy IN ('refuse', 'backorder')),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;

-- Every channel an order already names exists, with no buffers.
INSERT INTO channels (id, name, created_at, updated_at)
SELECT DISTINCT channel, channel, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM orders WHERE channel <> '';

-- Units of a SKU held for one channel from starts_at until ends_at (open
-- ended when NULL). Ending a fence sets ends_at; rows are kept as history.
-- A fence ended before it started has ends_at = starts_at and never held
-- anything.
CREATE TABLE ring_fences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sku        TEXT NOT NULL CHECK (sku <> ''),
    channel_id TEXT NOT NULL REFERENCES channels (id),
    qty        INTEGER NOT NULL CHECK (qty > 0),
    starts_at  TEXT NOT NULL,
    ends_at    TEXT CHECK (ends_at IS NULL OR ends_at >= starts_at),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX ring_fences_sku ON ring_fences (sku, channel_id);

-- One row per change of a channel's available-to-sell for a SKU, written in
-- the transaction that made the change; sent_at is set once pushed.
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    at                TEXT NOT NULL,
    channel_id        TEXT NOT NULL REFERENCES channels (id),
    sku               TEXT NOT NULL,
    available_to_sell INTEGER NOT NULL CHECK (available_to_sell >= 0),
    sent_at           TEXT
) STRICT;
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- The last available-to-sell written to the outbox per channel and SKU: what
-- a change is compared against, so a transaction writes only real changes.
CREATE TABLE channel_listings (
    channel_id        TEXT NOT NULL REFERENCES channels (id),
    sku               TEXT NOT NULL,
    available_to_sell INTEGER NOT NULL,
    PRIMARY KEY (channel_id, sku)
) STRICT;
