package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

// Bounds of a name lookup. Whatever the number of people sharing a name or
// a prefix, a lookup reads at most these many index rows per step, most
// prominent first, so its cost does not grow with the knowledge base.
const (
	maxNameCandidates = 50   // candidates ranked in Go (a menu shows 25)
	maxDriverRows     = 2000 // rows of the most selective word scanned for the others
	maxCounted        = 1000 // "fits N people" counts up to this
	maxNameWords      = 8    // distinct words in a name query; more fit nobody
)

// nameWords returns the distinct words of a typed name, in order, the
// last kept last (it is the one being typed).
func nameWords(typed string) []string {
	toks := knowledge.NameTokens(typed)
	var out []string
	for i, t := range toks {
		if j := slices.Index(out, t); j >= 0 {
			if i != len(toks)-1 {
				continue
			}
			out = slices.Delete(out, j, j+1)
		}
		out = append(out, t)
	}
	return out
}

// wordMatch is what one typed word may match in a name: any word starting
// with it (prefix, at most maxPrefix characters; a longer word is checked
// in full against the words), or exactly one of the words in exact
// (nicknames, corrected typos).
type wordMatch struct {
	prefix string
	whole  string // the typed word when longer than maxPrefix
	exact  []string
}

// cond returns the SQL condition that person column col has a name word
// matching w, and its arguments.
func (w wordMatch) cond(col string) (string, []any) {
	var parts []string
	var args []any
	if w.prefix != "" {
		c := "EXISTS (SELECT 1 FROM name_prefixes np WHERE np.prefix = ? AND np.person = " + col + ")"
		args = append(args, w.prefix)
		if w.whole != "" {
			c = "EXISTS (SELECT 1 FROM name_tokens nt WHERE nt.person = " + col + " AND nt.token >= ? AND nt.token < ?)"
			args = []any{w.whole, w.whole + "\xff"}
		}
		parts = append(parts, c)
	}
	if len(w.exact) > 0 {
		parts = append(parts, "EXISTS (SELECT 1 FROM name_tokens nt WHERE nt.person = "+col+" AND nt.token IN (SELECT value FROM json_each(?)))")
		args = append(args, jsonList(w.exact))
	}
	if len(parts) == 0 {
		return "0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// prefixMatch is the wordMatch of a typed word taken as a prefix, plus its
// nicknames' full forms.
func prefixMatch(t string, nicknames bool) wordMatch {
	w := wordMatch{prefix: t}
	if r := []rune(t); len(r) > maxPrefix {
		w.prefix, w.whole = string(r[:maxPrefix]), t
	}
	if nicknames {
		w.exact = knowledge.Nicknames(t)
	}
	return w
}

// peopleMatching returns up to limit people (rids) who have, for every
// word match, a name word matching it; the most prominent first as far as
// the index gives them. It drives the lookup from the most selective word
// (the longest typed prefix) and checks the others against each of its
// most prominent maxDriverRows people.
func (r *reader) peopleMatching(words []wordMatch, limit int) ([]int64, error) {
	if len(words) == 0 {
		return nil, nil
	}
	driver := 0
	for i, w := range words {
		if w.prefix != "" && (words[driver].prefix == "" || len([]rune(w.prefix)) >= len([]rune(words[driver].prefix))) {
			driver = i
		}
	}
	var conds []string
	var condArgs []any
	for i, w := range words {
		if i == driver {
			continue
		}
		c, a := w.cond("d.person")
		conds = append(conds, c)
		condArgs = append(condArgs, a...)
	}
	where := "1"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	seen := map[int64]bool{}
	var out []int64
	run := func(source string, args ...any) error {
		rows, err := r.query("SELECT d.person FROM ("+source+") d WHERE "+where+" LIMIT ?", append(append(args, condArgs...), limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				return dbError(err, "scan names")
			}
			if !seen[rid] {
				seen[rid] = true
				out = append(out, rid)
			}
		}
		return dbError(rows.Err(), "names")
	}
	d := words[driver]
	if d.prefix != "" {
		if d.whole != "" {
			if err := run("SELECT DISTINCT person FROM name_tokens WHERE token >= ? AND token < ? LIMIT ?", d.whole, d.whole+"\xff", maxDriverRows); err != nil {
				return nil, err
			}
		} else if err := run("SELECT person FROM name_prefixes WHERE prefix = ? ORDER BY prominence DESC LIMIT ?", d.prefix, maxDriverRows); err != nil {
			return nil, err
		}
	}
	for _, e := range d.exact {
		if len(out) >= limit {
			break
		}
		if err := run("SELECT person FROM name_tokens WHERE token = ? ORDER BY prominence DESC LIMIT ?", e, maxDriverRows); err != nil {
			return nil, err
		}
	}
	return out[:min(len(out), limit)], nil
}

// exactName returns up to limit people one of whose name forms has key
// (knowledge.NameKey), most prominent first.
func (r *reader) exactName(key string, limit int) ([]int64, error) {
	rows, err := r.query("SELECT person FROM person_names WHERE key = ? ORDER BY prominence DESC LIMIT ?", key, 2*limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return nil, dbError(err, "scan names")
		}
		if !slices.Contains(out, rid) {
			out = append(out, rid)
		}
	}
	return out[:min(len(out), limit)], dbError(rows.Err(), "names")
}

// countPeople counts, up to maxCounted+1, the people whose name has a
// form with key, or (key empty) a word equal to word.
func (r *reader) countPeople(key, word string) (int, error) {
	var n int
	q, arg := "SELECT count(DISTINCT person) FROM (SELECT person FROM person_names WHERE key = ? LIMIT ?)", key
	if key == "" {
		q, arg = "SELECT count(*) FROM (SELECT person FROM name_tokens WHERE token = ? LIMIT ?)", word
	}
	err := r.row(q, []any{arg, maxCounted + 1}, &n)
	return n, dbError(err, "count names")
}

// candidates loads the visible people among rids as knowledge.Candidates,
// with every form of their names, in one query.
func (r *reader) candidates(rids []int64) ([]knowledge.Candidate, error) {
	if len(rids) == 0 {
		return nil, nil
	}
	b, _ := json.Marshal(rids)
	rows, err := r.query(`SELECT r.id, r.label, p.role, p.prominence, (SELECT json_group_array(form) FROM (SELECT form FROM person_names n WHERE n.person = r.rid ORDER BY form))
		FROM records r JOIN people p ON p.rid = r.rid WHERE r.rid IN (SELECT value FROM json_each(?)) AND `+visible("r"), string(b), r.scope.Guild, r.scope.Guild)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []knowledge.Candidate
	for rows.Next() {
		var c knowledge.Candidate
		var forms string
		if err := rows.Scan(&c.PersonID, &c.Name, &c.Role, &c.Prominence, &forms); err != nil {
			return nil, dbError(err, "scan candidates")
		}
		if err := json.Unmarshal([]byte(forms), &c.Forms); err != nil {
			return nil, fmt.Errorf("decode name forms: %w", err)
		}
		out = append(out, c)
	}
	return out, dbError(rows.Err(), "list candidates")
}

// personByID returns the visible person with id as a candidate.
func (r *reader) personByID(id string) ([]knowledge.Candidate, error) {
	var rid int64
	err := r.row("SELECT rid FROM records WHERE id = ? AND kind = 'person'", []any{id}, &rid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, dbError(err, "find person by id")
	}
	return r.candidates([]int64{rid})
}

// PeopleNamed returns the people visible in scope that one of whose name
// forms (name, alias, current role title) is name exactly, by
// knowledge.NameKey, most prominent first, at most maxNameCandidates. It is
// what the extractor consults to resolve a mention ("Ms Rudd", "the home
// secretary") to a person on record.
func (s *Store) PeopleNamed(ctx context.Context, scope knowledge.Scope, name string) ([]knowledge.Candidate, error) {
	key := knowledge.NameKey(name)
	if key == "" || len(strings.Fields(key)) > maxNameWords {
		return nil, nil
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return nil, err
	}
	defer r.close()
	rids, err := r.exactName(key, maxNameCandidates)
	if err != nil {
		return nil, err
	}
	return r.candidates(rids)
}
