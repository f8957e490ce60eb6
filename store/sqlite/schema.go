package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's versions, in order: migrations[i] takes a
// database from version i to version i+1 (PRAGMA user_version). A
// released migration is never edited, only followed by a new one, so
// that every file ever written can be brought up to date; the test
// opens testdata/v*.sql fixtures of each earlier version.
var migrations = []string{
	// Version 1. Times are Unix nanoseconds (UTC); lists and maps are JSON.
	`CREATE TABLE questions (
		id         INTEGER PRIMARY KEY,
		time       INTEGER NOT NULL,
		guild      TEXT NOT NULL DEFAULT '',
		channel    TEXT NOT NULL DEFAULT '',
		user_id    TEXT NOT NULL DEFAULT '',
		answer_key TEXT NOT NULL DEFAULT '',
		kb         TEXT NOT NULL DEFAULT '',
		question   TEXT NOT NULL,
		lang       TEXT NOT NULL DEFAULT '',
		outcome    TEXT NOT NULL,
		cited      TEXT NOT NULL DEFAULT '[]',
		stages     TEXT NOT NULL DEFAULT '{}',
		tokens     INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX questions_time ON questions(time);
	CREATE INDEX questions_user ON questions(user_id);
	CREATE TABLE votes (
		id         INTEGER PRIMARY KEY,
		time       INTEGER NOT NULL,
		guild      TEXT NOT NULL DEFAULT '',
		user_id    TEXT NOT NULL DEFAULT '',
		answer_key TEXT NOT NULL DEFAULT '',
		vote       TEXT NOT NULL,
		question   TEXT NOT NULL DEFAULT '',
		answer     TEXT NOT NULL DEFAULT '',
		sources    TEXT NOT NULL DEFAULT '[]',
		mode       TEXT NOT NULL DEFAULT '',
		known      INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX votes_time ON votes(time);
	CREATE INDEX votes_user ON votes(user_id);
	CREATE TABLE threads (
		id      TEXT PRIMARY KEY,
		started INTEGER NOT NULL
	);
	CREATE TABLE turns (
		seq      INTEGER PRIMARY KEY,
		thread   TEXT NOT NULL,
		time     INTEGER NOT NULL,
		user_id  TEXT NOT NULL DEFAULT '',
		question TEXT NOT NULL,
		answer   TEXT NOT NULL
	);
	CREATE INDEX turns_thread ON turns(thread, seq);
	CREATE INDEX turns_user ON turns(user_id);
	CREATE INDEX turns_time ON turns(time);
	CREATE TABLE answers (
		key      TEXT PRIMARY KEY,
		time     INTEGER NOT NULL,
		guild    TEXT NOT NULL DEFAULT '',
		user_id  TEXT NOT NULL DEFAULT '',
		question TEXT NOT NULL DEFAULT '',
		text     TEXT NOT NULL DEFAULT '',
		mode     TEXT NOT NULL DEFAULT '',
		sources  TEXT NOT NULL DEFAULT '[]',
		passages TEXT NOT NULL DEFAULT '[]'
	);
	CREATE INDEX answers_time ON answers(time);
	CREATE INDEX answers_user ON answers(user_id);
	CREATE TABLE settings (
		guild   TEXT PRIMARY KEY,
		value   TEXT NOT NULL,
		updated INTEGER NOT NULL
	);
	CREATE TABLE kbs (
		name    TEXT PRIMARY KEY,
		corpus  TEXT NOT NULL,
		created INTEGER NOT NULL
	);
	CREATE TABLE imports (
		name  TEXT PRIMARY KEY,
		time  INTEGER NOT NULL,
		count INTEGER NOT NULL
	);`,
}

// migrate brings db to the latest version of the schema, one step per
// transaction, so that a crash leaves it at a known version. The version
// is read inside each (immediate) transaction: two processes opening a new
// file at once take turns, and the second finds the work done. A file
// from a newer citebot is refused rather than written with an older idea
// of its tables.
func migrate(ctx context.Context, db *sql.DB, steps []string) error {
	for {
		done, err := migrateStep(ctx, db, steps)
		if done || err != nil {
			return err
		}
	}
}

// migrateStep applies the next step, or says there is none.
func migrateStep(ctx context.Context, db *sql.DB, steps []string) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, err
	}
	if version > len(steps) {
		return false, fmt.Errorf("%w: schema version %d, this citebot knows up to %d", ErrNewer, version, len(steps))
	}
	if version == len(steps) {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, steps[version]); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", version+1, err)
	}
	// PRAGMA takes no parameters; version+1 is an integer we computed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1)); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", version+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", version+1, err)
	}
	return false, nil
}
