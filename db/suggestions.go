package db

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/onrecord/onrecord/knowledge"
)

// QueueSuggestion puts a member's proposal in their server's queue. Errors:
// CodeForbidden outside a server or when the server closed suggestions;
// CodeInvalid naming the field for bad input.
func (s *Store) QueueSuggestion(ctx context.Context, ch knowledge.Change, sg knowledge.Suggestion) (int64, error) {
	a := ch.Actor
	if a.GuildID == "" {
		return 0, knowledge.Errorf(knowledge.CodeForbidden, "suggestions go to a server's moderators: use /suggest in the server.")
	}
	st, err := s.Settings(ctx, a.GuildID)
	if err != nil {
		return 0, err
	}
	if !st.SuggestionsOpen {
		return 0, knowledge.Errorf(knowledge.CodeForbidden, "this server's moderators have closed suggestions for now.")
	}
	sg.Quote, sg.Source, sg.Context = strings.TrimSpace(sg.Quote), strings.TrimSpace(sg.Source), strings.TrimSpace(sg.Context)
	var ps knowledge.Problems
	if sg.Quote == "" || len([]rune(sg.Quote)) > knowledge.MaxWordsLen {
		ps = append(ps, knowledge.Problem{Field: "quote", Text: fmt.Sprintf("give the words, exactly as said, in at most %d characters", knowledge.MaxWordsLen)})
	}
	if !knowledge.IsURL(sg.Source) || !knowledge.ValidURL(sg.Source) {
		if !knowledge.ValidID(sg.Source, "document") {
			ps = append(ps, knowledge.Problem{Field: "source", Text: "give an http(s) URL where the words can be read, or a document id (d-…)"})
		}
	}
	if sg.Date != "" && !knowledge.ValidDate(sg.Date) {
		ps = append(ps, knowledge.Problem{Field: "date", Text: "use YYYY-MM-DD"})
	}
	if len([]rune(sg.Context)) > knowledge.MaxContextLen {
		ps = append(ps, knowledge.Problem{Field: "context", Text: fmt.Sprintf("at most %d characters", knowledge.MaxContextLen)})
	}
	if err := ps.Err(); err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, ch, func(w *writer) error {
		p, err := w.loadVisible(sg.Person)
		if err != nil || p.kind != "person" || p.retracted {
			return knowledge.FieldError("person", "%s is not a person on record here: pick one from the list as you type.", sg.Person)
		}
		if sg.Claim != "" {
			c, err := w.loadVisible(sg.Claim)
			if err != nil || c.kind != "claim" {
				return knowledge.FieldError("claim", "%s is not a statement on record here.", sg.Claim)
			}
		}
		res, err := w.tx.ExecContext(ctx, `INSERT INTO suggestions (guild, actor, at, person, quote, source, date, context, claim) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.GuildID, a.UserID, w.now, sg.Person, sg.Quote, sg.Source, sg.Date, sg.Context, sg.Claim)
		if err != nil {
			return dbError(err, "queue suggestion")
		}
		if id, err = res.LastInsertId(); err != nil {
			return dbError(err, "queue suggestion")
		}
		return w.audit(knowledge.ActionSuggest, sg.Claim, truncate(sg.Quote, 80), "", "")
	})
	return id, err
}

func scanSuggestion(row interface{ Scan(...any) error }) (*knowledge.Suggestion, error) {
	var sg knowledge.Suggestion
	var at string
	err := row.Scan(&sg.ID, &sg.Guild, &sg.By, &at, &sg.Person, &sg.Quote, &sg.Source, &sg.Date, &sg.Context, &sg.Claim, &sg.Status, &sg.DecidedBy, &sg.Reason, &sg.Result)
	if err != nil {
		return nil, err
	}
	sg.At, _ = time.Parse(time.RFC3339, at)
	return &sg, nil
}

const suggestionColumns = "id, guild, actor, at, person, quote, source, date, context, claim, status, decided_by, reason, result"

// NextSuggestion returns the oldest pending suggestion of the actor's
// server and how many are pending, or nil when none is.
func (s *Store) NextSuggestion(ctx context.Context, actor knowledge.Actor) (*knowledge.Suggestion, int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM suggestions WHERE guild = ? AND status = 'pending'", actor.GuildID).Scan(&n); err != nil {
		return nil, 0, dbError(err, "count suggestions")
	}
	sg, err := scanSuggestion(s.r.QueryRowContext(ctx, "SELECT "+suggestionColumns+" FROM suggestions WHERE guild = ? AND status = 'pending' ORDER BY id LIMIT 1", actor.GuildID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, dbError(err, "next suggestion")
	}
	return sg, n, nil
}

// Decide approves or rejects pending suggestion id of the actor's server,
// in one transaction: an approval applies it as the moderator's own claim
// (or correction), crediting the member. It returns the claim's id when
// approved. Errors: CodeNotFound for a suggestion not pending here,
// CodeForbidden, and those of AddClaim.
func (s *Store) Decide(ctx context.Context, ch knowledge.Change, id int64, approve bool) (string, error) {
	if ch.Actor.GuildID == "" || ch.Actor.Rank < knowledge.RankModerator {
		return "", knowledge.Errorf(knowledge.CodeForbidden, "reviewing suggestions needs a moderator of this server.")
	}
	if !approve && strings.TrimSpace(ch.Reason) == "" {
		return "", knowledge.FieldError("reason", "say why it is rejected: the member is told.")
	}
	var result string
	err := s.write(ctx, ch, func(w *writer) error {
		sg, err := scanSuggestion(w.tx.QueryRowContext(ctx, "SELECT "+suggestionColumns+" FROM suggestions WHERE id = ? AND guild = ?", id, ch.Actor.GuildID))
		if errors.Is(err, sql.ErrNoRows) {
			return knowledge.Errorf(knowledge.CodeNotFound, "That suggestion is not in this server's queue.")
		}
		if err != nil {
			return dbError(err, "load suggestion")
		}
		if sg.Status != "pending" {
			return knowledge.Errorf(knowledge.CodeInvalid, "That suggestion was %s already.", sg.Status)
		}
		status, action := "rejected", knowledge.ActionReject
		if approve {
			w.ch.Credit = sg.By
			result, err = w.addClaim(knowledge.ClaimInput{Person: sg.Person, Quote: sg.Quote, Source: sg.Source, Date: sg.Date,
				Context: sg.Context, Claim: sg.Claim, SuggestedBy: sg.By})
			if err != nil {
				return err
			}
			status, action = "approved", knowledge.ActionApprove
		}
		if _, err := w.tx.ExecContext(ctx, "UPDATE suggestions SET status = ?, decided_by = ?, reason = ?, result = ? WHERE id = ?",
			status, ch.Actor.UserID, ch.Reason, result, id); err != nil {
			return dbError(err, "decide suggestion")
		}
		w.ch.Credit = sg.By
		return w.audit(action, result, truncate(sg.Quote, 80), "", "")
	})
	return result, err
}

// ImportInto loads an export into the actor's scope (their server for a
// moderator; the shared record for a bot owner), in one transaction: all
// or nothing. The file's server records become this server's: a record of
// this server with the same id becomes a new version when it differs; a
// record another server holds gets a new id. Shared records in the file
// must equal the shared record (they are skipped); a server's import never
// changes it, and every difference is listed. Errors: CodeInvalid with
// every problem, each naming record and field.
func (s *Store) ImportInto(ctx context.Context, ch knowledge.Change, ds *knowledge.Dataset) (knowledge.ImportReport, error) {
	rep := knowledge.ImportReport{Renamed: map[string]string{}}
	g, err := knowledge.WriteScope(ch.Actor)
	if err != nil {
		return rep, err
	}
	ds.FillDefaults()
	err = s.write(ctx, ch, func(w *writer) error {
		var ps knowledge.Problems
		var mine []knowledge.Entry
		for _, e := range ds.Entries() {
			h := e.Header()
			if h.Guild == "" && g != "" {
				// A shared record: it must be the shared record.
				cur, err := w.load(h.ID)
				switch {
				case knowledge.ErrorCode(err) == knowledge.CodeNotFound:
					ps = append(ps, knowledge.Problem{Record: h.ID, Text: "is a shared record this bot does not hold; only its owners can add it"})
				case err != nil:
					return err
				case cur.guild != "":
					ps = append(ps, knowledge.Problem{Record: h.ID, Text: "is marked shared in the file but belongs to a server here"})
				default:
					data, err := encodeRecord(e)
					if err != nil {
						return err
					}
					if !bytes.Equal(data, []byte(cur.fullData())) && !sameJSON(data, cur.fullData()) {
						ps = append(ps, knowledge.Problem{Record: h.ID, Text: "differs from the shared record; a server's import cannot change it"})
					} else {
						rep.Skipped++
					}
				}
				continue
			}
			mine = append(mine, e)
		}
		// The file's records become this scope's; ids another server holds are renamed.
		for _, e := range mine {
			h := e.Header()
			cur, err := w.load(h.ID)
			if err == nil && cur.guild != g {
				newID, err := w.newID(knowledge.KindOf(h.ID), e.Display())
				if err != nil {
					return err
				}
				rep.Renamed[h.ID] = newID
				ds.RenameID(h.ID, newID)
			}
		}
		for _, e := range mine {
			h := e.Header()
			h.Guild, h.Origin = g, knowledge.OriginFor(g)
		}
		if err := ps.Err(); err != nil {
			return err
		}
		known := func(id string) (string, bool) {
			c, err := w.load(id)
			if err != nil {
				return "", false
			}
			return c.guild, true
		}
		sub := &knowledge.Dataset{Format: knowledge.Format}
		for _, e := range mine {
			appendEntry(sub, e)
		}
		if err := sub.Validate(known).Err(); err != nil {
			return err
		}
		// Like a file import: every row first, then their indexes, so that
		// records may refer to each other in any order.
		st := stamp{action: string(knowledge.ActionImport), actor: ch.Actor.UserID, guild: ch.Actor.GuildID, at: w.now, reason: ch.Reason}
		var changed []knowledge.Entry
		var befores []string
		for _, e := range sub.Entries() {
			before := ""
			mode := modeInsert
			if cur, err := w.load(e.Meta().ID); err == nil {
				before, mode = cur.fullData(), modeReplace
				w.touch(cur.rid)
			}
			added, updated, err := putRecord(ctx, w.tx, e, mode, st)
			if err != nil {
				return err
			}
			switch {
			case added:
				rep.Added++
			case updated:
				rep.Updated++
			default:
				rep.Skipped++
				continue
			}
			changed = append(changed, e)
			befores = append(befores, before)
		}
		for i, e := range changed {
			if err := w.indexed(e, knowledge.ActionImport, befores[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return rep, err
}

// sameJSON reports whether two JSON documents hold the same values.
func sameJSON(a []byte, b string) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// appendEntry adds e to ds in its kind's slice.
func appendEntry(ds *knowledge.Dataset, e knowledge.Entry) {
	switch v := e.(type) {
	case *knowledge.Organisation:
		ds.Organisations = append(ds.Organisations, *v)
	case *knowledge.Person:
		ds.People = append(ds.People, *v)
	case *knowledge.Document:
		ds.Documents = append(ds.Documents, *v)
	case *knowledge.Excerpt:
		ds.Excerpts = append(ds.Excerpts, *v)
	case *knowledge.Claim:
		ds.Claims = append(ds.Claims, *v)
	case *knowledge.Evidence:
		ds.Evidence = append(ds.Evidence, *v)
	case *knowledge.Figure:
		ds.Figures = append(ds.Figures, *v)
	case *knowledge.Event:
		ds.Events = append(ds.Events, *v)
	}
}
