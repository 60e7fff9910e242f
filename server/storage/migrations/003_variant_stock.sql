-- One rule for stock: every unit of a variant is available, held (in a
-- reservation with status 'held', whether or not it has lapsed), sold (in a
-- confirmed one) or not on sale. `stock` is the units on sale in all, so
-- available + held + sold = stock after every commit (stock-ledger.ts checks it
-- with one query). Existing rows keep what they show: stock = available + held + sold.

ALTER TABLE variants ADD COLUMN stock integer;

UPDATE variants v SET stock = v.available + COALESCE((
  SELECT SUM(r.quantity) FROM reservations r
  WHERE r.drop_id = v.drop_id AND r.product_id = v.product_id AND r.variant_id = v.id AND r.status IN ('held', 'confirmed')
), 0);

ALTER TABLE variants ALTER COLUMN stock SET NOT NULL;

ALTER TABLE variants ADD CONSTRAINT variants_available_within_stock CHECK (available <= stock);

-- Counting a variant's held and sold units (host edits, the invariant check) reads only these rows.
CREATE INDEX reservations_variant_units ON reservations (drop_id, product_id, variant_id) WHERE status IN ('held', 'confirmed');
