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

// FindPerson resolves a name as a user types it to the people it may mean,
// among those visible in scope (knowledge.Resolve ranks them). It never
// returns CodeNotFound: an empty Resolution.Best is the answer "not on
// record".
func (s *Store) FindPerson(ctx context.Context, scope knowledge.Scope, query string) (knowledge.Resolution, error) {
	q := knowledge.NameTokens(query)
	if len(q) == 0 {
		return knowledge.Resolution{Query: query}, nil
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return knowledge.Resolution{}, err
	}
	defer r.close()
	if id := strings.TrimSpace(query); knowledge.ValidID(id, "person") {
		// An id, as autocomplete and menus send: that person or nobody.
		res := knowledge.Resolution{Query: query}
		var rid int64
		err := r.row("SELECT rid FROM records WHERE id = ? AND kind = 'person'", []any{id}, &rid)
		if errors.Is(err, sql.ErrNoRows) {
			return res, nil
		}
		if err != nil {
			return res, dbError(err, "find person by id")
		}
		c, ok, err := r.candidate(rid)
		if err != nil || !ok {
			return res, err
		}
		res.Best, res.Total = []knowledge.NameMatch{{Candidate: c, Tier: knowledge.TierExact, Form: c.Name}}, 1
		return res, nil
	}
	rids := map[int64]bool{}
	collect := func(sqlq string, args ...any) (int, error) {
		rows, err := r.query(sqlq, args...)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				return n, dbError(err, "scan candidates")
			}
			rids[rid] = true
			n++
		}
		return n, dbError(rows.Err(), "list candidates")
	}
	if _, err := collect("SELECT person FROM person_names WHERE key = ? LIMIT 200", strings.Join(q, " ")); err != nil {
		return knowledge.Resolution{}, err
	}
	for i, t := range q {
		n, err := collect("SELECT person FROM name_tokens WHERE token = ? LIMIT 1000", t)
		if err != nil {
			return knowledge.Resolution{}, err
		}
		for _, full := range knowledge.Nicknames(t) {
			if _, err := collect("SELECT person FROM name_tokens WHERE token = ? LIMIT 200", full); err != nil {
				return knowledge.Resolution{}, err
			}
		}
		if i == len(q)-1 || len([]rune(t)) >= 2 {
			m, err := collect("SELECT person FROM name_tokens WHERE token > ? AND token < ? LIMIT 200", t, t+"\xff")
			if err != nil {
				return knowledge.Resolution{}, err
			}
			n += m
		}
		if n > 0 || knowledge.MaxTypos(len([]rune(t))) == 0 {
			continue
		}
		words, err := r.typoWords(t)
		if err != nil {
			return knowledge.Resolution{}, err
		}
		for _, w := range words {
			if _, err := collect("SELECT person FROM name_tokens WHERE token = ? LIMIT 200", w); err != nil {
				return knowledge.Resolution{}, err
			}
		}
	}
	cands := make([]knowledge.Candidate, 0, len(rids))
	for rid := range rids {
		c, ok, err := r.candidate(rid)
		if err != nil {
			return knowledge.Resolution{}, err
		}
		if ok {
			cands = append(cands, c)
		}
	}
	return knowledge.Resolve(query, cands), nil
}

// typoWords returns the indexed name words within knowledge.MaxTypos edits
// of t, found through their shared deletion variants.
func (r *reader) typoWords(t string) ([]string, error) {
	maxd := knowledge.MaxTypos(len([]rune(t)))
	vars := knowledge.Deletes(t, maxd)
	rows, err := r.query("SELECT DISTINCT token FROM token_variants WHERE variant IN (SELECT value FROM json_each(?)) LIMIT 500", jsonList(vars))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, dbError(err, "scan variants")
		}
		if knowledge.EditDistance(t, w, maxd) <= maxd {
			out = append(out, w)
		}
	}
	return out, dbError(rows.Err(), "list variants")
}

func jsonList(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// candidate loads person rid as a knowledge.Candidate, if visible.
func (r *reader) candidate(rid int64) (knowledge.Candidate, bool, error) {
	var c knowledge.Candidate
	err := r.row("SELECT r.id, r.label, p.role, p.prominence FROM records r JOIN people p ON p.rid = r.rid WHERE r.rid = ? AND "+visible("r"),
		[]any{rid, r.scope.Guild, r.scope.Guild}, &c.PersonID, &c.Name, &c.Role, &c.Prominence)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, dbError(err, "load candidate")
	}
	rows, err := r.query("SELECT form FROM person_names WHERE person = ? ORDER BY form", rid)
	if err != nil {
		return c, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return c, false, dbError(err, "scan name forms")
		}
		c.Forms = append(c.Forms, f)
	}
	return c, true, dbError(rows.Err(), "list name forms")
}

// PersonProfile returns what the record holds about person id, as seen in
// scope: roles with their organisations, their part in documents, events,
// counts of their claims and of claims about them, and sources. Errors:
// CodeNotFound when id is not a visible person.
func (s *Store) PersonProfile(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.PersonProfile, error) {
	if knowledge.KindOf(id) != "person" {
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "%s is not a person's id.", id)
	}
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return nil, err
	}
	defer r.close()
	var pp knowledge.PersonProfile
	rid, err := r.load(id, &pp.Person)
	if err != nil {
		return nil, err
	}
	for _, role := range pp.Person.Roles {
		rv := knowledge.RoleView{Role: role}
		if role.Organisation != "" {
			var org knowledge.Organisation
			if _, err := r.load(role.Organisation, &org); err == nil {
				rv.Org = &org
				if org.Parent != "" {
					var parent knowledge.Organisation
					if _, err := r.load(org.Parent, &parent); err == nil {
						rv.Parent = &parent
					}
				}
			}
		}
		if rv.Source, err = r.excerpt(role.Excerpt); err != nil {
			return nil, err
		}
		pp.Roles = append(pp.Roles, rv)
	}
	for _, x := range pp.Person.Sources {
		xv, err := r.excerpt(x)
		if err != nil {
			return nil, err
		}
		pp.Sources = append(pp.Sources, *xv)
	}
	docs, _, err := r.referrers(rid, "party:", "document")
	if err != nil {
		return nil, err
	}
	for _, c := range docs {
		var d knowledge.Document
		if err := json.Unmarshal([]byte(c.data), &d); err != nil {
			return nil, fmt.Errorf("decode document: %w", err)
		}
		for _, p := range d.Parties {
			if p.Ref != id {
				continue
			}
			pv := knowledge.PartyView{Party: p, Document: d.Ref()}
			for _, o := range d.Parties {
				name := o.Description
				if o.Ref != "" {
					n, err := r.named(o.Ref)
					if knowledge.ErrorCode(err) == knowledge.CodeNotFound {
						continue // not visible here
					}
					if err != nil {
						return nil, err
					}
					name = n.Name
				}
				pv.Parties = append(pv.Parties, knowledge.PartyName{Role: o.Role, Name: name, Hedge: o.Hedge, Self: o.Ref == id})
			}
			if pv.Source, err = r.excerpt(p.Excerpt); err != nil {
				return nil, err
			}
			pp.Parties = append(pp.Parties, pv)
		}
	}
	events, _, err := r.referrers(rid, "", "event")
	if err != nil {
		return nil, err
	}
	for _, c := range events {
		var ev knowledge.EventView
		if err := json.Unmarshal([]byte(c.data), &ev.Event); err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		if ev.Actors, err = r.names(ev.Event.Actors); err != nil {
			return nil, err
		}
		if ev.Subjects, err = r.names(ev.Event.Subjects); err != nil {
			return nil, err
		}
		if ev.Source, err = r.excerpt(ev.Event.Excerpt); err != nil {
			return nil, err
		}
		pp.Events = append(pp.Events, ev)
	}
	pp.Statuses = map[knowledge.Status]int{}
	rows, err := r.claimRows("c.speaker = ?", rid)
	if err != nil {
		return nil, err
	}
	if err := r.claimStatuses(rows); err != nil {
		return nil, err
	}
	summaries := make([]knowledge.ClaimView, len(rows))
	for i, c := range rows {
		summaries[i] = knowledge.ClaimView{Claim: c.claim, Status: c.status}
		pp.ClaimsBy++
		if c.claim.Attribution == knowledge.AttrInferred {
			pp.InferredBy++
		}
		pp.Statuses[c.status]++
	}
	slices.SortStableFunc(summaries, compareClaims)
	pp.TopClaims = summaries[:min(len(summaries), 3)]
	for i := range pp.TopClaims {
		if pp.TopClaims[i].Source, err = r.excerpt(pp.TopClaims[i].Claim.Excerpt); err != nil {
			return nil, err
		}
	}
	if err := r.row(`SELECT count(*) FROM refs f JOIN records s ON s.rid = f.src WHERE f.dst = ? AND f.field = 'subject' AND s.kind = 'claim' AND `+visible("s"),
		[]any{rid, r.scope.Guild, r.scope.Guild}, &pp.ClaimsAbout); err != nil {
		return nil, dbError(err, "count claims about")
	}
	return &pp, nil
}

// claimSummaries returns the visible claims of speaker rid with their
// status derived from the visible evidence, in one query; only Claim and
// Status are filled.
