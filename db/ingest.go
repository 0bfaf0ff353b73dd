package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onrecord/onrecord/knowledge"
)

// Ingest adds a news report (its text as knowledge.CleanText leaves it) as
// a document of the actor's scope and puts
// the claims proposed from it in the actor's server's review queue, in one
// transaction. A proposal whose speaker is on record and whose words that
// person already said on record is marked as that claim's duplicate.
// Nothing but the document is published. Errors: CodeForbidden for a
// member; CodeInvalid naming the field; CodeConflict when a report with
// the same URL is on record here.
func (s *Store) Ingest(ctx context.Context, ch knowledge.Change, in knowledge.IngestInput) (knowledge.IngestReport, error) {
	var rep knowledge.IngestReport
	if _, err := knowledge.WriteScope(ch.Actor); err != nil {
		return rep, err
	}
	in.Title, in.URL, in.Date = strings.TrimSpace(in.Title), strings.TrimSpace(in.URL), strings.TrimSpace(in.Date)
	var ps knowledge.Problems
	if !knowledge.IsURL(in.URL) || !knowledge.ValidURL(in.URL) {
		ps = append(ps, knowledge.Problem{Field: "url", Text: "give the report's http(s) URL"})
	}
	switch {
	case strings.TrimSpace(in.Text) == "":
		ps = append(ps, knowledge.Problem{Field: "text", Text: "give the report's text: attach it as a .txt file or paste it"})
	case len(in.Text) > knowledge.MaxTextLen:
		ps = append(ps, knowledge.Problem{Field: "text", Text: fmt.Sprintf("the text is %d bytes; the limit is %d", len(in.Text), knowledge.MaxTextLen)})
	case !utf8.ValidString(in.Text):
		ps = append(ps, knowledge.Problem{Field: "text", Text: "the text is not UTF-8: save it as plain UTF-8 text"})
	case knowledge.CleanText(in.Text) != in.Text:
		ps = append(ps, knowledge.Problem{Field: "text", Text: "the text holds control characters or CR line ends: clean it first (knowledge.CleanText)"})
	}
	if in.Title == "" || utf8.RuneCountInString(in.Title) > knowledge.MaxTitleLen {
		ps = append(ps, knowledge.Problem{Field: "title", Text: fmt.Sprintf("give a title of at most %d characters", knowledge.MaxTitleLen)})
	}
	if in.Date != "" && !knowledge.ValidDate(in.Date) {
		ps = append(ps, knowledge.Problem{Field: "date", Text: "use YYYY-MM-DD"})
	}
	if err := ps.Err(); err != nil {
		return rep, err
	}
	err := s.write(ctx, ch, func(w *writer) error {
		g, _, err := w.scope()
		if err != nil {
			return err
		}
		var existing string
		err = w.tx.QueryRowContext(ctx, `SELECT r.id FROM records r WHERE r.kind = 'document' AND json_extract(r.data, '$.url') = ?
			AND (r.guild = '' OR r.guild = ?) AND r.retracted = 0 LIMIT 1`, in.URL, g).Scan(&existing)
		switch {
		case err == nil:
			return knowledge.Errorf(knowledge.CodeConflict, "That report is on record already as `%s`: `/document %s` shows it.", existing, existing)
		case !errors.Is(err, sql.ErrNoRows):
			return dbError(err, "find report")
		}
		doc := &knowledge.Document{Title: in.Title, Kind: knowledge.DocArticle, Date: in.Date, URL: in.URL, Text: in.Text,
			Summary: "A news report read by the extractor; its claims are published only as moderators approve them."}
		if rep.Document, err = w.add(doc); err != nil {
			return err
		}
		if err := w.tx.QueryRowContext(ctx, "SELECT coalesce(max(batch), 0) + 1 FROM proposals").Scan(&rep.Batch); err != nil {
			return dbError(err, "next batch")
		}
		for _, p := range in.Proposals {
			if p.Start < 0 || p.End > len(in.Text) || p.Start >= p.End || in.Text[p.Start:p.End] != p.Quote {
				return fmt.Errorf("proposal %q is not the text at %d:%d", truncate(p.Quote, 40), p.Start, p.End)
			}
			if utf8.RuneCountInString(p.Quote) > knowledge.MaxWordsLen {
				rep.TooLong++
				continue
			}
			if p.Speaker != "" {
				if c, err := w.loadVisible(p.Speaker); err != nil || c.kind != "person" || c.retracted {
					p.Speaker = ""
				}
			}
			if p.Speaker != "" {
				if p.Duplicate, err = w.sameWords(p.Speaker, p.Quote); err != nil {
					return err
				}
			}
			switch {
			case p.Duplicate != "":
				rep.Duplicates++
			case p.Speaker != "":
				rep.Attributed++
			case p.SpeakerName == "" && p.SpeakerDoc == "":
				rep.Unattributed++
			}
			_, err := w.tx.ExecContext(ctx, `INSERT INTO proposals (guild, actor, at, batch, document, start, end, quote, form, speaker, speaker_name,
				speaker_text, speaker_doc, cue, medium, venue, attribution, confidence, reason, duplicate)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				ch.Actor.GuildID, ch.Actor.UserID, w.now, rep.Batch, rep.Document, p.Start, p.End, p.Quote, string(p.Form), p.Speaker,
				truncate(p.SpeakerName, knowledge.MaxNameLen), truncate(p.SpeakerText, knowledge.MaxNameLen), truncate(p.SpeakerDoc, knowledge.MaxTitleLen),
				p.Cue, truncate(p.Medium, knowledge.MaxShortLen), truncate(p.Venue, knowledge.MaxShortLen), string(p.Attribution), p.Confidence,
				truncate(p.Reason, knowledge.MaxReasonLen), p.Duplicate)
			if err != nil {
				return dbError(err, "queue proposal")
			}
			rep.Queued++
		}
		w.ch.Reason = fmt.Sprintf("%d claims proposed for review", rep.Queued)
		return w.audit(knowledge.ActionIngest, rep.Document, in.Title, "", "")
	})
	return rep, err
}

// maxScanWords is how many claims a speaker may have for a duplicate
// check to read them all (a few milliseconds); a busier speaker's are
// found through full-text search on the words instead.
const maxScanWords = 500

// sameWords returns the visible claim by person id whose words are words
// (by knowledge.Normalize), or "".
func (w *writer) sameWords(person, words string) (string, error) {
	var rid, n int64
	err := w.tx.QueryRowContext(w.ctx, "SELECT r.rid, coalesce(p.n_claims, 0) FROM records r LEFT JOIN people p ON p.rid = r.rid WHERE r.id = ?", person).Scan(&rid, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", dbError(err, "find same words")
	}
	q := `SELECT r.id, coalesce(json_extract(r.data, '$.words'), '') FROM claims c JOIN records r ON r.rid = c.rid
		WHERE c.speaker = ? AND ` + visible("r") + ` ORDER BY r.rid`
	args := []any{rid, w.ch.Actor.GuildID, w.ch.Actor.GuildID}
	if terms := knowledge.SearchTerms(words); n > int64(w.s.scanWords) && len(terms) > 0 {
		// Every claim with these words holds each of their terms.
		q = `SELECT r.id, coalesce(json_extract(r.data, '$.words'), '') FROM search s CROSS JOIN claims c ON c.rid = s.rowid
			CROSS JOIN records r ON r.rid = s.rowid WHERE search MATCH ? AND c.speaker = ? AND ` + visible("r") + ` ORDER BY r.rid`
		args = append([]any{ftsQuery(terms, false)}, args...)
	}
	rows, err := w.tx.QueryContext(w.ctx, q, args...)
	if err != nil {
		return "", dbError(err, "find same words")
	}
	defer rows.Close()
	want := knowledge.Normalize(words)
	for rows.Next() {
		var id, ws string
		if err := rows.Scan(&id, &ws); err != nil {
			return "", dbError(err, "find same words")
		}
		if knowledge.Normalize(ws) == want {
			return id, nil
		}
	}
	return "", dbError(rows.Err(), "find same words")
}

const proposalColumns = `id, guild, actor, at, batch, document, start, end, quote, form, speaker, speaker_name, speaker_text, speaker_doc,
	cue, medium, venue, attribution, confidence, reason, duplicate, status, decided_by, result`

func scanProposal(row interface{ Scan(...any) error }) (*knowledge.Proposal, error) {
	var p knowledge.Proposal
	var at, form, attr string
	err := row.Scan(&p.ID, &p.Guild, &p.By, &at, &p.Batch, &p.Document, &p.Start, &p.End, &p.Quote, &form, &p.Speaker, &p.SpeakerName,
		&p.SpeakerText, &p.SpeakerDoc, &p.Cue, &p.Medium, &p.Venue, &attr, &p.Confidence, &p.Reason, &p.Duplicate, &p.Status, &p.DecidedBy, &p.Result)
	if err != nil {
		return nil, err
	}
	p.At, _ = time.Parse(time.RFC3339, at)
	p.Form, p.Attribution = knowledge.ClaimForm(form), knowledge.Attribution(attr)
	return &p, nil
}

// NextProposal returns the oldest pending proposal of the actor's server
// (with the paragraph around its words), and how many are pending there
// and in its batch; nil when none is.
func (s *Store) NextProposal(ctx context.Context, actor knowledge.Actor) (*knowledge.Proposal, int, int, error) {
	r, err := s.newReader(ctx, actor.Scope())
	if err != nil {
		return nil, 0, 0, err
	}
	defer r.close()
	p, err := scanProposal(r.tx.QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals WHERE guild = ? AND status = 'pending' ORDER BY id LIMIT 1", actor.GuildID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, 0, nil
	}
	if err != nil {
		return nil, 0, 0, dbError(err, "next proposal")
	}
	var pending, inBatch int
	if err := r.tx.QueryRowContext(ctx, "SELECT count(*), count(*) FILTER (WHERE batch = ?) FROM proposals WHERE guild = ? AND status = 'pending'",
		p.Batch, actor.GuildID).Scan(&pending, &inBatch); err != nil {
		return nil, 0, 0, dbError(err, "count proposals")
	}
	var text string
	err = r.tx.QueryRowContext(ctx, "SELECT r.label, coalesce(t.text, '') FROM records r LEFT JOIN document_texts t ON t.rid = r.rid WHERE r.id = ?", p.Document).Scan(&p.DocumentTitle, &text)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, 0, dbError(err, "load report")
	}
	if p.End <= len(text) && text[p.Start:p.End] == p.Quote {
		p.ContextStart, p.Context = paragraphAround(text, p.Start, p.End, 700)
	}
	return p, pending, inBatch, nil
}

// paragraphAround returns the line of text holding [a, b), cut to about
// max bytes around it on character boundaries, and its offset.
func paragraphAround(text string, a, b, max int) (int, string) {
	lo := strings.LastIndexByte(text[:a], '\n') + 1
	hi := strings.IndexByte(text[b:], '\n')
	if hi < 0 {
		hi = len(text)
	} else {
		hi += b
	}
	room := max - (b - a)
	if room < 0 {
		room = 0
	}
	if a-lo > room/2 {
		lo = a - room/2
	}
	if hi-b > room/2 {
		hi = b + room/2
	}
	for lo < a && !utf8.RuneStart(text[lo]) {
		lo++
	}
	for hi > b && hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi--
	}
	return lo, text[lo:hi]
}

// DecideProposal approves or rejects pending proposal id of the actor's
// server. An approval makes an excerpt of the report at the words and a
// claim by the speaker (speaker, when given, overrides the extractor's:
// a person or document id), or, when that person already said the same
// words on record, links the report to that claim as another appearance.
// It returns the claim's id. Errors: CodeNotFound for a proposal not in
// this server's queue; CodeInvalid when decided already or when nobody on
// record is given as the speaker; CodeForbidden.
func (s *Store) DecideProposal(ctx context.Context, ch knowledge.Change, id int64, approve bool, speaker string) (string, error) {
	if _, err := knowledge.WriteScope(ch.Actor); err != nil {
		return "", err
	}
	var result string
	err := s.write(ctx, ch, func(w *writer) error {
		p, err := scanProposal(w.tx.QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals WHERE id = ? AND guild = ?", id, ch.Actor.GuildID))
		if errors.Is(err, sql.ErrNoRows) {
			return knowledge.Errorf(knowledge.CodeNotFound, "That proposal is not in this server's queue.")
		}
		if err != nil {
			return dbError(err, "load proposal")
		}
		if p.Status != "pending" {
			return knowledge.Errorf(knowledge.CodeInvalid, "That proposal was %s already.", p.Status)
		}
		if !approve {
			return w.rejectProposal(p)
		}
		result, err = w.approveProposal(p, strings.TrimSpace(speaker))
		return err
	})
	return result, err
}

// DecideBatch decides every pending proposal of a batch in the actor's
// server at once: a rejection rejects them all; an approval approves only
// those whose speaker is on record and stated by the text, leaving the
// others for one-by-one review. It returns how many it decided. Errors:
// CodeForbidden.
func (s *Store) DecideBatch(ctx context.Context, ch knowledge.Change, batch int64, approve bool) (int, error) {
	if _, err := knowledge.WriteScope(ch.Actor); err != nil {
		return 0, err
	}
	n := 0
	err := s.write(ctx, ch, func(w *writer) error {
		q := "SELECT " + proposalColumns + " FROM proposals WHERE batch = ? AND guild = ? AND status = 'pending'"
		if approve {
			q += " AND speaker != '' AND attribution = 'stated'"
		}
		rows, err := w.tx.QueryContext(ctx, q+" ORDER BY id", batch, ch.Actor.GuildID)
		if err != nil {
			return dbError(err, "load batch")
		}
		var ps []*knowledge.Proposal
		for rows.Next() {
			p, err := scanProposal(rows)
			if err != nil {
				rows.Close()
				return dbError(err, "load batch")
			}
			ps = append(ps, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError(err, "load batch")
		}
		for _, p := range ps {
			if !approve {
				if err := w.rejectProposal(p); err != nil {
					return err
				}
				n++
				continue
			}
			if _, err := w.approveProposal(p, ""); err != nil {
				if knowledge.ErrorCode(err) == knowledge.CodeInvalid {
					continue // left for one-by-one review, with its reason shown there
				}
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

func (w *writer) rejectProposal(p *knowledge.Proposal) error {
	if _, err := w.tx.ExecContext(w.ctx, "UPDATE proposals SET status = 'rejected', decided_by = ? WHERE id = ?", w.ch.Actor.UserID, p.ID); err != nil {
		return dbError(err, "reject proposal")
	}
	return w.audit(knowledge.ActionReject, p.Document, truncate(p.Quote, 80), "", "")
}

// approveProposal publishes p: an excerpt of its report and a claim by
// speaker (p's own when speaker is ""), or a link to the claim on record
// that holds the same words by the same person.
func (w *writer) approveProposal(p *knowledge.Proposal, speaker string) (string, error) {
	who := p.Speaker
	if speaker != "" {
		who = speaker
	}
	if who == "" {
		return "", knowledge.FieldError("speaker", "The report does not say who on record said this: give the speaker, a person on record or a document id (d-…).")
	}
	sp, err := w.loadVisible(who)
	if err != nil || (sp.kind != "person" && sp.kind != "document") || sp.retracted {
		return "", knowledge.FieldError("speaker", "%s is not a person or document on record here.", who)
	}
	doc, err := w.loadVisible(p.Document)
	if err != nil || doc.retracted {
		return "", knowledge.Errorf(knowledge.CodeInvalid, "The report %s is no longer on record: reject this proposal.", p.Document)
	}
	x, err := w.excerptAt(doc.id, p.Start, p.End, p.Quote)
	if err != nil {
		return "", err
	}
	var result string
	dup := ""
	if sp.kind == "person" {
		if dup, err = w.sameWords(sp.id, p.Quote); err != nil {
			return "", err
		}
	}
	if dup != "" {
		_, err := w.add(&knowledge.Evidence{Claim: dup, Relation: knowledge.RelReports, Excerpt: x.ID,
			Rationale: truncate("Another report of these words: "+doc.label, knowledge.MaxRationaleLen)})
		if err != nil {
			return "", err
		}
		result = dup
	} else {
		var d knowledge.Document
		if e, err := doc.decode(); err == nil {
			if dd, ok := e.(*knowledge.Document); ok {
				d = *dd
			}
		}
		c := &knowledge.Claim{Speaker: sp.id, Attribution: p.Attribution, Words: p.Quote, Form: p.Form, Date: d.Date, DateText: d.DateText,
			Venue: p.Venue, Excerpt: x.ID}
		if p.Medium != "" && p.Medium != "said" && p.Medium != "says" {
			c.Medium = p.Medium
		}
		switch {
		case sp.id != p.Speaker:
			c.Attribution = knowledge.AttrInferred
			c.AttributionReason = "A moderator named the speaker on review"
			if p.SpeakerText != "" {
				c.AttributionReason += "; the report says \u201c" + p.SpeakerText + "\u201d"
			} else {
				c.AttributionReason += "; the report does not say who spoke"
			}
		case c.Attribution == knowledge.AttrInferred:
			c.AttributionReason = "The report implies it: " + p.Reason
		}
		c.AttributionReason = truncate(c.AttributionReason, knowledge.MaxReasonLen)
		if c.Attribution == knowledge.AttrUnattributed {
			c.Attribution = knowledge.AttrInferred
		}
		if result, err = w.add(c); err != nil {
			return "", err
		}
	}
	if _, err := w.tx.ExecContext(w.ctx, "UPDATE proposals SET status = 'approved', decided_by = ?, result = ?, speaker = ? WHERE id = ?",
		w.ch.Actor.UserID, result, sp.id, p.ID); err != nil {
		return "", dbError(err, "approve proposal")
	}
	return result, w.audit(knowledge.ActionApprove, result, truncate(p.Quote, 80), "", "")
}

// excerptAt returns the excerpt of document doc at [start, end), holding
// text, making it when the record has none there.
func (w *writer) excerptAt(doc string, start, end int, text string) (*knowledge.Excerpt, error) {
	g, _, err := w.scope()
	if err != nil {
		return nil, err
	}
	var existing string
	err = w.tx.QueryRowContext(w.ctx, `SELECT r.id FROM refs f JOIN records r ON r.rid = f.src
		WHERE f.dst = (SELECT rid FROM records WHERE id = ?) AND f.src_kind = 'excerpt' AND f.field = 'document'
		AND (r.guild = '' OR r.guild = ?) AND r.retracted = 0 AND json_extract(r.data, '$.start') = ? AND json_extract(r.data, '$.end') = ? LIMIT 1`,
		doc, g, start, end).Scan(&existing)
	x := &knowledge.Excerpt{Document: doc, Start: start, End: end, Text: text}
	switch {
	case err == nil:
		x.ID = existing
		return x, nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, dbError(err, "find excerpt")
	}
	if _, err := w.add(x); err != nil {
		return nil, err
	}
	return x, nil
}
