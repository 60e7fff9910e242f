-- Live chat (issue 19). A message is `pending` from its commit until a chat
-- event carries it (`published`, under the drop's event lock, so a snapshot
-- that shows an event id shows exactly the messages published up to it),
-- `hidden` when its author is muted (never delivered to others), `removed`
-- when the host took it down. `body_key` is the text folded for the
-- duplicate check.

CREATE TABLE chat_messages (
  id bigserial PRIMARY KEY,
  drop_id text NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
  author_id text NOT NULL,
  author_name text NOT NULL,
  author_mark text CHECK (author_mark IN ('host', 'verified')),
  body text NOT NULL,
  body_key text NOT NULL,
  created_at bigint NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'hidden', 'removed'))
);

CREATE INDEX chat_messages_drop ON chat_messages (drop_id, id);

CREATE INDEX chat_messages_author ON chat_messages (drop_id, author_id, created_at);

CREATE INDEX chat_messages_pending ON chat_messages (drop_id) WHERE state = 'pending';

CREATE INDEX chat_messages_created ON chat_messages (created_at);

CREATE TABLE chat_settings (
  drop_id text PRIMARY KEY REFERENCES drops (id) ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT true,
  slow_mode_seconds integer NOT NULL DEFAULT 0 CHECK (slow_mode_seconds >= 0),
  blocked_terms jsonb NOT NULL DEFAULT '[]',
  pinned_id bigint REFERENCES chat_messages (id) ON DELETE SET NULL
);

CREATE TABLE chat_mutes (
  drop_id text NOT NULL REFERENCES drops (id) ON DELETE CASCADE,
  author_id text NOT NULL,
  muted_at bigint NOT NULL,
  PRIMARY KEY (drop_id, author_id)
);
