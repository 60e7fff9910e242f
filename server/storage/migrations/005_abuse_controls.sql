-- Abuse controls. Shopper tokens expire and expired shoppers are deleted, while
-- their reservations and orders stay (keyed by the token's digest), so the
-- reference from reservations to shoppers goes. A reservation remembers the
-- client address it came from while it is held, for the per-address cap on
-- concurrent holds; housekeeping clears it once the hold has ended.

ALTER TABLE reservations DROP CONSTRAINT reservations_shopper_token_fkey;

ALTER TABLE reservations ADD COLUMN client_ip text;

CREATE INDEX reservations_client_ip ON reservations (client_ip) WHERE client_ip IS NOT NULL;

CREATE INDEX shoppers_created ON shoppers (created_at);
