-- Stock may carry a lot, and a lot an expiry date. A stock balance is now
-- kept per (product, bin, lot), with lot '' for stock that has none, so the
-- primary key changes and the table is rebuilt; every existing row becomes
-- lot '' with its balance and allocation unchanged. Nothing refers to stock
-- rows by key, so a plain copy, drop and rename keeps every reference intact.
CREATE TABLE stock_0008 (
    product_id INTEGER NOT NULL REFERENCES products (id),
    bin_id     INTEGER NOT NULL REFERENCES bins (id),
    lot        TEXT NOT NULL DEFAULT '',
    on_hand    INTEGER NOT NULL CHECK (on_hand >= 0),
    allocated  INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= on_hand),
    PRIMARY KEY (product_id, bin_id, lot)
) STRICT;

INSERT INTO stock_0008 (product_id, bin_id, lot, on_hand, allocated)
SELECT product_id, bin_id, '', on_hand, allocated FROM stock ORDER BY product_id, bin_id;
DROP TABLE stock;
ALTER TABLE stock_0008 RENAME TO stock;

-- A lot's expiry date belongs to the lot, not to a bin: the same lot in two
-- bins expires on the same day. Lot '' has no row here; a lot without a row
-- or with expiry '' does not expire.
CREATE TABLE lots (
    product_id INTEGER NOT NULL REFERENCES products (id),
    lot        TEXT NOT NULL CHECK (lot <> ''),
    expiry     TEXT NOT NULL DEFAULT '' CHECK (expiry = '' OR
               expiry GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    PRIMARY KEY (product_id, lot)
) STRICT;

-- An allocation reserves units of one lot; the allocations made before lots
-- existed are of lot ''.
ALTER TABLE allocations ADD COLUMN lot TEXT NOT NULL DEFAULT '';
