import type { Migration } from './types'

// Results by SMS (issue 15). Numbered after the issue, leaving 0090–0140 to the features built
// beside it. `sms_codes`: each person's 4-character SMS code, only as an scrypt hash (the code is
// shown once, on the credential card). `sms_messages`: every message in and out, with what became
// of it; the SMS code in a stored text is masked. An incoming message is stored once per gateway
// message (sender, time, text): a double delivery finds its key taken.
export const m0150: Migration = {
  version: 150,
  name: 'sms',
  up: `
    CREATE TABLE sms_codes (
      user_id TEXT PRIMARY KEY REFERENCES users (id),
      code_hash TEXT NOT NULL,
      issued_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sms_messages (
      id INTEGER PRIMARY KEY,
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      gateway TEXT NOT NULL CHECK (gateway IN ('gammu', 'android')),
      phone TEXT NOT NULL,            -- normalised 62…
      at TEXT NOT NULL,               -- when the desk took (in) or queued (out) it
      sent_at TEXT,                   -- the gateway's own time of an incoming message
      text TEXT NOT NULL,             -- the SMS code masked
      user_id TEXT,                   -- the registered person, when the number is known
      status TEXT NOT NULL,
      detail TEXT NOT NULL DEFAULT '{}',
      message_key TEXT,               -- SHA-256 of sender, time and text (incoming only)
      reply_to INTEGER REFERENCES sms_messages (id)
    ) STRICT;
    CREATE UNIQUE INDEX sms_messages_key ON sms_messages (message_key) WHERE message_key IS NOT NULL;
    CREATE INDEX sms_messages_by_user ON sms_messages (user_id, id);
    CREATE INDEX sms_messages_by_phone ON sms_messages (phone, id);
  `,
}
