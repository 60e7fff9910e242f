-- A change of a variant's level and the mark that its `stock` event is still
-- owed commit together: a trigger sets `stock_pending` whenever `available`
-- changes, whatever statement changed it, and the stock feed clears it in
-- the transaction that publishes the level. A node killed between the two
-- leaves the mark behind, and the next stock feed to look (at start-up, then
-- every few seconds on every node) publishes the level.

ALTER TABLE variants ADD COLUMN stock_pending boolean NOT NULL DEFAULT false;

CREATE INDEX variants_stock_pending ON variants (drop_id) WHERE stock_pending;

CREATE FUNCTION live_drop_mark_stock_pending() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.stock_pending := true; RETURN NEW; END $$;

CREATE TRIGGER variants_stock_pending BEFORE UPDATE OF available ON variants
FOR EACH ROW WHEN (OLD.available IS DISTINCT FROM NEW.available) EXECUTE FUNCTION live_drop_mark_stock_pending();
