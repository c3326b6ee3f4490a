-- The warehouse's own address: the sender on every courier label. One row.
CREATE TABLE warehouse (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    address    TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
