import type { Migration } from './types'

// Events written in the same transaction as the change they announce: the id is monotonic and
// durable, so a board reconnecting with Last-Event-ID (even after a desk restart) misses nothing.
export const m0030: Migration = {
  version: 30,
  name: 'events',
  up: `
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL,
      type TEXT NOT NULL,
      data TEXT NOT NULL
    ) STRICT;
  `,
}
