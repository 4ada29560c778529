// The store's schema and its named statements, in one place.

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  rev INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, object TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  rev INTEGER NOT NULL, object TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, pod_uid TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS containers_by_pod ON containers (pod_uid);
CREATE INDEX IF NOT EXISTS events_by_rev ON objects (rev) WHERE kind = 'Event';
CREATE INDEX IF NOT EXISTS events_by_involved_uid ON objects (json_extract(object, '$.involvedObject.uid'))
  WHERE kind = 'Event';
`;
export const INSERT_LOG = 'INSERT INTO log (rev, kind, namespace, name, type, object) VALUES (?, ?, ?, ?, ?, ?)';
export const UPSERT_OBJECT =
  'INSERT INTO objects (kind, namespace, name, rev, object) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, namespace, name) DO UPDATE SET rev = excluded.rev, object = excluded.object';
export const DELETE_OBJECT = 'DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?';
export const GET_OBJECT = 'SELECT rev, object FROM objects WHERE kind = ? AND namespace = ? AND name = ?';
export const GET_REV = 'SELECT rev FROM objects WHERE kind = ? AND namespace = ? AND name = ?';
export const LIST_NS = 'SELECT object FROM objects WHERE kind = ? AND namespace = ? ORDER BY name';
export const NAMESPACES_IN_USE = "SELECT DISTINCT namespace FROM objects WHERE namespace != ''";
export const LIST_ALL = 'SELECT object FROM objects WHERE kind = ? ORDER BY namespace, name';
export const EVENT_KEYS_UP_TO_REV =
  "SELECT namespace, name FROM objects INDEXED BY events_by_rev WHERE kind = 'Event' AND rev <= ? ORDER BY rev LIMIT ?";
export const EVENTS_ABOUT_NS =
  "SELECT object FROM objects INDEXED BY events_by_involved_uid WHERE kind = 'Event' AND json_extract(object, '$.involvedObject.uid') = ? AND namespace = ? ORDER BY name";
export const EVENTS_ABOUT_ALL =
  "SELECT object FROM objects INDEXED BY events_by_involved_uid WHERE kind = 'Event' AND json_extract(object, '$.involvedObject.uid') = ? ORDER BY namespace, name";
export const ALL_OWNED = 'SELECT object FROM objects WHERE object LIKE \'%"ownerReferences"%\'';
export const LOG_AFTER = 'SELECT rev, type, object FROM log WHERE rev > ? AND kind = ? ORDER BY rev';
export const MIN_REV = 'SELECT MIN(rev) AS rev FROM log';
export const MAX_REV = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'log'), 0) AS rev";
export const COMPACT = 'DELETE FROM log WHERE rev <= ?';
export const CONTAINER_ADD = 'INSERT OR IGNORE INTO containers (id, pod_uid) VALUES (?, ?)';
export const CONTAINER_REMOVE = 'DELETE FROM containers WHERE id = ?';
export const CONTAINER_LIST = 'SELECT id FROM containers';
export const CONTAINER_LIST_OF_POD = 'SELECT id FROM containers WHERE pod_uid = ?';
export const META_GET = 'SELECT value FROM meta WHERE key = ?';
export const META_SET =
  'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
