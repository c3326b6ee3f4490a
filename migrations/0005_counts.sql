-- Cycle counts: a counter counts a bin blind (never told what the system
-- expects); the server compares, and either applies the difference as a
-- 'count' movement at once or keeps the count for a supervisor to decide.
--
-- expected is on hand when the count arrived, and ledger_mark the last
-- movement of that (product, bin) then: a supervisor's approval is refused
-- once any later movement exists, since the count no longer describes the
-- bin. status is matched (nothing to move), applied (moved at once),
-- pending (waiting for a supervisor), approved or rejected.
CREATE TABLE counts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    counter     TEXT NOT NULL,
    cmd_id      TEXT,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    bin_id      INTEGER NOT NULL REFERENCES bins (id),
    expected    INTEGER NOT NULL CHECK (expected >= 0),
    counted     INTEGER NOT NULL CHECK (counted >= 0),
    ledger_mark INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('matched', 'applied', 'pending', 'approved', 'rejected')),
    why         TEXT NOT NULL DEFAULT '',
    movement_id INTEGER REFERENCES movements (id),
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    UNIQUE (counter, cmd_id)
) STRICT;
CREATE INDEX counts_status ON counts (status, id);
