-- The waiting line (issue 20). A drop with a line has one drop_lines row: its
-- settings, the draw's seed and commitment (SHA-256 of the seed, published
-- before the start), and the admission state every node shares. A place is
-- one shopper's spot: its public id, the digest of the shopper token (for the
-- pass check on the reservation path), when it joined, its position (set by
-- the draw, or on joining once the draw has run) and when it was admitted.

CREATE TABLE drop_lines (
  drop_id text PRIMARY KEY REFERENCES drops (id) ON DELETE CASCADE,
  join_window_ms bigint NOT NULL,
  grace_ms bigint NOT NULL,
  admit_per_second double precision,
  pass_ms bigint NOT NULL,
  seed text NOT NULL,
  commitment text NOT NULL,
  drawn_at bigint,
  on_time integer NOT NULL DEFAULT 0,
  last_position integer NOT NULL DEFAULT 0,
  admitted_through integer NOT NULL DEFAULT 0,
  admit_clock double precision,
  rate double precision NOT NULL DEFAULT 0,
  paused boolean NOT NULL DEFAULT false,
  published_at bigint NOT NULL DEFAULT 0,
  published_state text NOT NULL DEFAULT ''
);

CREATE TABLE line_places (
  drop_id text NOT NULL REFERENCES drop_lines (drop_id) ON DELETE CASCADE,
  place_id text NOT NULL,
  shopper text NOT NULL,
  seq bigserial NOT NULL,
  joined_at bigint NOT NULL,
  position integer,
  admitted_at bigint,
  left_at bigint,
  PRIMARY KEY (drop_id, place_id),
  UNIQUE (drop_id, shopper)
);

CREATE UNIQUE INDEX line_places_position ON line_places (drop_id, position) WHERE position IS NOT NULL;
