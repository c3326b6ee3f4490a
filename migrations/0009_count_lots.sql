-- A cycle count may be of one lot: lot names it, '' for the stock in the
-- bin that has no lot. The count's expected quantity and ledger_mark are
-- then of that (product, bin, lot), and its variance moves that lot. Counts
-- made before lots could be counted were of stock without a lot.
ALTER TABLE counts ADD COLUMN lot TEXT NOT NULL DEFAULT '';
