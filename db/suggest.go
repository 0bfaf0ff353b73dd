package db

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

// MaxChoices is how many choices an autocomplete answer may hold (Discord's limit).
const MaxChoices = 25

// Suggest returns autocomplete choices for an option naming a record of
// kind ("person", "claim" or "document") from what the user has typed so
// far, among the records visible in scope. Every query it makes is
// bounded, so its cost does not grow with how many records match.
func (s *Store) Suggest(ctx context.Context, scope knowledge.Scope, kind, typed string) ([]knowledge.Choice, error) {
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return nil, err
	}
	defer r.close()
	typed = strings.TrimSpace(typed)
	switch kind {
	case "person":
		return r.suggestPeople(typed)
	case "claim":
		return r.suggestRecords("claim", typed)
	case "document":
		return r.suggestRecords("document", typed)
	}
	return nil, fmt.Errorf("no suggestions for %q", kind)
}

func (r *reader) suggestPeople(typed string) ([]knowledge.Choice, error) {
	var rids []int64
	collect := func(q string, args ...any) error {
		rows, err := r.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				return dbError(err, "scan suggestions")
			}
			rids = union(rids, []int64{rid})
		}
		return dbError(rows.Err(), "suggestions")
	}
	if knowledge.ValidID(typed, "person") || strings.HasPrefix(typed, "p-") {
		if err := collect("SELECT rid FROM records WHERE id >= ? AND id < ? AND kind = 'person' LIMIT 25", typed, typed+"\xff"); err != nil {
			return nil, err
		}
	}
	q := nameWords(typed)
	switch {
	case len(q) > maxNameWords:
		return nil, nil // no name has that many words
	case len(q) == 0:
		if err := collect("SELECT rid FROM people ORDER BY prominence DESC LIMIT 50"); err != nil {
			return nil, err
		}
	default:
		words := make([]wordMatch, len(q))
		for i, t := range q {
			words[i] = prefixMatch(t, true)
		}
		found, err := r.peopleMatching(words, 2*MaxChoices)
		if err != nil {
			return nil, err
		}
		rids = union(rids, found)
		last := q[len(q)-1]
		if len(rids) < MaxChoices && knowledge.MaxTypos(len([]rune(last))) > 0 {
			typos, err := r.typoWords(last)
			if err != nil {
				return nil, err
			}
			words[len(q)-1] = wordMatch{exact: typos[:min(len(typos), 20)]}
			found, err := r.peopleMatching(words, MaxChoices)
			if err != nil {
				return nil, err
			}
			rids = union(rids, found)
		}
	}
	cands, err := r.candidates(rids)
	if err != nil {
		return nil, err
	}
	var out []knowledge.Choice
	for _, m := range knowledge.Suggest(typed, cands, MaxChoices) {
		name := m.Name
		if m.Role != "" {
			name += ": " + m.Role
		}
		out = append(out, knowledge.Choice{Name: name, Value: m.PersonID})
	}
	return out, nil
}

// suggestRecords suggests claims or documents: by id when an id is being
// typed, otherwise by the words typed (the last as a prefix), unranked
// and bounded.
func (r *reader) suggestRecords(kind, typed string) ([]knowledge.Choice, error) {
	var q string
	var args []any
	prefix := string(kind[0]) + "-"
	terms := knowledge.SearchTerms(typed)
	switch {
	case strings.HasPrefix(typed, prefix):
		q = "SELECT r.id, r.data FROM records r WHERE r.id >= ? AND r.id < ? AND r.kind = ? AND " + visible("r") + " ORDER BY r.id LIMIT ?"
		args = []any{typed, typed + "\xff", kind, r.scope.Guild, r.scope.Guild, MaxChoices}
	case len(terms) == 0:
		q = "SELECT r.id, r.data FROM records r WHERE r.kind = ? AND " + visible("r") + " ORDER BY r.rid LIMIT ?"
		args = []any{kind, r.scope.Guild, r.scope.Guild, MaxChoices}
	default:
		q = `SELECT r.id, r.data FROM (SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT 2000) s
			CROSS JOIN records r ON r.rid = s.rowid WHERE r.kind = ? AND ` + visible("r") + ` LIMIT ?`
		args = []any{ftsQuery(terms, true), kind, r.scope.Guild, r.scope.Guild, MaxChoices}
	}
	rows, err := r.query(q, args...)
	if err != nil {
		return nil, err
	}
	type rec struct{ id, data string }
	var recs []rec
	for rows.Next() {
		var x rec
		if err := rows.Scan(&x.id, &x.data); err != nil {
			rows.Close()
			return nil, dbError(err, "scan suggestions")
		}
		recs = append(recs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err, "suggestions")
	}
	out := make([]knowledge.Choice, 0, len(recs))
	for _, x := range recs {
		var name string
		switch kind {
		case "claim":
			var c knowledge.Claim
			if err := json.Unmarshal([]byte(x.data), &c); err != nil {
				return nil, fmt.Errorf("decode claim: %w", err)
			}
			who := "Unattributed"
			if c.Speaker != "" {
				if n, err := r.named(c.Speaker); err == nil {
					who = n.Name
				}
			}
			name = who + ": “" + c.Words + "”"
		case "document":
			var d knowledge.Document
			if err := json.Unmarshal([]byte(x.data), &d); err != nil {
				return nil, fmt.Errorf("decode document: %w", err)
			}
			meta := string(d.Kind)
			if w := strings.TrimSpace(d.DateText); w != "" {
				meta += ", " + w
			} else if d.Date != "" {
				meta += ", " + d.Date
			}
			name = d.Title + " (" + meta + ")"
		}
		out = append(out, knowledge.Choice{Name: name, Value: x.id})
	}
	return out, nil
}

// SuggestRecords returns autocomplete choices for an id option of a
// moderator command: records of any kind in the actor's scope (their
// server's first, then shared ones), retracted ones included, by id prefix
// or by the words typed.
func (s *Store) SuggestRecords(ctx context.Context, actor knowledge.Actor, typed string) ([]knowledge.Choice, error) {
	r, err := s.newReader(ctx, actor.Scope())
	if err != nil {
		return nil, err
	}
	defer r.close()
	typed = strings.TrimSpace(typed)
	var q string
	var args []any
	terms := knowledge.SearchTerms(typed)
	switch {
	case len(typed) >= 2 && typed[1] == '-' || len(terms) == 0:
		q = "SELECT r.id, r.kind, r.label, r.retracted FROM records r WHERE r.id >= ? AND r.id < ? AND " + inScope("r") + " ORDER BY r.guild = '', r.id LIMIT ?"
		args = []any{typed, typed + "\xff", actor.GuildID, MaxChoices}
	default:
		q = `SELECT r.id, r.kind, r.label, r.retracted FROM (SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT 2000) s
			CROSS JOIN records r ON r.rid = s.rowid WHERE ` + inScope("r") + ` ORDER BY r.guild = '', r.id LIMIT ?`
		args = []any{ftsQuery(terms, true), actor.GuildID, MaxChoices}
	}
	rows, err := r.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []knowledge.Choice
	for rows.Next() {
		var id, kind, label string
		var retracted bool
		if err := rows.Scan(&id, &kind, &label, &retracted); err != nil {
			return nil, dbError(err, "scan suggestions")
		}
		name := kind + ": " + label
		if retracted {
			name = "(retracted) " + name
		}
		out = append(out, knowledge.Choice{Name: name, Value: id})
	}
	return out, dbError(rows.Err(), "suggestions")
}
