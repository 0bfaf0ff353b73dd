package commands

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/extract"
)

// The moderators' commands live under /kb: additions by group ("/kb person
// add"), and the rest as subcommands ("/kb edit", "/kb history").

func str(name, description string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: description, Required: required}
}

func strMax(name, description string, required bool, max int) *discordgo.ApplicationCommandOption {
	o := str(name, description, required)
	o.MaxLength = max
	return o
}

func auto(o *discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	o.Autocomplete = true
	return o
}

func choices(o *discordgo.ApplicationCommandOption, values ...string) *discordgo.ApplicationCommandOption {
	for _, v := range values {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
	}
	return o
}

func sub(name, description string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: description, Options: opts}
}

func group(name, description string, subs ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: name, Description: description, Options: subs}
}

func kbDefinition() *discordgo.ApplicationCommand {
	perm := int64(discordgo.PermissionManageMessages)
	idOpt := func(description string) *discordgo.ApplicationCommandOption {
		return auto(strMax("id", description, true, knowledge.MaxIDLen))
	}
	person := auto(strMax("person", "The person: pick from the list", true, maxQuery))
	source := strMax("source", "An http(s) URL where the words can be read, or a document id (d-…)", true, knowledge.MaxURLLen)
	date := strMax("date", "When, as YYYY-MM-DD (or YYYY-MM, YYYY)", false, 10)
	return &discordgo.ApplicationCommand{
		Name:                     "kb",
		Description:              "Moderators: add to, correct and review this server's record",
		DefaultMemberPermissions: &perm,
		Contexts:                 &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
		Options: []*discordgo.ApplicationCommandOption{
			group("person", "People", sub("add", "Add a person",
				strMax("name", "Their name as usually written: Jane Doe", true, knowledge.MaxNameLen),
				strMax("summary", "Who they are, in a sentence", false, knowledge.MaxSummaryLen),
				strMax("aliases", "Other names people type, comma-separated: Ms Doe, the minister", false, 1000))),
			group("organisation", "Organisations", sub("add", "Add an organisation",
				strMax("name", "Its name: Home Office", true, knowledge.MaxNameLen),
				choices(str("kind", "What it is", true), "department", "agency", "party", "committee", "publisher", "group", "parliament", "operation"),
				strMax("summary", "What it is, in a sentence", false, knowledge.MaxSummaryLen),
				strMax("parent", "The organisation it is part of: its id (o-…)", false, knowledge.MaxIDLen))),
			group("document", "Documents", sub("add", "Add a document: an article, memo, report, tweet",
				strMax("title", "Its title", true, knowledge.MaxTitleLen),
				choices(str("kind", "What it is", true), "article", "memo", "report", "tweet", "statement", "hansard", "committee-session", "other"),
				date,
				strMax("url", "Where it can be read: an http(s) URL", false, knowledge.MaxURLLen),
				auto(strMax("author", "Who wrote it: a person (pick from the list) or organisation id", false, maxQuery)),
				strMax("recipients", "Who it was sent to: ids, comma-separated", false, 1000),
				strMax("summary", "What it is, in a sentence", false, knowledge.MaxSummaryLen),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "text", Description: "Its full text, as a .txt file: quotes are then checked against it"})),
			group("claim", "Statements", sub("add", "Add a statement, with the source of its words",
				person,
				strMax("quote", "The words, exactly as said", true, knowledge.MaxWordsLen),
				source, date,
				strMax("context", "Where, how, to whom: told the committee", false, knowledge.MaxContextLen))),
			group("evidence", "Evidence", sub("add", "Link a statement to the words of a source that bear on it",
				auto(strMax("claim", "The statement: pick from the list", true, maxQuery)),
				choices(str("relation", "How the source bears on it", true), "contradicts", "supports", "context", "shows-knowledge", "reports"),
				source,
				strMax("excerpt", "The source's words that bear on it, exactly", true, knowledge.MaxExcerptLen),
				strMax("rationale", "Why, in a sentence", true, knowledge.MaxRationaleLen))),
			group("alias", "Aliases", sub("add", "Add another name people type for a person",
				person,
				strMax("alias", "The name: Ms Doe, the minister", true, knowledge.MaxNameLen),
				choices(str("kind", "What kind of name", false), "surname", "title", "role", "nickname", "other"))),
			group("role", "Roles", sub("add", "Add a position a person holds or held",
				person,
				strMax("title", "The position: Home Secretary", true, knowledge.MaxNameLen),
				strMax("organisation", "Its organisation's id (o-…)", false, knowledge.MaxIDLen),
				strMax("from", "Since when: YYYY-MM-DD, YYYY-MM or YYYY", false, 10),
				strMax("to", "Until when: YYYY-MM-DD, YYYY-MM or YYYY", false, 10))),
			sub("edit", "Edit a record in a form", idOpt("The record: pick from the list")),
			sub("retract", "Take a record out of answers (kept, and restorable); hides a shared record here", idOpt("The record"),
				strMax("reason", "Why: it is kept with the record", true, knowledge.MaxRationaleLen)),
			sub("restore", "Bring a retracted (or hidden) record back", idOpt("The record")),
			sub("verdict", "Give a statement an editorial verdict", idOpt("The statement"),
				choices(str("code", "The verdict", true), "accurate", "mostly-accurate", "misleading", "false", "unproven", "corrected"),
				strMax("reasoning", "Why, with what it rests on", true, knowledge.MaxReasonLen),
				strMax("label", "How it reads, if not the verdict's own name", false, 80)),
			sub("history", "Every version of a record: who, when, why", idOpt("The record")),
			sub("revert", "Make an earlier version current again (as a new version)", idOpt("The record"),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "version", Description: "The version to go back to (see /kb history)", Required: true, MinValue: floatPtr(1)},
				strMax("reason", "Why", false, knowledge.MaxRationaleLen)),
			sub("audit", "Recent moderator actions in this server",
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionUser, Name: "moderator", Description: "Only this moderator's actions"},
				auto(strMax("record", "Only actions on this record", false, knowledge.MaxIDLen))),
			sub("export", "This server's record and the shared one, as a JSON file"),
			sub("import", "Load a JSON file made by /kb export into this server's record (all or nothing)",
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", Description: "The .json file from /kb export", Required: true}),
			sub("ingest", "Read a news report: its quotations are proposed for review, none published until approved",
				strMax("url", "The report's address, an http(s) URL: cited with every statement approved", true, knowledge.MaxURLLen),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "text", Description: "The report's text as a .txt file"},
				strMax("paste", "Or the report's text, pasted (up to 6,000 characters)", false, MaxPaste),
				strMax("title", "Its headline (default: the text's first line)", false, knowledge.MaxTitleLen),
				strMax("date", "When it was published, YYYY-MM-DD", false, 10)),
			sub("review", "The next member's suggestion or proposed quotation, to approve or reject"),
			sub("settings", "This server's moderator roles, suggestions and announcements",
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionRole, Name: "moderator_role", Description: "Make this role's members moderators here"},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionRole, Name: "remove_role", Description: "Stop this role making moderators"},
				choices(str("suggestions", "Whether members may /suggest", false), "open", "closed"),
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: "announce_channel", Description: "Announce every change in this channel",
					ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText}},
				&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: "stop_announcing", Description: "Stop announcing changes"}),
		},
	}
}

func floatPtr(f float64) *float64 { return &f }

func kbCommand(store Store, deps Deps) *Command {
	k := &kb{store: store, deps: deps, extractor: extract.New()}
	return &Command{
		Def:        kbDefinition(),
		Example:    "/kb claim add person:Amber Rudd quote:… source:https://…",
		Moderators: true,
		Run:        k.run,
		Complete:   k.complete,
		Act:        k.act,
	}
}

type kb struct {
	store     Store
	deps      Deps
	extractor *extract.Extractor // for /kb ingest
}

// run checks the rights again (server admins can override what Discord
// shows), then answers the subcommand. Every answer is ephemeral: it is
// for the moderator; the change itself is announced where the server
// asked.
func (k *kb) run(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	if _, err := knowledge.WriteScope(req.Actor); err != nil {
		return nil, err
	}
	var msg *discordgo.InteractionResponseData
	var err error
	switch p["group"] + " " + p["sub"] {
	case "person add":
		msg, err = k.addPerson(ctx, req, p)
	case "organisation add":
		msg, err = k.addOrganisation(ctx, req, p)
	case "document add":
		msg, err = k.addDocument(ctx, req, p)
	case "claim add":
		msg, err = k.addClaim(ctx, req, p)
	case "evidence add":
		msg, err = k.addEvidence(ctx, req, p)
	case "alias add":
		msg, err = k.addAlias(ctx, req, p)
	case "role add":
		msg, err = k.addRole(ctx, req, p)
	case " retract":
		msg, err = k.retract(ctx, req, p)
	case " restore":
		msg, err = k.restore(ctx, req, p)
	case " verdict":
		msg, err = k.verdict(ctx, req, p)
	case " history":
		msg, err = k.history(ctx, req, p)
	case " revert":
		msg, err = k.revert(ctx, req, p)
	case " audit":
		msg, err = k.audit(ctx, req, p)
	case " export":
		msg, err = k.export(ctx, req)
	case " import":
		msg, err = k.importFile(ctx, req, p)
	case " review":
		msg, err = k.review(ctx, req)
	case " ingest":
		msg, err = k.ingest(ctx, req, p)
	case " settings":
		msg, err = k.settings(ctx, req, p)
	case " edit":
		return k.editForm(ctx, req, p) // a form, not a message
	default:
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "OnRecord does not know /kb %s.", strings.TrimSpace(p["group"]+" "+p["sub"]))
	}
	if err != nil {
		return nil, err
	}
	msg.Flags |= discordgo.MessageFlagsEphemeral
	return msg, nil
}

func (k *kb) complete(ctx context.Context, req *Request, option, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	switch option {
	case "person", "author":
		return suggest(ctx, k.store, req, "person", typed)
	case "claim":
		return suggest(ctx, k.store, req, "claim", typed)
	}
	choices, err := k.store.SuggestRecords(ctx, req.Actor, typed)
	if err != nil {
		return nil, err
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(choices))
	for _, c := range choices[:min(len(choices), 25)] {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: Fit(Plain(c.Name), 100), Value: c.Value})
	}
	return out, nil
}

// done is a moderator's confirmation, announced in the server's channel
// when it has one.
func (k *kb) done(ctx context.Context, req *Request, text string) *discordgo.InteractionResponseData {
	msg := &discordgo.InteractionResponseData{Content: Fit(text, LimitContent)}
	if note := k.announce(ctx, req, text); note != "" {
		msg.Content = Fit(msg.Content+"\n"+note, LimitContent)
	}
	return msg
}

// announce posts text in the server's announcement channel, and returns a
// note for the moderator when that failed.
func (k *kb) announce(ctx context.Context, req *Request, text string) string {
	if k.deps.Announce == nil || req.Actor.GuildID == "" {
		return ""
	}
	st, err := k.store.Settings(ctx, req.Actor.GuildID)
	if err != nil || st.AnnounceChannel == "" {
		return ""
	}
	b := newEmbed("The record changed", ColourRecord)
	b.description(Fit(text, 2000))
	b.footer("by user " + req.Actor.UserID)
	err = k.deps.Announce.Announce(ctx, st.AnnounceChannel, &discordgo.MessageSend{
		Embeds: []*discordgo.MessageEmbed{b.finish()}, AllowedMentions: NoMentions(),
	})
	if err != nil {
		return "(It could not be announced in <#" + st.AnnounceChannel + ">: check the bot may post there.)"
	}
	return ""
}

// ids splits a comma-separated list, trimmed, blanks dropped.
func ids(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// personID resolves a person option (an id from autocomplete, or a name
// that fits exactly one person) to an id.
func (k *kb) personID(ctx context.Context, req *Request, field, v string) (string, error) {
	v = strings.TrimSpace(v)
	res, err := k.store.FindPerson(ctx, req.Actor.Scope(), v)
	if err != nil {
		return "", err
	}
	if m, ok := res.Found(); ok {
		return m.PersonID, nil
	}
	if len(res.Best) > 1 {
		return "", knowledge.FieldError(field, "“%s” fits %d people: pick one from the list as you type.", clipRunes(v, 80), res.Total)
	}
	return "", knowledge.FieldError(field, "nobody called “%s” is on record here: add them with `/kb person add` first.", clipRunes(v, 80))
}

func (k *kb) addPerson(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	person := &knowledge.Person{Name: strings.TrimSpace(p["name"]), Summary: strings.TrimSpace(p["summary"])}
	for _, a := range ids(p["aliases"]) {
		person.Aliases = append(person.Aliases, knowledge.Alias{Name: a, Kind: knowledge.AliasOther})
	}
	id, err := k.store.Add(ctx, req.change(knowledge.ActionAdd, ""), person)
	if err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("Added **%s** as `%s`. `/who %s` shows them; add what they said with `/kb claim add`.", Escape(person.Name), id, id)), nil
}

func (k *kb) addOrganisation(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	o := &knowledge.Organisation{Name: strings.TrimSpace(p["name"]), Kind: knowledge.OrgKind(p["kind"]), Summary: strings.TrimSpace(p["summary"]),
		Parent: strings.TrimSpace(p["parent"])}
	id, err := k.store.Add(ctx, req.change(knowledge.ActionAdd, ""), o)
	if err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("Added the organisation **%s** as `%s`.", Escape(o.Name), id)), nil
}

func (k *kb) addDocument(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	in := knowledge.DocumentInput{Title: p["title"], Kind: knowledge.DocKind(p["kind"]), Date: strings.TrimSpace(p["date"]), URL: p["url"],
		Summary: p["summary"], Recipients: ids(p["recipients"])}
	if a := strings.TrimSpace(p["author"]); a != "" {
		if knowledge.KindOf(a) == "organisation" {
			in.Author = a
		} else {
			id, err := k.personID(ctx, req, "author", a)
			if err != nil {
				return nil, err
			}
			in.Author = id
		}
	}
	if p["text"] != "" {
		b, err := k.attachment(ctx, req, p["text"], "text", 2<<20)
		if err != nil {
			return nil, err
		}
		in.Text = string(b)
	}
	id, err := k.store.AddDocument(ctx, req.change(knowledge.ActionAdd, ""), in)
	if err != nil {
		return nil, err
	}
	held := "Its text is not held: quotes from it cannot be checked."
	if in.Text != "" {
		held = "Its text is held: quotes from it are checked against it, word for word."
	}
	return k.done(ctx, req, fmt.Sprintf("Added the %s **%s** as `%s`. %s Cite it as `source:%s`.", in.Kind, Escape(in.Title), id, held, id)), nil
}

// attachment downloads the attachment an option names, refusing files
// over max bytes.
func (k *kb) attachment(ctx context.Context, req *Request, id, field string, max int) ([]byte, error) {
	if k.deps.Fetch == nil {
		return nil, knowledge.FieldError(field, "attachments cannot be read here.")
	}
	var att *discordgo.MessageAttachment
	if req.Resolved != nil {
		att = req.Resolved.Attachments[id]
	}
	if att == nil {
		return nil, knowledge.FieldError(field, "attach the file to the command.")
	}
	if att.Size > max {
		return nil, knowledge.FieldError(field, "the file is %d bytes; the limit is %d.", att.Size, max)
	}
	b, err := k.deps.Fetch.Fetch(ctx, att)
	if err != nil {
		return nil, err
	}
	if len(b) > max {
		return nil, knowledge.FieldError(field, "the file is over %d bytes.", max)
	}
	return b, nil
}

func (k *kb) addClaim(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	person, err := k.personID(ctx, req, "person", p["person"])
	if err != nil {
		return nil, err
	}
	id, err := k.store.AddClaim(ctx, req.change(knowledge.ActionAdd, ""), knowledge.ClaimInput{Person: person, Quote: p["quote"],
		Source: strings.TrimSpace(p["source"]), Date: strings.TrimSpace(p["date"]), Context: p["context"]})
	if err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("Added the statement `%s`: “%s”. Link evidence with `/kb evidence add claim:%s`.", id, EscapeFit(p["quote"], 300), id)), nil
}

func (k *kb) addEvidence(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	claim := strings.TrimSpace(p["claim"])
	id, err := k.store.AddEvidence(ctx, req.change(knowledge.ActionAdd, ""), knowledge.EvidenceInput{Claim: claim,
		Relation: knowledge.Relation(p["relation"]), Source: strings.TrimSpace(p["source"]), Excerpt: p["excerpt"], Rationale: p["rationale"]})
	if err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("Linked `%s` to `%s` (%s). `/claim %s` shows it.", id, claim, p["relation"], claim)), nil
}

func (k *kb) addAlias(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	person, err := k.personID(ctx, req, "person", p["person"])
	if err != nil {
		return nil, err
	}
	kind := knowledge.AliasKind(p["kind"])
	if kind == "" {
		kind = knowledge.AliasOther
	}
	alias := strings.TrimSpace(p["alias"])
	err = k.store.Edit(ctx, req.change(knowledge.ActionEdit, "alias added"), person, 0, func(e knowledge.Entry) error {
		pp := e.(*knowledge.Person)
		for _, a := range pp.Aliases {
			if knowledge.NameKey(a.Name) == knowledge.NameKey(alias) {
				return knowledge.FieldError("alias", "%s is called that already.", pp.Name)
			}
		}
		pp.Aliases = append(pp.Aliases, knowledge.Alias{Name: alias, Kind: kind})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("`%s` can now be found as “%s”.", person, Escape(alias))), nil
}

func (k *kb) addRole(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	person, err := k.personID(ctx, req, "person", p["person"])
	if err != nil {
		return nil, err
	}
	role := knowledge.Role{Title: strings.TrimSpace(p["title"]), Organisation: strings.TrimSpace(p["organisation"]),
		From: strings.TrimSpace(p["from"]), To: strings.TrimSpace(p["to"])}
	err = k.store.Edit(ctx, req.change(knowledge.ActionEdit, "role added"), person, 0, func(e knowledge.Entry) error {
		pp := e.(*knowledge.Person)
		pp.Roles = append(pp.Roles, role)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("`%s` now holds the role “%s”.", person, Escape(role.Title))), nil
}

func (k *kb) retract(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	id := strings.TrimSpace(p["id"])
	hidden, err := k.store.Retract(ctx, req.change(knowledge.ActionRetract, strings.TrimSpace(p["reason"])), id)
	if err != nil {
		return nil, err
	}
	if hidden {
		return k.done(ctx, req, fmt.Sprintf("`%s` is a shared record: it is now hidden in this server only, and kept. `/kb restore id:%s` shows it again.", id, id)), nil
	}
	return k.done(ctx, req, fmt.Sprintf("Retracted `%s`: it is out of answers, and kept with its history. `/kb restore id:%s` brings it back.", id, id)), nil
}

func (k *kb) restore(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	id := strings.TrimSpace(p["id"])
	unhidden, err := k.store.Restore(ctx, req.change(knowledge.ActionRestore, ""), id)
	if err != nil {
		return nil, err
	}
	if unhidden {
		return k.done(ctx, req, fmt.Sprintf("`%s` shows in this server again.", id)), nil
	}
	return k.done(ctx, req, fmt.Sprintf("Restored `%s`: it is back in answers.", id)), nil
}

func (k *kb) verdict(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	id := strings.TrimSpace(p["id"])
	v := knowledge.Verdict{Code: p["code"], Label: strings.TrimSpace(p["label"]), Reasoning: strings.TrimSpace(p["reasoning"])}
	if v.Label == "" {
		for _, c := range knowledge.VerdictCodes() {
			if c.Code == v.Code {
				v.Label = c.Label
			}
		}
	}
	if err := k.store.SetVerdict(ctx, req.change(knowledge.ActionVerdict, v.Reasoning), id, v); err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("`%s` now carries the verdict **%s**.", id, Escape(v.Label))), nil
}

func (k *kb) history(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	id := strings.TrimSpace(p["id"])
	vs, label, err := k.store.History(ctx, req.Actor, id)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, v := range vs {
		line := fmt.Sprintf("**v%d** · %s · %s", v.Version, stamp(v.At), v.Action)
		if v.By != "" {
			line += " by <@" + v.By + ">"
		} else {
			line += " (seed or file import)"
		}
		if v.Retracted {
			line += " · retracted"
		}
		if v.Reason != "" {
			line += " · “" + EscapeFit(v.Reason, 150) + "”"
		}
		lines = append(lines, line)
	}
	b := newEmbed("History of "+EscapeFit(label, 150), ColourRecord)
	b.description(fitLines(lines, LimitDescription))
	b.footer(fmt.Sprintf("id %s · %d versions · /kb revert id:%s version:N makes one current again", id, len(vs), id))
	return message("", b.finish()), nil
}

// stamp renders a time for moderators: Discord shows <t:…> in each
// reader's own time zone.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "at a time not recorded"
	}
	return fmt.Sprintf("<t:%d:f>", t.Unix())
}

func (k *kb) revert(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	id := strings.TrimSpace(p["id"])
	version, err := strconv.Atoi(p["version"])
	if err != nil || version < 1 {
		return nil, knowledge.FieldError("version", "give a version number from `/kb history id:%s`.", id)
	}
	if err := k.store.Revert(ctx, req.change(knowledge.ActionRevert, strings.TrimSpace(p["reason"])), id, version); err != nil {
		return nil, err
	}
	return k.done(ctx, req, fmt.Sprintf("`%s` is back as it was in version %d, saved as a new version: nothing in its history was lost.", id, version)), nil
}

func (k *kb) audit(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	entries, err := k.store.Audit(ctx, req.Actor, knowledge.AuditFilter{Actor: p["moderator"], Record: strings.TrimSpace(p["record"]), Limit: 15})
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return message("Nothing in this server's audit log matches."), nil
	}
	var lines []string
	for _, e := range entries {
		line := fmt.Sprintf("%s · <@%s> · **%s**", stamp(e.At), e.Actor, e.Action)
		if e.RecordID != "" {
			line += " `" + e.RecordID + "`"
		}
		if e.RecordLabel != "" {
			line += " “" + EscapeFit(e.RecordLabel, 60) + "”"
		}
		if e.Credit != "" {
			line += " · suggested by <@" + e.Credit + ">"
		}
		if e.Reason != "" {
			line += " · " + EscapeFit(e.Reason, 80)
		}
		lines = append(lines, line)
	}
	b := newEmbed("Audit log", ColourRecord)
	b.description(fitLines(lines, LimitDescription))
	b.footer("Newest first · every change is kept: /kb history id:… shows a record's versions")
	return message("", b.finish()), nil
}

func (k *kb) export(ctx context.Context, req *Request) (*discordgo.InteractionResponseData, error) {
	scope := req.Actor.Scope()
	ds, err := k.store.Export(ctx, &scope)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := knowledge.EncodeDataset(&buf, ds); err != nil {
		return nil, err
	}
	name := "onrecord-" + time.Now().UTC().Format("2006-01-02") + ".json"
	if g := req.Actor.GuildID; g != "" {
		name = "onrecord-" + g + "-" + time.Now().UTC().Format("2006-01-02") + ".json"
	}
	msg := message(fmt.Sprintf("This server's record and the shared one: %d records. `/kb import` loads the file back.", ds.Len()))
	msg.Files = []*discordgo.File{{Name: name, ContentType: "application/json", Reader: bytes.NewReader(buf.Bytes())}}
	msg.Attachments = &[]*discordgo.MessageAttachment{{ID: "0", Filename: name}}
	return msg, nil
}

func (k *kb) importFile(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	b, err := k.attachment(ctx, req, p["file"], "file", 16<<20)
	if err != nil {
		return nil, err
	}
	ds, err := knowledge.DecodeDataset(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	rep, err := k.store.ImportInto(ctx, req.change(knowledge.ActionImport, "file import"), ds)
	if err != nil {
		return nil, err
	}
	text := fmt.Sprintf("Imported: %d added, %d updated (their old versions kept), %d unchanged or shared.", rep.Added, rep.Updated, rep.Skipped)
	if len(rep.Renamed) > 0 {
		text += fmt.Sprintf(" %d records got new ids, as another server holds theirs.", len(rep.Renamed))
	}
	return k.done(ctx, req, text), nil
}

func (k *kb) settings(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	if req.Actor.GuildID == "" {
		return nil, knowledge.Errorf(knowledge.CodeForbidden, "settings belong to a server: use this in the server.")
	}
	st, err := k.store.Settings(ctx, req.Actor.GuildID)
	if err != nil {
		return nil, err
	}
	changed := false
	if r := p["moderator_role"]; r != "" {
		st.ModeratorRoles, changed = append(st.ModeratorRoles, r), true
	}
	if r := p["remove_role"]; r != "" {
		var kept []string
		for _, x := range st.ModeratorRoles {
			if x != r {
				kept = append(kept, x)
			}
		}
		st.ModeratorRoles, changed = kept, true
	}
	switch p["suggestions"] {
	case "open":
		st.SuggestionsOpen, changed = true, true
	case "closed":
		st.SuggestionsOpen, changed = false, true
	}
	if c := p["announce_channel"]; c != "" {
		st.AnnounceChannel, changed = c, true
	}
	if p["stop_announcing"] == "true" {
		st.AnnounceChannel, changed = "", true
	}
	if changed {
		if err := k.store.SaveSettings(ctx, req.change(knowledge.ActionSettings, ""), st); err != nil {
			return nil, err
		}
	}
	roles := "none: moderators are those with Manage Messages"
	if len(st.ModeratorRoles) > 0 {
		var rs []string
		for _, r := range st.ModeratorRoles {
			rs = append(rs, "<@&"+r+">")
		}
		roles = strings.Join(rs, ", ") + ", and those with Manage Messages"
	}
	sugg := "closed"
	if st.SuggestionsOpen {
		sugg = "open: members use /suggest"
	}
	ann := "none"
	if st.AnnounceChannel != "" {
		ann = "<#" + st.AnnounceChannel + ">"
	}
	b := newEmbed("Settings of this server", ColourRecord)
	b.field("Moderator roles", roles, false)
	b.field("Suggestions", sugg, false)
	b.field("Changes announced in", ann, false)
	content := ""
	if changed {
		content = "Saved."
	}
	return message(content, b.finish()), nil
}
