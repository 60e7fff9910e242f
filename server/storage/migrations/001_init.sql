-- live-drop schema, version 1. Timestamps are bigint milliseconds since the epoch.

CREATE TABLE drops (
  id text PRIMARY KEY,
  title text NOT NULL,
  brand text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  starts_at bigint NOT NULL,
  ends_at bigint,
  status text NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
  live_started_at bigint,
  ended_at bigint,
  stream_hls text,
  stream_replay text,
  stream_poster text,
  checkout_url text,
  hold_ms integer NOT NULL CHECK (hold_ms >= 1000),
  featured_product_id text,
  featured_at bigint,
  -- Open event streams on every node, as last published in a `viewers` event.
  viewers integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL
);

CREATE TABLE products (
  drop_id text NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
  id text NOT NULL,
  position integer NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  images jsonb NOT NULL DEFAULT '[]',
  prices jsonb NOT NULL,
  limit_per_customer integer NOT NULL CHECK (limit_per_customer >= 1),
  PRIMARY KEY (drop_id, id)
);

-- `available` is what can still be reserved; the CHECK is the last line of
-- defence: the reserving UPDATE already refuses to go below zero.
CREATE TABLE variants (
  drop_id text NOT NULL,
  product_id text NOT NULL,
  id text NOT NULL,
  position integer NOT NULL,
  label text NOT NULL,
  available integer NOT NULL CHECK (available >= 0),
  PRIMARY KEY (drop_id, product_id, id),
  FOREIGN KEY (drop_id, product_id) REFERENCES products (drop_id, id) ON DELETE CASCADE
);

CREATE TABLE featured_history (
  seq bigserial PRIMARY KEY,
  drop_id text NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
  product_id text NOT NULL,
  at bigint NOT NULL
);
CREATE INDEX featured_history_drop ON featured_history (drop_id, seq);

CREATE TABLE shoppers (
  token text PRIMARY KEY,
  created_at bigint NOT NULL
);

CREATE TABLE reservations (
  id text PRIMARY KEY,
  drop_id text NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
  product_id text NOT NULL,
  variant_id text NOT NULL,
  shopper_token text NOT NULL REFERENCES shoppers (token),
  quantity integer NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('held', 'confirmed', 'released', 'expired')),
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  order_id text UNIQUE,
  confirmed_at bigint
);
CREATE INDEX reservations_held_expiry ON reservations (expires_at) WHERE status = 'held';
CREATE INDEX reservations_shopper ON reservations (shopper_token, drop_id, product_id);
CREATE INDEX reservations_drop_newest ON reservations (drop_id, created_at DESC);

-- One row per (caller, Idempotency-Key): written in the same transaction as
-- the reservation or order it produced, so a retry finds either both or neither.
CREATE TABLE idempotency_keys (
  principal text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  status integer NOT NULL,
  body text NOT NULL, -- the exact JSON first answered, replayed byte for byte
  created_at bigint NOT NULL,
  PRIMARY KEY (principal, key)
);

-- Every event of every drop; the bigserial is the SSE `id:` on every node.
CREATE TABLE drop_events (
  id bigserial PRIMARY KEY,
  drop_id text NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX drop_events_drop ON drop_events (drop_id, id);

-- Open event streams per node and drop; rows not refreshed lately belong to a dead node.
CREATE TABLE viewer_presence (
  node_id text NOT NULL,
  drop_id text NOT NULL,
  count integer NOT NULL,
  seen_at bigint NOT NULL,
  PRIMARY KEY (node_id, drop_id)
);
