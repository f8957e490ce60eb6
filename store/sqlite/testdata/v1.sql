-- A citebot.db at schema version 1, as a citebot of that version wrote
-- it, with one record of each kind. Never edit: it is what the migration
-- test upgrades from. Times are Unix nanoseconds.
CREATE TABLE questions (
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
);
INSERT INTO questions (time, guild, channel, user_id, answer_key, kb, question, lang, outcome, cited, stages, tokens)
VALUES (1767261600000000000, 'g1', 'c1', 'u1', 'm1', '', 'Qui dirige la Banque centrale européenne ?', 'fr', 'answered',
        '["001_cb6bb33158675418"]', '{"total":1250000000}', 0);
INSERT INTO votes (time, guild, user_id, answer_key, vote, question, answer, sources, mode, known)
VALUES (1767261660000000000, 'g1', 'u2', 'm1', 'down', 'Qui dirige la Banque centrale européenne ?', 'Christine Lagarde [1].',
        '["001_cb6bb33158675418#2"]', 'offline', 1);
INSERT INTO threads (id, started) VALUES ('t1', 1767261600000000000);
INSERT INTO turns (thread, time, user_id, question, answer) VALUES ('t1', 1767261600000000000, 'u1', 'Et son mandat ?', 'Huit ans [1].');
INSERT INTO answers (key, time, guild, user_id, question, text, mode, sources, passages)
VALUES ('m1', 1767261600000000000, 'g1', 'u1', 'Qui dirige la Banque centrale européenne ?', 'Christine Lagarde [1].', 'offline',
        '["001_cb6bb33158675418#2"]', '[{"ChunkID":"001_cb6bb33158675418#2","DocID":"001_cb6bb33158675418","Title":"BCE","Sum":42,"Fused":0.5,"Vector":0.4,"BM25":3.2}]');
INSERT INTO settings (guild, value, updated) VALUES ('g1', '{"reply_style":"inplace","rate_per_minute":5}', 1767261600000000000);
INSERT INTO kbs (name, corpus, created) VALUES ('jeux', '/srv/articles/jeux', 1767261600000000000);
PRAGMA user_version = 1;
