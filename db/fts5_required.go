//go:build !sqlite_fts5

package db

// OnRecord's search needs SQLite's FTS5, which mattn/go-sqlite3 compiles in
// only with the sqlite_fts5 build tag. This file exists to stop a build
// without it, with an error that names the tag:
//
//	go build -tags sqlite_fts5 -o onrecord .
const _ = build_onrecord_with_tags_sqlite_fts5
