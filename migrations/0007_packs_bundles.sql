-- Pack sizes and bundles.
--
-- A barcode may stand for a case of several units of its product: scanning
-- it at pick or pack counts units at once.
ALTER TABLE barcodes ADD COLUMN units INTEGER NOT NULL DEFAULT 1 CHECK (units > 0);

-- A bundle is a product sold as a set of other products. It has no stock of
-- its own (products.stocked = 0): its availability comes from its
-- components, and an order line for it reserves, picks and packs them.
CREATE TABLE bundle_components (
    bundle_id    INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES products (id),
    qty          INTEGER NOT NULL CHECK (qty > 0),
    PRIMARY KEY (bundle_id, component_id),
    CHECK (bundle_id <> component_id)
) STRICT;
CREATE INDEX bundle_components_component ON bundle_components (component_id);

-- The components an allocated bundle line takes, fixed when it was
-- allocated (a later change of the bundle does not touch orders in flight),
-- and how many of each the packer has verified.
CREATE TABLE line_components (
    id            INTEGER PRIMARY KEY,
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id),
    product_id    INTEGER NOT NULL REFERENCES products (id),
    per_bundle    INTEGER NOT NULL CHECK (per_bundle > 0),
    qty           INTEGER NOT NULL CHECK (qty > 0),
    verified      INTEGER NOT NULL DEFAULT 0 CHECK (verified >= 0 AND verified <= qty),
    UNIQUE (order_line_id, product_id)
) STRICT;
