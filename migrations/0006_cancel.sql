-- Orders may be cancelled. SQLite cannot change a CHECK in place, so the
-- orders table is rebuilt with 'cancelled' among its statuses, keeping every
-- row and id.
--
-- Dropping a parent table with foreign keys on deletes its rows first, which
-- would orphan order lines, pick tasks, stations and shipments. With the
-- checks deferred to commit, the rows put back into the new orders table
-- satisfy those references again before the transaction ends; a row lost on
-- the way would fail the commit and leave the database as it was.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE orders_0006 AS SELECT * FROM orders;
DROP TABLE orders;

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
                     ('waiting', 'allocated', 'picking', 'picked', 'packing', 'shipped', 'exception',
                      'cancelled')),
    status_reason    TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (channel, channel_order_id)
) STRICT;
CREATE INDEX orders_status ON orders (status, id);

INSERT INTO orders (id, number, channel, channel_order_id, placed_at, service_level, buyer_email,
                    ship_to, status, status_reason, created_at, updated_at)
SELECT id, number, channel, channel_order_id, placed_at, service_level, buyer_email,
       ship_to, status, status_reason, created_at, updated_at
FROM orders_0006 ORDER BY id;
DROP TABLE orders_0006;
