// Package db is OnRecord's storage: the SQLite knowledge base, and the only
// package that writes SQL.
//
// It owns opening the database (pragmas in the DSN, one writer connection
// and a pool of readers), the embedded numbered migrations, import, export,
// the seed, backups, and one method per use case, each public method its own
// transaction. It returns knowledge types and knowledge errors (a missing
// row is knowledge.CodeNotFound, a duplicate id knowledge.CodeConflict,
// a busy database knowledge.CodeUnavailable), never driver errors to match
// on.
//
// It imports knowledge and mattn/go-sqlite3; never discordgo, commands or
// bot. Build with -tags sqlite_fts5.
package db
