-- The stock ledger: every change of on-hand stock is a movement, added in the
-- same transaction that changes stock.on_hand, so that the balance of a
-- (product, bin) always equals the sum of its movements. Rows are only ever
-- added; a mistake is put right by another movement.
CREATE TABLE movements (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    bin_id     INTEGER NOT NULL REFERENCES bins (id),
    lot        TEXT NOT NULL DEFAULT '',
    qty        INTEGER NOT NULL CHECK (qty <> 0),
    reason     TEXT NOT NULL CHECK (reason IN
               ('receive', 'pick', 'pack', 'adjust', 'count', 'move', 'return', 'damage', 'import')),
    user       TEXT NOT NULL,
    reference  TEXT NOT NULL DEFAULT '',
    cmd_id     TEXT,
    detail     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX movements_stock ON movements (product_id, bin_id, id);

-- A client's command id counts once per user. A move is one command with two
-- movements, one out of a bin and one into another, hence the sign in the key.
CREATE UNIQUE INDEX movements_cmd ON movements (user, cmd_id, qty > 0) WHERE cmd_id IS NOT NULL;

CREATE TRIGGER movements_no_update BEFORE UPDATE ON movements
BEGIN SELECT RAISE(ABORT, 'stock movements cannot be changed'); END;
CREATE TRIGGER movements_no_delete BEFORE DELETE ON movements
BEGIN SELECT RAISE(ABORT, 'stock movements cannot be deleted'); END;

-- Stock that existed before the ledger opens it with one movement per row.
INSERT INTO movements (at, product_id, bin_id, qty, reason, user, reference, detail)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), product_id, bin_id, on_hand, 'import', 'migration',
       '0003_ledger', 'opening balance'
FROM stock WHERE on_hand > 0 ORDER BY product_id, bin_id;
