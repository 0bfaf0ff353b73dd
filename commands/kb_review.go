package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// formField is one text input of an edit form: how it reads a record's
// value and writes the edited one back.
type formField struct {
	id, label string
	long      bool
	max       int
	get       func(e knowledge.Entry) string
	set       func(e knowledge.Entry, v string) error
}

// editFields returns the (at most five) fields edited most for a record
// of e's kind; the rest are changed through their own commands.
func editFields(e knowledge.Entry) []formField {
	aliasList := func(as []knowledge.Alias) string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return strings.Join(out, ", ")
	}
	switch e.(type) {
	case *knowledge.Person:
		p := func(e knowledge.Entry) *knowledge.Person { return e.(*knowledge.Person) }
		return []formField{
			{id: "name", label: "Name", max: knowledge.MaxNameLen, get: func(e knowledge.Entry) string { return p(e).Name },
				set: func(e knowledge.Entry, v string) error { p(e).Name = v; return nil }},
			{id: "summary", label: "Summary", long: true, max: knowledge.MaxSummaryLen, get: func(e knowledge.Entry) string { return p(e).Summary },
				set: func(e knowledge.Entry, v string) error { p(e).Summary = v; return nil }},
			{id: "aliases", label: "Aliases, comma-separated", long: true, max: 4000, get: func(e knowledge.Entry) string { return aliasList(p(e).Aliases) },
				set: func(e knowledge.Entry, v string) error {
					old := map[string]knowledge.Alias{}
					for _, a := range p(e).Aliases {
						old[knowledge.NameKey(a.Name)] = a
					}
					p(e).Aliases = nil
					for _, name := range ids(v) {
						a, ok := old[knowledge.NameKey(name)]
						if !ok {
							a = knowledge.Alias{Kind: knowledge.AliasOther}
						}
						a.Name = name
						p(e).Aliases = append(p(e).Aliases, a)
					}
					return nil
				}},
		}
	case *knowledge.Organisation:
		o := func(e knowledge.Entry) *knowledge.Organisation { return e.(*knowledge.Organisation) }
		return []formField{
			{id: "name", label: "Name", max: knowledge.MaxNameLen, get: func(e knowledge.Entry) string { return o(e).Name },
				set: func(e knowledge.Entry, v string) error { o(e).Name = v; return nil }},
			{id: "kind", label: "Kind (department, agency, party, …)", max: 20, get: func(e knowledge.Entry) string { return string(o(e).Kind) },
				set: func(e knowledge.Entry, v string) error { o(e).Kind = knowledge.OrgKind(v); return nil }},
			{id: "summary", label: "Summary", long: true, max: knowledge.MaxSummaryLen, get: func(e knowledge.Entry) string { return o(e).Summary },
				set: func(e knowledge.Entry, v string) error { o(e).Summary = v; return nil }},
			{id: "aliases", label: "Aliases, comma-separated", long: true, max: 4000, get: func(e knowledge.Entry) string { return strings.Join(o(e).Aliases, ", ") },
				set: func(e knowledge.Entry, v string) error { o(e).Aliases = ids(v); return nil }},
		}
	case *knowledge.Document:
		d := func(e knowledge.Entry) *knowledge.Document { return e.(*knowledge.Document) }
		return []formField{
			{id: "title", label: "Title", max: knowledge.MaxTitleLen, get: func(e knowledge.Entry) string { return d(e).Title },
				set: func(e knowledge.Entry, v string) error { d(e).Title = v; return nil }},
			{id: "date", label: "Date: YYYY-MM-DD, YYYY-MM or YYYY", max: 10, get: func(e knowledge.Entry) string { return d(e).Date },
				set: func(e knowledge.Entry, v string) error { d(e).Date = v; return nil }},
			{id: "date_text", label: "Date in the source's words", max: knowledge.MaxShortLen, get: func(e knowledge.Entry) string { return d(e).DateText },
				set: func(e knowledge.Entry, v string) error { d(e).DateText = v; return nil }},
			{id: "url", label: "URL", max: knowledge.MaxURLLen, get: func(e knowledge.Entry) string { return d(e).URL },
				set: func(e knowledge.Entry, v string) error { d(e).URL = v; return nil }},
			{id: "summary", label: "Summary", long: true, max: knowledge.MaxSummaryLen, get: func(e knowledge.Entry) string { return d(e).Summary },
				set: func(e knowledge.Entry, v string) error { d(e).Summary = v; return nil }},
		}
	case *knowledge.Claim:
		c := func(e knowledge.Entry) *knowledge.Claim { return e.(*knowledge.Claim) }
		return []formField{
			{id: "words", label: "Words, exactly as said", long: true, max: knowledge.MaxWordsLen, get: func(e knowledge.Entry) string { return c(e).Words },
				set: func(e knowledge.Entry, v string) error { c(e).Words = v; return nil }},
			{id: "date", label: "Date: YYYY-MM-DD, YYYY-MM or YYYY", max: 10, get: func(e knowledge.Entry) string { return c(e).Date },
				set: func(e knowledge.Entry, v string) error { c(e).Date = v; return nil }},
			{id: "medium", label: "How: tweeted, told the committee", max: knowledge.MaxShortLen, get: func(e knowledge.Entry) string { return c(e).Medium },
				set: func(e knowledge.Entry, v string) error { c(e).Medium = v; return nil }},
			{id: "venue", label: "Where: the committee, Twitter", max: knowledge.MaxShortLen, get: func(e knowledge.Entry) string { return c(e).Venue },
				set: func(e knowledge.Entry, v string) error { c(e).Venue = v; return nil }},
			{id: "context", label: "Context", long: true, max: knowledge.MaxContextLen, get: func(e knowledge.Entry) string { return c(e).Context },
				set: func(e knowledge.Entry, v string) error { c(e).Context = v; return nil }},
		}
	case *knowledge.Evidence:
		ev := func(e knowledge.Entry) *knowledge.Evidence { return e.(*knowledge.Evidence) }
		return []formField{
			{id: "relation", label: "Relation: contradicts, supports, …", max: 20, get: func(e knowledge.Entry) string { return string(ev(e).Relation) },
				set: func(e knowledge.Entry, v string) error { ev(e).Relation = knowledge.Relation(v); return nil }},
			{id: "rationale", label: "Rationale", long: true, max: knowledge.MaxRationaleLen, get: func(e knowledge.Entry) string { return ev(e).Rationale },
				set: func(e knowledge.Entry, v string) error { ev(e).Rationale = v; return nil }},
		}
	case *knowledge.Figure:
		f := func(e knowledge.Entry) *knowledge.Figure { return e.(*knowledge.Figure) }
		return []formField{
			{id: "label", label: "What it counts", max: knowledge.MaxShortLen, get: func(e knowledge.Entry) string { return f(e).Label },
				set: func(e knowledge.Entry, v string) error { f(e).Label = v; return nil }},
			{id: "value", label: "Value, as written", max: knowledge.MaxShortLen, get: func(e knowledge.Entry) string { return f(e).Value },
				set: func(e knowledge.Entry, v string) error { f(e).Value = v; return nil }},
			{id: "period", label: "Period", max: knowledge.MaxShortLen, get: func(e knowledge.Entry) string { return f(e).Period },
				set: func(e knowledge.Entry, v string) error { f(e).Period = v; return nil }},
		}
	case *knowledge.Event:
		ev := func(e knowledge.Entry) *knowledge.Event { return e.(*knowledge.Event) }
		return []formField{
			{id: "summary", label: "What happened", long: true, max: knowledge.MaxSummaryLen, get: func(e knowledge.Entry) string { return ev(e).Summary },
				set: func(e knowledge.Entry, v string) error { ev(e).Summary = v; return nil }},
			{id: "date", label: "Date: YYYY-MM-DD, YYYY-MM or YYYY", max: 10, get: func(e knowledge.Entry) string { return ev(e).Date },
				set: func(e knowledge.Entry, v string) error { ev(e).Date = v; return nil }},
			{id: "date_text", label: "Date in the source's words", max: knowledge.MaxShortLen, get: func(e knowledge.Entry) string { return ev(e).DateText },
				set: func(e knowledge.Entry, v string) error { ev(e).DateText = v; return nil }},
		}
	}
	return nil
}

// editForm opens a form pre-filled with record id's current values; its
// custom_id carries the version it was opened at.
func (k *kb) editForm(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	id := strings.TrimSpace(p["id"])
	e, version, err := k.store.Entry(ctx, req.Actor, id)
	if err != nil {
		return nil, err
	}
	if err := knowledge.CanWrite(req.Actor, e.Meta().Guild); err != nil {
		return nil, err
	}
	fields := editFields(e)
	if len(fields) == 0 {
		return nil, knowledge.Errorf(knowledge.CodeInvalid, "%s cannot be edited in a form: retract it and add it again.", id)
	}
	cid, err := State{Prefix: PrefixModal, Command: "kb", Params: Params{"a": "edit", "id": id, "v": strconv.Itoa(version)}}.Encode(ctx, k.store)
	if err != nil {
		return nil, err
	}
	var rows []discordgo.MessageComponent
	for _, f := range fields {
		style := discordgo.TextInputShort
		if f.long {
			style = discordgo.TextInputParagraph
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: f.id, Label: Fit(f.label, 45), Style: style, Value: Fit(f.get(e), 4000), MaxLength: min(f.max, 4000), Required: f.id == "name" || f.id == "title" || f.id == "words",
		}}})
	}
	return &discordgo.InteractionResponseData{CustomID: cid, Title: Fit("Edit "+id, 45), Components: rows}, nil
}

// act answers /kb's forms and buttons: an edit saved, a suggestion
// approved or rejected (with the reason's form).
func (k *kb) act(ctx context.Context, req *Request, p Params, _ []string, fields map[string]string) (*discordgo.InteractionResponse, error) {
	if _, err := knowledge.WriteScope(req.Actor); err != nil {
		return nil, err
	}
	reply := func(msg *discordgo.InteractionResponseData) *discordgo.InteractionResponse {
		msg.Flags |= discordgo.MessageFlagsEphemeral
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: msg}
	}
	switch p["a"] {
	case "papprove", "pas", "pspoken", "preject", "pall", "prest":
		return k.decideProposal(ctx, req, p, fields)
	case "edit":
		id := p["id"]
		version, _ := strconv.Atoi(p["v"])
		err := k.store.Edit(ctx, req.change(knowledge.ActionEdit, "edited in a form"), id, version, func(e knowledge.Entry) error {
			for _, f := range editFields(e) {
				v, ok := fields[f.id]
				if !ok {
					continue
				}
				if err := f.set(e, strings.TrimSpace(v)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return reply(k.done(ctx, req, fmt.Sprintf("Saved a new version of `%s`. `/kb history id:%s` lists its versions.", id, id))), nil
	case "approve":
		sid, _ := strconv.ParseInt(p["s"], 10, 64)
		claim, err := k.store.Decide(ctx, req.change(knowledge.ActionApprove, ""), sid, true)
		if err != nil {
			return nil, err
		}
		msg := k.done(ctx, req, fmt.Sprintf("Approved suggestion #%d: it is now the statement `%s`, with the member credited.", sid, claim))
		next, err := k.review(ctx, req)
		if err != nil {
			return nil, err
		}
		next.Content = Fit(joinParagraphs(msg.Content, next.Content), LimitContent)
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: next}, nil
	case "reject":
		// Ask why, in a form.
		cid, err := State{Prefix: PrefixModal, Command: "kb", Params: Params{"a": "rejected", "s": p["s"]}}.Encode(ctx, k.store)
		if err != nil {
			return nil, err
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
			CustomID: cid, Title: "Reject suggestion #" + p["s"],
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: "reason", Label: "Why? The member is told.", Style: discordgo.TextInputParagraph, Required: true, MaxLength: knowledge.MaxRationaleLen,
			}}}},
		}}, nil
	case "rejected":
		sid, _ := strconv.ParseInt(p["s"], 10, 64)
		if _, err := k.store.Decide(ctx, req.change(knowledge.ActionReject, strings.TrimSpace(fields["reason"])), sid, false); err != nil {
			return nil, err
		}
		return reply(k.done(ctx, req, fmt.Sprintf("Rejected suggestion #%d. `/kb review` shows the next.", sid))), nil
	}
	return nil, knowledge.Errorf(knowledge.CodeNotFound, "That button is no longer in use. Run the command again.")
}

// review shows the next pending item with its buttons: a member's
// suggestion first, then the quotations proposed from ingested reports.
func (k *kb) review(ctx context.Context, req *Request) (*discordgo.InteractionResponseData, error) {
	if req.Actor.GuildID == "" {
		return nil, knowledge.Errorf(knowledge.CodeForbidden, "suggestions belong to a server: use this in the server.")
	}
	sg, pending, err := k.store.NextSuggestion(ctx, req.Actor)
	if err != nil {
		return nil, err
	}
	if sg == nil {
		pr, pending, inBatch, err := k.store.NextProposal(ctx, req.Actor)
		if err != nil {
			return nil, err
		}
		if pr != nil {
			return k.reviewProposal(ctx, pr, pending, inBatch)
		}
		return message("Nothing is waiting for review. Members send suggestions with `/suggest`; `/kb ingest` reads a news report and proposes its quotations."), nil
	}
	who := sg.Person
	if res, err := k.store.FindPerson(ctx, req.Actor.Scope(), sg.Person); err == nil {
		if m, ok := res.Found(); ok {
			who = m.Name
		}
	}
	b := newEmbed(fmt.Sprintf("Suggestion #%d", sg.ID), ColourNotice)
	kind := "A new statement"
	if sg.Claim != "" {
		kind = "A correction of `" + sg.Claim + "`"
	}
	b.description(kind + " by " + Escape(who) + ", suggested by <@" + sg.By + ">:\n" + Quote(sg.Quote, 1500))
	src := Escape(sg.Source)
	if knowledge.IsURL(sg.Source) {
		src = "[" + EscapeFit(sg.Source, 200) + "](" + linkURL(sg.Source) + ")"
	}
	b.field("Source", src, false)
	if sg.Date != "" {
		b.field("Date", spellDate(sg.Date), true)
	}
	if sg.Context != "" {
		b.field("Context", EscapeFit(sg.Context, 500), false)
	}
	b.footer(fmt.Sprintf("%d waiting · approving adds it as your change, crediting the member", pending))
	approve, err := State{Prefix: PrefixAction, Command: "kb", Params: Params{"a": "approve", "s": strconv.FormatInt(sg.ID, 10)}}.Encode(ctx, k.store)
	if err != nil {
		return nil, err
	}
	reject, err := State{Prefix: PrefixAction, Command: "kb", Params: Params{"a": "reject", "s": strconv.FormatInt(sg.ID, 10)}}.Encode(ctx, k.store)
	if err != nil {
		return nil, err
	}
	msg := message("", b.finish())
	msg.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Approve", Style: discordgo.SuccessButton, CustomID: approve},
		discordgo.Button{Label: "Reject…", Style: discordgo.DangerButton, CustomID: reject},
	}}}
	return msg, nil
}

func suggestCommand(store Store, deps Deps) *Command {
	return &Command{
		Def: &discordgo.ApplicationCommand{
			Name:        "suggest",
			Description: "Suggest a statement, a correction or a source for the moderators to review",
			Contexts:    &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
			Options: []*discordgo.ApplicationCommandOption{
				auto(strMax("person", "Who said it: pick from the list", true, maxQuery)),
				strMax("quote", "The words, exactly as said (for a correction: the corrected words)", true, knowledge.MaxWordsLen),
				strMax("source", "An http(s) URL where the words can be read, or a document id (d-…)", true, knowledge.MaxURLLen),
				strMax("date", "When, as YYYY-MM-DD", false, 10),
				strMax("context", "Where, how, to whom", false, knowledge.MaxContextLen),
				auto(strMax("claim", "For a correction: the statement it corrects", false, maxQuery)),
			},
		},
		Example: "/suggest person:Amber Rudd quote:… source:https://…",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			k := &kb{store: store, deps: deps}
			person, err := k.personID(ctx, req, "person", p["person"])
			if err != nil {
				return nil, err
			}
			id, err := store.QueueSuggestion(ctx, req.change(knowledge.ActionSuggest, ""), knowledge.Suggestion{Person: person, Quote: p["quote"],
				Source: strings.TrimSpace(p["source"]), Date: strings.TrimSpace(p["date"]), Context: p["context"], Claim: strings.TrimSpace(p["claim"])})
			if err != nil {
				return nil, err
			}
			return &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral,
				Content: fmt.Sprintf("Thank you: suggestion #%d waits for a moderator's review. Nothing is published before they approve it.", id)}, nil
		},
		Complete: func(ctx context.Context, req *Request, option, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
			if option == "claim" {
				return suggest(ctx, store, req, "claim", typed)
			}
			return suggest(ctx, store, req, "person", typed)
		},
	}
}
