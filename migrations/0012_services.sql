-- Courier services with their daily cut-off, and the rule table that picks
-- a service for a shipment. Lists (days, holidays, channels, levels,
-- countries) are stored comma-separated, as the store normalized them; "*"
-- in a rule's list matches anything.
CREATE TABLE services (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    courier    TEXT NOT NULL CHECK (courier <> ''),
    code       TEXT NOT NULL CHECK (code <> ''),
    name       TEXT NOT NULL,
    cutoff     TEXT NOT NULL CHECK (length(cutoff) = 5),
    days       TEXT NOT NULL CHECK (days <> ''),
    holidays   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE service_rules (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    priority   INTEGER NOT NULL DEFAULT 0,
    channels   TEXT NOT NULL DEFAULT '*',
    levels     TEXT NOT NULL DEFAULT '*',
    countries  TEXT NOT NULL DEFAULT '*',
    min_grams  INTEGER NOT NULL DEFAULT 0 CHECK (min_grams >= 0),
    max_grams  INTEGER NOT NULL DEFAULT 0 CHECK (max_grams = 0 OR max_grams > min_grams),
    service_id TEXT NOT NULL REFERENCES services (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX service_rules_service ON service_rules (service_id);
