package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
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

// The derived columns of schema 3, each as the expression that computes it
// for the row aliased %[1]s: written by the statements below, and compared
// by Check with what is stored.
type derivation struct{ column, expr string }

func claimCountCols(a string) []derivation {
	count := func(rel string) string {
		return fmt.Sprintf("(SELECT count(*) FROM evidence e WHERE e.claim = %s.rid AND e.relation = '%s' AND e.guild = '' AND e.live = 1)", a, rel)
	}
	return []derivation{{"g_contra", count("contradicts")}, {"g_support", count("supports")}}
}

// claimSortCols is the order /claims shows a speaker's claims in: status
// rank (contradicted, disputed, supported, unverified) times 4, plus 2
// unless stated, plus 1 unless direct.
func claimSortCols(a string) []derivation {
	return []derivation{{"sort_key", fmt.Sprintf(`(CASE WHEN %[1]s.g_contra > 0 AND %[1]s.g_support > 0 THEN 1 WHEN %[1]s.g_contra > 0 THEN 0
		WHEN %[1]s.g_support > 0 THEN 2 ELSE 3 END) * 4 + (%[1]s.attribution <> 'stated') * 2 + (%[1]s.form <> 'direct')`, a)}}
}

func personCountCols(a string) []derivation {
	claims := func(cond string) string {
		return fmt.Sprintf("(SELECT count(*) FROM claims c WHERE c.speaker = %s.rid AND c.guild = '' AND c.live = 1%s)", a, cond)
	}
	return []derivation{
		{"prominence", fmt.Sprintf("(SELECT count(*) FROM refs WHERE refs.dst = %s.rid)", a)},
		{"n_claims", claims("")},
		{"n_inferred", claims(" AND c.attribution = 'inferred'")},
		{"n_contradicted", claims(" AND c.sort_key BETWEEN 0 AND 3")},
		{"n_disputed", claims(" AND c.sort_key BETWEEN 4 AND 7")},
		{"n_supported", claims(" AND c.sort_key BETWEEN 8 AND 11")},
		{"n_about", fmt.Sprintf("(SELECT count(*) FROM claim_subjects s JOIN claims c ON c.rid = s.claim WHERE s.person = %s.rid AND s.guild = '' AND c.live = 1)", a)},
	}
}

func docCountCols(a string) []derivation {
	return []derivation{
		{"n_excerpts", fmt.Sprintf("(SELECT count(DISTINCT f.src) FROM refs f WHERE f.dst = %s.rid AND f.field IN ('document', 'quoted_from'))", a)},
		{"n_cited", fmt.Sprintf(`(SELECT count(DISTINCT c.src) FROM refs f JOIN refs c ON c.dst = f.src AND c.field = 'excerpt' AND c.src_kind IN ('claim', 'evidence')
			WHERE f.dst = %s.rid AND f.field IN ('document', 'quoted_from'))`, a)},
	}
}

// setCols is "column = expr, ..." for an UPDATE.
func setCols(ds []derivation) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.column + " = " + d.expr
	}
	return strings.Join(parts, ", ")
}

// staleCols is the condition that any of ds stored on row a differs from
// what it derives from.
func staleCols(a string, ds []derivation) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = a + "." + d.column + " <> " + d.expr
	}
	return strings.Join(parts, " OR ")
}

// The statements that keep the derived columns of schema 3 true, for the
// rows that cond selects.
func claimCountsSQL(cond string) string {
	return "UPDATE claims SET " + setCols(claimCountCols("claims")) + " WHERE " + cond
}

func claimSortSQL(cond string) string {
	return "UPDATE claims SET " + setCols(claimSortCols("claims")) + " WHERE " + cond
}

func evidenceSpeakerSQL(cond string) string {
	return "UPDATE evidence SET speaker = (SELECT c.speaker FROM claims c WHERE c.rid = evidence.claim) WHERE " + cond
}

func peopleCountsSQL(cond string) string {
	return "UPDATE people SET " + setCols(personCountCols("people")) + " WHERE " + cond
}

func docCountsSQL(cond string) string {
	cols := docCountCols("d")
	return `INSERT OR REPLACE INTO doc_counts (rid, id, n_excerpts, n_cited, score)
		SELECT rid, id, x, c, x + c FROM (SELECT d.rid, d.id, ` + cols[0].expr + ` AS x, ` + cols[1].expr + ` AS c
		FROM records d WHERE d.kind = 'document' AND ` + cond + `)`
}

// rankSQL copies people's prominence onto the rows of a name table.
func rankSQL(table, cond string) string {
	return "UPDATE " + table + " SET prominence = (SELECT p.prominence FROM people p WHERE p.rid = " + table + ".person) WHERE " + cond
}

// nameTables are the name indexes ordered by prominence.
func nameTables() []string { return []string{"person_names", "name_tokens", "name_prefixes"} }

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
		evidenceSpeakerSQL("1"),
		`DELETE FROM claim_subjects`,
		`INSERT OR IGNORE INTO claim_subjects (person, guild, claim) SELECT f.dst, c.guild, c.rid FROM refs f JOIN claims c ON c.rid = f.src WHERE f.field = 'subject'`,
		claimCountsSQL("1"),
		claimSortSQL("1"),
		`DELETE FROM name_prefixes`,
		fmt.Sprintf(`INSERT OR IGNORE INTO name_prefixes (prefix, person) WITH n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			SELECT substr(t.token, 1, n.i), t.person FROM name_tokens t JOIN n ON n.i <= length(t.token)`, maxPrefix),
		peopleCountsSQL("1"),
		`DELETE FROM doc_counts`,
		docCountsSQL("1"),
		`DELETE FROM kind_counts`,
		`INSERT INTO kind_counts (kind, n) SELECT kind, count(*) FROM records WHERE guild = '' AND retracted = 0 GROUP BY kind`,
	}
	for _, t := range nameTables() {
		stmts = append(stmts, rankSQL(t, "1"))
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
		if _, err := tx.ExecContext(ctx, docCountsSQL("d.rid IN (SELECT value FROM json_each(?))"), jsonRids(docs)); err != nil {
			return dbError(err, "refresh document counts")
		}
	}
	if len(claims) > 0 {
		list := jsonRids(claims)
		const these = "rid IN (SELECT value FROM json_each(?))"
		for _, q := range []string{evidenceSpeakerSQL("claim IN (SELECT value FROM json_each(?))"), claimCountsSQL(these), claimSortSQL(these)} {
			if _, err := tx.ExecContext(ctx, q, list); err != nil {
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
	stmts := []string{peopleCountsSQL("rid IN (SELECT value FROM json_each(?))")}
	for _, t := range nameTables() {
		stmts = append(stmts, rankSQL(t, "person IN (SELECT value FROM json_each(?))"))
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, list); err != nil {
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
