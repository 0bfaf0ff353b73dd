package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/extract"
)

// MaxPaste is the most text /kb ingest takes pasted in its option
// (Discord's limit for a string option); longer reports come as a file.
const MaxPaste = 6000

// ingest reads a news report a moderator gives (a .txt attachment or
// pasted text, with its URL): the report becomes a document of the
// record, and the quotations the extractor attributes in it wait in this
// server's review queue. It answers with the first of them to review.
func (k *kb) ingest(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	if req.Actor.GuildID == "" {
		return nil, knowledge.Errorf(knowledge.CodeForbidden, "use `/kb ingest` in your server: the quotations it proposes wait in that server's `/kb review`.")
	}
	url := strings.TrimSpace(p["url"])
	if !knowledge.IsURL(url) || !knowledge.ValidURL(url) {
		return nil, knowledge.FieldError("url", "give the report's address, an http(s) URL: it is cited with every statement approved from it.")
	}
	var text string
	switch {
	case p["text"] != "" && strings.TrimSpace(p["paste"]) != "":
		return nil, knowledge.FieldError("paste", "give the report once: attach it as a file or paste it, not both.")
	case p["text"] != "":
		b, err := k.attachment(ctx, req, p["text"], "text", extract.MaxInput)
		if err != nil {
			return nil, err
		}
		text = string(b)
	default:
		text = p["paste"]
	}
	switch {
	case strings.TrimSpace(text) == "":
		return nil, knowledge.FieldError("text", "give the report's text: attach it as a .txt file, or paste it in `paste`.")
	case !utf8.ValidString(text):
		return nil, knowledge.FieldError("text", "the file is not UTF-8 text: save the report as plain text and attach it again.")
	}
	text = knowledge.CleanText(text) // offsets, excerpts and claims are all of the cleaned text
	date := strings.TrimSpace(p["date"])
	if date != "" && (len(date) != 10 || !knowledge.ValidDate(date)) {
		return nil, knowledge.FieldError("date", "%q is not a date: use YYYY-MM-DD.", Plain(Fit(date, 20)))
	}
	title := strings.TrimSpace(p["title"])
	if title == "" {
		title = firstLine(text)
	}
	dir := extract.NewFuncDirectory(func(name string) ([]knowledge.Candidate, error) {
		return k.store.PeopleNamed(ctx, req.Actor.Scope(), name)
	})
	found := k.extractor.Extract(text, dir)
	if err := dir.Err(); err != nil {
		return nil, err
	}
	in := knowledge.IngestInput{Title: title, URL: url, Date: date, Text: text, Proposals: make([]knowledge.Proposal, 0, len(found))}
	for _, f := range found {
		in.Proposals = append(in.Proposals, proposalOf(f))
	}
	rep, err := k.store.Ingest(ctx, req.change(knowledge.ActionIngest, ""), in)
	if err != nil {
		return nil, err
	}
	summary := fmt.Sprintf("Read **%s** as `%s`: %s proposed", Escape(title), rep.Document, plural(rep.Queued, "one quotation or reported statement", thousands(rep.Queued)+" quotations and reported statements"))
	if rep.Queued > 0 {
		summary += fmt.Sprintf(" (%d by people on record, %d already on record, %d by people, sources or documents not on record, %d the report does not attribute)",
			rep.Attributed, rep.Duplicates, rep.Queued-rep.Attributed-rep.Duplicates-rep.Unattributed, rep.Unattributed)
	}
	summary += ". Nothing of it is published until a moderator approves it."
	if rep.TooLong > 0 {
		summary += fmt.Sprintf(" %d longer than %d characters were left out.", rep.TooLong, knowledge.MaxWordsLen)
	}
	msg := k.done(ctx, req, summary)
	next, err := k.review(ctx, req)
	if err != nil {
		return nil, err
	}
	next.Content = Fit(joinParagraphs(msg.Content, next.Content), LimitContent)
	return next, nil
}

// joinParagraphs joins the non-empty texts with a blank line.
func joinParagraphs(texts ...string) string {
	var out []string
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n\n")
}

// proposalOf is an extractor's proposal as the review queue keeps it.
func proposalOf(f extract.Proposal) knowledge.Proposal {
	p := knowledge.Proposal{Start: f.Start, End: f.End, Quote: f.Quote, Form: knowledge.ClaimForm(f.Kind), Speaker: f.SpeakerID,
		SpeakerText: f.SpeakerText, Cue: f.Cue, Medium: f.Medium, Venue: f.Venue, Attribution: f.Attribution,
		Confidence: f.Confidence, Reason: f.Reason}
	if f.Speaker != nil {
		p.SpeakerName = *f.Speaker
	}
	if f.Document != nil {
		p.SpeakerDoc = *f.Document
	}
	return p
}

// firstLine returns the first non-blank line of text, cut to a title.
func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			r := []rune(l)
			if len(r) > knowledge.MaxTitleLen {
				return string(r[:knowledge.MaxTitleLen-1]) + "…"
			}
			return l
		}
	}
	return ""
}

// reviewProposal shows a proposal with its words highlighted in their
// paragraph, who the extractor thinks said them and why, and the buttons
// to decide it (or its whole report).
func (k *kb) reviewProposal(ctx context.Context, p *knowledge.Proposal, pending, inBatch int) (*discordgo.InteractionResponseData, error) {
	b := newEmbed(fmt.Sprintf("Proposed from a report · #%d", p.ID), ColourNotice)
	from := "`" + p.Document + "`"
	if p.DocumentTitle != "" {
		from = "**" + EscapeFit(p.DocumentTitle, 200) + "** (`" + p.Document + "`)"
	}
	b.description("From " + from + ":\n" + highlight(p.Context, p.Start-p.ContextStart, p.End-p.ContextStart, 1800))
	var who string
	switch {
	case p.Speaker != "":
		who = "**" + Escape(p.SpeakerName) + "** (`" + p.Speaker + "`)"
		if p.SpeakerText != "" && !strings.EqualFold(p.SpeakerText, p.SpeakerName) {
			who += ": the report says “" + EscapeFit(p.SpeakerText, 100) + "”"
		}
	case p.SpeakerDoc != "":
		who = "A document: “" + EscapeFit(p.SpeakerDoc, 150) + "”. Approve as… with its id (d-…) to record it."
	case p.SpeakerName != "":
		who = "“" + EscapeFit(p.SpeakerName, 150) + "”, not on record. Approve as… to name who it is, or reject."
	default:
		who = "The report does not say. Approve as… only if you know from elsewhere; otherwise reject."
	}
	b.field("Speaker", who, false)
	how := p.Medium
	if how == "" {
		how = p.Cue
	}
	if how != "" {
		b.field("How", EscapeFit(how, 200), true)
	}
	form := "Quoted words"
	if p.Form == knowledge.FormReported {
		form = "Reported speech: the report's words for what was said"
	}
	b.field("Words", form, true)
	certainty := fmt.Sprintf("%s, confidence %.2f: %s", upperFirst(string(p.Attribution)), p.Confidence, EscapeFit(p.Reason, 600))
	b.field("Attribution", certainty, false)
	if p.Duplicate != "" {
		b.field("Already on record", "`"+p.Duplicate+"` holds the same words by the same person: approving adds this report as another appearance of it, not a second statement.", false)
	}
	b.footer(fmt.Sprintf("%s waiting, %d from this report · nothing is published until approved", thousands(pending), inBatch))
	id := strconv.FormatInt(p.ID, 10)
	batch := strconv.FormatInt(p.Batch, 10)
	button := func(label string, style discordgo.ButtonStyle, params Params, disabled bool) (discordgo.MessageComponent, error) {
		cid, err := State{Prefix: PrefixAction, Command: "kb", Params: params}.Encode(ctx, k.store)
		if err != nil {
			return nil, err
		}
		return discordgo.Button{Label: label, Style: style, CustomID: cid, Disabled: disabled}, nil
	}
	var row []discordgo.MessageComponent
	for _, bt := range []struct {
		label    string
		style    discordgo.ButtonStyle
		params   Params
		disabled bool
	}{
		{"Approve", discordgo.SuccessButton, Params{"a": "papprove", "p": id}, p.Speaker == ""},
		{"Approve as…", discordgo.SecondaryButton, Params{"a": "pas", "p": id, "n": Fit(p.SpeakerName, 100)}, false},
		{"Reject", discordgo.DangerButton, Params{"a": "preject", "p": id}, false},
		{"Approve all stated", discordgo.PrimaryButton, Params{"a": "pall", "b": batch}, false},
		{"Reject the rest", discordgo.DangerButton, Params{"a": "prest", "b": batch}, false},
	} {
		c, err := button(bt.label, bt.style, bt.params, bt.disabled)
		if err != nil {
			return nil, err
		}
		row = append(row, c)
	}
	msg := message("", b.finish())
	msg.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
	return msg, nil
}

// highlight returns context escaped, with its bytes [a, b) in bold, cut
// around them to about max units.
func highlight(context string, a, b, limit int) string {
	if a < 0 || b > len(context) || a >= b {
		return Quote(context, limit)
	}
	before, words, after := context[:a], context[a:b], context[b:]
	room := limit - Units(words) - 8
	if room < 0 {
		return "**" + EscapeFit(words, limit-4) + "**"
	}
	if Units(before) > room/2 {
		r := []rune(before)
		before = "…" + string(r[max(0, len(r)-room/2):])
	}
	if Units(after) > room/2 {
		r := []rune(after)
		after = string(r[:min(len(r), room/2)]) + "…"
	}
	return "> " + Escape(before) + "**" + Escape(words) + "**" + Escape(after)
}

// decideProposal answers the buttons and form of a proposal under review.
func (k *kb) decideProposal(ctx context.Context, req *Request, p Params, fields map[string]string) (*discordgo.InteractionResponse, error) {
	id, _ := strconv.ParseInt(p["p"], 10, 64)
	batch, _ := strconv.ParseInt(p["b"], 10, 64)
	var note string
	switch p["a"] {
	case "papprove":
		claim, err := k.store.DecideProposal(ctx, req.change(knowledge.ActionApprove, "approved from an ingested report"), id, true, "")
		if err != nil {
			return nil, err
		}
		note = k.done(ctx, req, fmt.Sprintf("Approved proposal #%d: it is on record as `%s`.", id, claim)).Content
	case "pas":
		cid, err := State{Prefix: PrefixModal, Command: "kb", Params: Params{"a": "pspoken", "p": p["p"]}}.Encode(ctx, k.store)
		if err != nil {
			return nil, err
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
			CustomID: cid, Title: Fit("Who said proposal #"+p["p"]+"?", 45),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: "speaker", Label: "A person on record, or a document id (d-…)", Style: discordgo.TextInputShort,
				Required: true, MaxLength: maxQuery, Value: Fit(p["n"], maxQuery),
			}}}},
		}}, nil
	case "pspoken":
		speaker, err := k.speakerID(ctx, req, strings.TrimSpace(fields["speaker"]))
		if err != nil {
			return nil, err
		}
		claim, err := k.store.DecideProposal(ctx, req.change(knowledge.ActionApprove, "approved from an ingested report, speaker named on review"), id, true, speaker)
		if err != nil {
			return nil, err
		}
		note = k.done(ctx, req, fmt.Sprintf("Approved proposal #%d as said by `%s`: it is on record as `%s`.", id, speaker, claim)).Content
	case "preject":
		if _, err := k.store.DecideProposal(ctx, req.change(knowledge.ActionReject, "rejected on review"), id, false, ""); err != nil {
			return nil, err
		}
		note = fmt.Sprintf("Rejected proposal #%d: nothing of it is published.", id)
	case "pall":
		n, err := k.store.DecideBatch(ctx, req.change(knowledge.ActionApprove, "approved in bulk from an ingested report"), batch, true)
		if err != nil {
			return nil, err
		}
		note = k.done(ctx, req, fmt.Sprintf("Approved %s from this report whose speakers are on record and named by the report. The inferred and the unattributed wait below, one by one.",
			plural(n, "one statement", thousands(n)+" statements"))).Content
	case "prest":
		n, err := k.store.DecideBatch(ctx, req.change(knowledge.ActionReject, "rejected in bulk"), batch, false)
		if err != nil {
			return nil, err
		}
		note = fmt.Sprintf("Rejected the %s left from this report.", plural(n, "one proposal", thousands(n)+" proposals"))
	default:
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "That button is no longer in use. Run the command again.")
	}
	next, err := k.review(ctx, req)
	if err != nil {
		return nil, err
	}
	next.Content = Fit(joinParagraphs(note, next.Content), LimitContent)
	next.Flags |= discordgo.MessageFlagsEphemeral
	if p["a"] == "pspoken" {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: next}, nil
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: next}, nil
}

// speakerID resolves what a moderator typed as a speaker: a person or
// document id, or a name that fits exactly one person on record.
func (k *kb) speakerID(ctx context.Context, req *Request, typed string) (string, error) {
	if knowledge.ValidID(typed, "person") || knowledge.ValidID(typed, "document") {
		return typed, nil
	}
	if typed == "" {
		return "", knowledge.FieldError("speaker", "give who said it: a person on record, or a document id (d-…).")
	}
	res, err := k.store.FindPerson(ctx, req.Actor.Scope(), typed)
	if err != nil {
		return "", err
	}
	if m, ok := res.Found(); ok && m.Tier == knowledge.TierExact {
		return m.PersonID, nil
	}
	if len(res.Best) > 1 {
		return "", knowledge.FieldError("speaker", "%d people fit “%s”: give their id (p-…) from `/who`.", res.Total, Plain(Fit(typed, 80)))
	}
	return "", knowledge.FieldError("speaker", "“%s” is not on record here: add them with `/kb person add`, then approve.", Plain(Fit(typed, 80)))
}
