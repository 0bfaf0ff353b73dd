package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// invariants are what Check verifies beyond SQLite's own checks: each
// query lists the ids of records that break one, at most 20 of them.
func invariants() []struct{ what, query string } {
	return []struct{ what, query string }{
		{"a person without its people row", `SELECT id FROM records r WHERE kind = 'person' AND NOT EXISTS (SELECT 1 FROM people p WHERE p.rid = r.rid) LIMIT 20`},
		{"a person without name forms", `SELECT id FROM records r WHERE kind = 'person' AND NOT EXISTS (SELECT 1 FROM person_names n WHERE n.person = r.rid) LIMIT 20`},
		{"a claim without its claims row", `SELECT id FROM records r WHERE kind = 'claim' AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.rid = r.rid) LIMIT 20`},
		{"evidence without its evidence row", `SELECT id FROM records r WHERE kind = 'evidence' AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.rid = r.rid) LIMIT 20`},
		{"an index row without its record", `SELECT 'rid ' || rid FROM (SELECT rid FROM people UNION ALL SELECT rid FROM claims UNION ALL SELECT rid FROM evidence) x
		WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.rid = x.rid) LIMIT 20`},
		{"a timeline row whose derived columns are stale", `SELECT r.id FROM dated d JOIN records r ON r.rid = d.rid WHERE d.id <> r.id OR d.guild <> r.guild
			OR d.live <> 1 - r.retracted OR d.kind_rank <> CASE r.kind WHEN 'document' THEN 0 WHEN 'event' THEN 1 ELSE 2 END LIMIT 20`},
		{"a document whose counts are stale", `SELECT d.id FROM records d LEFT JOIN doc_counts dc ON dc.rid = d.rid WHERE d.kind = 'document' AND (dc.rid IS NULL OR dc.id <> d.id
			OR ` + staleCols("dc", docCountCols("d")) + ` OR dc.score <> dc.n_excerpts + dc.n_cited) LIMIT 20`},
		{"a kind whose shared count is stale", `SELECT kind FROM (SELECT kind, count(*) AS n FROM records WHERE guild = '' AND retracted = 0 GROUP BY kind) c
			WHERE n <> coalesce((SELECT n FROM kind_counts k WHERE k.kind = c.kind), 0)
			UNION SELECT kind FROM kind_counts k WHERE n <> 0 AND NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = k.kind AND r.guild = '' AND r.retracted = 0) LIMIT 20`},
		{"a reference without its kind", `SELECT r.id FROM refs f JOIN records r ON r.rid = f.src WHERE f.src_kind <> r.kind LIMIT 20`},
		{"a record missing from full-text search", `SELECT id FROM records r WHERE NOT EXISTS (SELECT 1 FROM search s WHERE s.rowid = r.rid) LIMIT 20`},
		{"a search row without its record", `SELECT 'rid ' || rowid FROM search s WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.rid = s.rowid) LIMIT 20`},
		{"a record whose data is not JSON", `SELECT id FROM records WHERE NOT json_valid(data) LIMIT 20`},
		{"a record missing earlier versions", `SELECT id FROM records r WHERE (SELECT count(*) FROM versions v WHERE v.rid = r.rid) <> r.version - 1 LIMIT 20`},
		{"a claim whose derived columns are stale", `SELECT c.id FROM claims c JOIN records r ON r.rid = c.rid WHERE c.id <> r.id OR c.guild <> r.guild OR c.live <> 1 - r.retracted
			OR ` + staleCols("c", claimCountCols("c")) + ` OR ` + staleCols("c", claimSortCols("c")) + ` LIMIT 20`},
		{"evidence whose derived columns are stale", `SELECT r.id FROM evidence e JOIN records r ON r.rid = e.rid WHERE e.guild <> r.guild OR e.live <> 1 - r.retracted
			OR e.speaker IS NOT (SELECT c.speaker FROM claims c WHERE c.rid = e.claim) LIMIT 20`},
		{"a person whose counts are stale", `SELECT r.id FROM people p JOIN records r ON r.rid = p.rid WHERE
			` + staleCols("p", personCountCols("p")) + `
			OR EXISTS (SELECT 1 FROM person_names n WHERE n.person = p.rid AND n.prominence <> p.prominence)
			OR EXISTS (SELECT 1 FROM name_prefixes n WHERE n.person = p.rid AND n.prominence <> p.prominence)
			OR EXISTS (SELECT 1 FROM name_tokens t WHERE t.person = p.rid AND NOT EXISTS (SELECT 1 FROM name_prefixes n WHERE n.person = p.rid AND n.prefix = substr(t.token, 1, 10)))
			LIMIT 20`},
		{"a claim's subjects out of step", `SELECT r.id FROM records r WHERE r.kind = 'claim' AND
			(SELECT count(*) FROM refs f WHERE f.src = r.rid AND f.field = 'subject') <> (SELECT count(*) FROM claim_subjects s WHERE s.claim = r.rid AND s.guild = r.guild) LIMIT 20`},
		{"a change without its audit row", `SELECT id FROM records r WHERE r.action NOT IN ('import', '') AND r.actor <> ''
		AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.record_id = r.id) LIMIT 20`},
	}
}

// Check verifies the database: SQLite's integrity and foreign-key checks,
// the full-text index's own check, and that every record has the index
// rows, earlier versions and audit row its writes make. It returns each
// problem found, as a line naming the records; none means the database is
// whole. The error is for a database that cannot be checked at all.
func (s *Store) Check(ctx context.Context) ([]string, error) {
	// A connection of its own, opened for the check: FTS5's part of
	// integrity_check trusts the structure a long-lived connection has
	// cached, and reports corruption that is not there when another
	// connection has written since (reads revalidate it; the check does
	// not).
	c := sql.OpenDB(connector{dsn: dsn(s.path, true)})
	defer c.Close()
	c.SetMaxOpenConns(1)
	var problems []string
	rows, err := c.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, dbError(err, "integrity check")
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, dbError(err, "integrity check")
		}
		if line != "ok" {
			problems = append(problems, "integrity: "+line)
		}
	}
	rows.Close()
	fk, err := c.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, dbError(err, "foreign key check")
	}
	for fk.Next() {
		var table, parent string
		var rowid, idx any
		if err := fk.Scan(&table, &rowid, &parent, &idx); err != nil {
			fk.Close()
			return nil, dbError(err, "foreign key check")
		}
		problems = append(problems, fmt.Sprintf("foreign key: a row of %s (rowid %v) names a missing row of %s", table, rowid, parent))
	}
	fk.Close()
	// FTS5's own check compares the index with its content; it needs a
	// writable connection, and writes nothing.
	if _, err := s.w.ExecContext(ctx, "INSERT INTO search (search, rank) VALUES ('integrity-check', 1)"); err != nil {
		problems = append(problems, "full-text index: "+err.Error())
	}
	for _, inv := range invariants() {
		rows, err := c.QueryContext(ctx, inv.query)
		if err != nil {
			return nil, dbError(err, "check "+inv.what)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, dbError(err, "check "+inv.what)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) > 0 {
			problems = append(problems, inv.what+": "+strings.Join(ids, ", "))
		}
	}
	return problems, nil
}
