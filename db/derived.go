package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// maxPrefix is the longest name-word prefix kept in name_prefixes; longer
// typed prefixes are looked up by their first maxPrefix characters and
// checked against the words.
const maxPrefix = 10

// prefixes returns the prefixes of a name word that name_prefixes holds,
// counted in characters as SQLite's substr counts them.
func prefixes(tok string) []string {
	r := []rune(tok)
	out := make([]string, 0, min(len(r), maxPrefix))
	for i := 1; i <= min(len(r), maxPrefix); i++ {
		out = append(out, string(r[:i]))
	}
	return out
}

// The statements that keep the derived columns of schema 3 true. Each has
// one %s: the condition selecting the rows to recompute.
const (
	claimCountsSQL = `UPDATE claims SET
		g_contra = (SELECT count(*) FROM evidence e WHERE e.claim = claims.rid AND e.relation = 'contradicts' AND e.guild = '' AND e.live = 1),
		g_support = (SELECT count(*) FROM evidence e WHERE e.claim = claims.rid AND e.relation = 'supports' AND e.guild = '' AND e.live = 1)
		WHERE %s`
	claimSortSQL = `UPDATE claims SET sort_key =
		(CASE WHEN g_contra > 0 AND g_support > 0 THEN 1 WHEN g_contra > 0 THEN 0 WHEN g_support > 0 THEN 2 ELSE 3 END) * 4
		+ (attribution <> 'stated') * 2 + (form <> 'direct') WHERE %s`
	evidenceSpeakerSQL = `UPDATE evidence SET speaker = (SELECT c.speaker FROM claims c WHERE c.rid = evidence.claim) WHERE %s`
	peopleCountsSQL    = `UPDATE people SET
		prominence = (SELECT count(*) FROM refs WHERE refs.dst = people.rid),
		n_claims = (SELECT count(*) FROM claims c WHERE c.speaker = people.rid AND c.guild = '' AND c.live = 1),
		n_inferred = (SELECT count(*) FROM claims c WHERE c.speaker = people.rid AND c.guild = '' AND c.live = 1 AND c.attribution = 'inferred'),
		n_contradicted = (SELECT count(*) FROM claims c WHERE c.speaker = people.rid AND c.guild = '' AND c.live = 1 AND c.sort_key BETWEEN 0 AND 3),
		n_disputed = (SELECT count(*) FROM claims c WHERE c.speaker = people.rid AND c.guild = '' AND c.live = 1 AND c.sort_key BETWEEN 4 AND 7),
		n_supported = (SELECT count(*) FROM claims c WHERE c.speaker = people.rid AND c.guild = '' AND c.live = 1 AND c.sort_key BETWEEN 8 AND 11),
		n_about = (SELECT count(*) FROM claim_subjects s JOIN claims c ON c.rid = s.claim WHERE s.person = people.rid AND s.guild = '' AND c.live = 1)
		WHERE %s`
	docCountsSQL = `INSERT OR REPLACE INTO doc_counts (rid, id, n_excerpts, n_cited, score)
		SELECT rid, id, x, c, x + c FROM (SELECT d.rid, d.id,
			(SELECT count(DISTINCT f.src) FROM refs f WHERE f.dst = d.rid AND f.field IN ('document', 'quoted_from')) AS x,
			(SELECT count(DISTINCT c.src) FROM refs f JOIN refs c ON c.dst = f.src AND c.field = 'excerpt' AND c.src_kind IN ('claim', 'evidence')
				WHERE f.dst = d.rid AND f.field IN ('document', 'quoted_from')) AS c
		FROM records d WHERE d.kind = 'document' AND %s)`
	namesRankSQL    = `UPDATE person_names SET prominence = (SELECT p.prominence FROM people p WHERE p.rid = person_names.person) WHERE %s`
	tokensRankSQL   = `UPDATE name_tokens SET prominence = (SELECT p.prominence FROM people p WHERE p.rid = name_tokens.person) WHERE %s`
	prefixesRankSQL = `UPDATE name_prefixes SET prominence = (SELECT p.prominence FROM people p WHERE p.rid = name_prefixes.person) WHERE %s`
)

// rebuildDerived recomputes every derived column and table of schema 3
// from the records and their first-order indexes: after the migration that
// adds them, and after an import or a seeding.
func rebuildDerived(ctx context.Context, tx *sql.Tx) error {
	stmts := []string{
		`UPDATE refs SET src_kind = r.kind FROM records r WHERE r.rid = refs.src`,
		`UPDATE claims SET id = r.id, guild = r.guild, live = 1 - r.retracted FROM records r WHERE r.rid = claims.rid`,
		`UPDATE evidence SET guild = r.guild, live = 1 - r.retracted FROM records r WHERE r.rid = evidence.rid`,
		`UPDATE dated SET id = r.id, guild = r.guild, live = 1 - r.retracted,
			kind_rank = CASE r.kind WHEN 'document' THEN 0 WHEN 'event' THEN 1 ELSE 2 END FROM records r WHERE r.rid = dated.rid`,
		fmt.Sprintf(evidenceSpeakerSQL, "1"),
		`DELETE FROM claim_subjects`,
		`INSERT OR IGNORE INTO claim_subjects (person, guild, claim) SELECT f.dst, c.guild, c.rid FROM refs f JOIN claims c ON c.rid = f.src WHERE f.field = 'subject'`,
		fmt.Sprintf(claimCountsSQL, "1"),
		fmt.Sprintf(claimSortSQL, "1"),
		`DELETE FROM name_prefixes`,
		fmt.Sprintf(`INSERT OR IGNORE INTO name_prefixes (prefix, person) WITH n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			SELECT substr(t.token, 1, n.i), t.person FROM name_tokens t JOIN n ON n.i <= length(t.token)`, maxPrefix),
		fmt.Sprintf(peopleCountsSQL, "1"),
		`DELETE FROM doc_counts`,
		fmt.Sprintf(docCountsSQL, "1"),
		`DELETE FROM kind_counts`,
		`INSERT INTO kind_counts (kind, n) SELECT kind, count(*) FROM records WHERE guild = '' AND retracted = 0 GROUP BY kind`,
		fmt.Sprintf(namesRankSQL, "1"),
		fmt.Sprintf(tokensRankSQL, "1"),
		fmt.Sprintf(prefixesRankSQL, "1"),
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return dbError(err, "rebuild derived indexes")
		}
	}
	return nil
}

// refreshDerived recomputes the derived columns for the claims, people and
// documents a write touched: the documents' counts, the claims' evidence
// counts and order, then the counts and prominence of the people touched
// and of those claims' speakers and subjects.
func refreshDerived(ctx context.Context, tx *sql.Tx, claims, people, docs map[int64]bool) error {
	if len(docs) > 0 {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(docCountsSQL, "d.rid IN (SELECT value FROM json_each(?))"), jsonRids(docs)); err != nil {
			return dbError(err, "refresh document counts")
		}
	}
	if len(claims) > 0 {
		list := jsonRids(claims)
		for _, q := range []string{evidenceSpeakerSQL, claimCountsSQL, claimSortSQL} {
			cond := "rid IN (SELECT value FROM json_each(?))"
			if q == evidenceSpeakerSQL {
				cond = "claim IN (SELECT value FROM json_each(?))"
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(q, cond), list); err != nil {
				return dbError(err, "refresh claims")
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT speaker FROM claims WHERE rid IN (SELECT value FROM json_each(?1)) AND speaker IS NOT NULL
			UNION SELECT person FROM claim_subjects WHERE claim IN (SELECT value FROM json_each(?1))`, list)
		if err != nil {
			return dbError(err, "refresh claims")
		}
		people = maps.Clone(people)
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				rows.Close()
				return dbError(err, "refresh claims")
			}
			people[rid] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError(err, "refresh claims")
		}
	}
	if len(people) == 0 {
		return nil
	}
	list := jsonRids(people)
	for _, q := range []struct{ sql, col string }{{peopleCountsSQL, "rid"}, {namesRankSQL, "person"}, {tokensRankSQL, "person"}, {prefixesRankSQL, "person"}} {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(q.sql, q.col+" IN (SELECT value FROM json_each(?))"), list); err != nil {
			return dbError(err, "refresh people")
		}
	}
	return nil
}

// countKind adds delta to the count of live shared records of kind.
func countKind(ctx context.Context, tx *sql.Tx, kind string, delta int) error {
	if delta == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO kind_counts (kind, n) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET n = n + excluded.n", kind, delta)
	return dbError(err, "count records")
}

func jsonRids(m map[int64]bool) string {
	rids := slices.Sorted(maps.Keys(m))
	b, _ := json.Marshal(rids)
	return string(b)
}
