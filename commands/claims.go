package commands

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// statusChoices are the choices of a status option.
func statusChoices() []*discordgo.ApplicationCommandOptionChoice {
	return []*discordgo.ApplicationCommandOptionChoice{
		{Name: "contradicted", Value: string(knowledge.StatusContradicted)},
		{Name: "supported", Value: string(knowledge.StatusSupported)},
		{Name: "disputed", Value: string(knowledge.StatusDisputed)},
		{Name: "unverified", Value: string(knowledge.StatusUnverified)},
	}
}

func personOption(name, description string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: description,
		Required: required, MaxLength: maxQuery, Autocomplete: true}
}

func aboutOption(description string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "about", Description: description, MaxLength: maxQuery}
}

func claimsCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "claims",
			Description: "What did this person say on the record, and what does the evidence show?",
			Contexts:    allContexts(),
			Options: []*discordgo.ApplicationCommandOption{
				personOption("person", "A name, surname, title form or role: Amber Rudd, Rudd, the home secretary", true),
				{Type: discordgo.ApplicationCommandOptionString, Name: "status", Description: "Only statements with this status", Choices: statusChoices()},
				aboutOption("Only statements whose words or evidence mention this: targets, memo"),
			},
		},
		Example: "/claims Rudd status:contradicted",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			return claimsOf(ctx, store, req, p)
		},
		Complete: func(ctx context.Context, req *Request, _, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
			return suggest(ctx, store, req, "person", typed)
		},
	}
}

func claimsOf(ctx context.Context, store Store, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
	if _, err := text(p, "person", "claims", "Amber Rudd", true); err != nil {
		return nil, err
	}
	about, err := text(p, "about", "claims", "targets", false)
	if err != nil {
		return nil, err
	}
	st, err := status(p)
	if err != nil {
		return nil, err
	}
	m, answer, err := resolvePerson(ctx, store, req, "claims", "person", p)
	if err != nil || answer != nil {
		return answer, err
	}
	p = Params{"person": m.PersonID, "status": string(st), "about": about, "o": p["o"], "d": p["d"]}
	filter := describeFilter(st, about)
	return claimPages(ctx, store, req, "claims", p, knowledge.ClaimQuery{Speaker: m.PersonID, Status: st, About: about},
		func(total int) string {
			return fmt.Sprintf("**%s**: %d %s on record%s, most consequential first.", Escape(m.Name), total, plural(total, "statement", "statements"), filter)
		},
		func() *discordgo.InteractionResponseData {
			b := newEmbed("No statements found", ColourNotice)
			if filter == "" {
				b.description(fmt.Sprintf("The record holds no statements by %s yet. `/who %s` shows what else it holds about them.",
					Escape(m.Name), strings.ReplaceAll(m.Name, "`", "")))
			} else {
				b.description(fmt.Sprintf("No statements by %s%s. Try `/claims %s` without the filter, or `/search %s`.",
					Escape(m.Name), filter, strings.ReplaceAll(m.Name, "`", ""), strings.ReplaceAll(cmp.Or(about, string(st)), "`", "")))
			}
			b.footer("id " + m.PersonID)
			return message("", b.finish())
		})
}

// describeFilter says what a status and about: filter keep: " that are
// contradicted, about “targets”".
func describeFilter(st knowledge.Status, about string) string {
	var parts []string
	if st != "" {
		parts = append(parts, "that are "+string(st))
	}
	if about != "" {
		parts = append(parts, "about “"+EscapeFit(about, 80)+"”")
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, ", ")
}

// claimPages answers a list of claims as pages of embeds: heading gives
// the content line for the total, empty the answer when nothing matches.
func claimPages(ctx context.Context, store Store, req *Request, command string, p Params, q knowledge.ClaimQuery,
	heading func(total int) string, empty func() *discordgo.InteractionResponseData) (*discordgo.InteractionResponseData, error) {
	pr := pageOf(p)
	q.Offset, q.Limit = pr.window(LimitEmbeds)
	page, err := store.Claims(ctx, req.Actor.Scope(), q)
	if err != nil {
		return nil, err
	}
	if page.Total == 0 {
		return empty(), nil
	}
	if len(page.Items) == 0 { // a page past the end: the list has shrunk since
		q.Offset, pr = 0, pageRequest{}
		if page, err = store.Claims(ctx, req.Actor.Scope(), q); err != nil {
			return nil, err
		}
	}
	embeds := make([]*discordgo.MessageEmbed, len(page.Items))
	for i, c := range page.Items {
		if command == "contradictions" {
			embeds[i] = contradictionEmbed(c)
		} else {
			embeds[i] = ClaimEmbed(c)
		}
	}
	start, n := packEmbeds(embeds, pr.back, 0)
	first := q.Offset + start
	content := heading(page.Total)
	if n < page.Total {
		content += " Showing " + rangeText(first, n, page.Total) + "."
	}
	msg := message(Fit(content, LimitContent), embeds[start:start+n]...)
	if msg.Components, err = pager(ctx, store, command, p, first, n, page.Total, 0); err != nil {
		return nil, err
	}
	return msg, nil
}

// ClaimEmbed renders one claim for a list: who said it (and whether the
// record only infers that), the words, when, where and how, its status,
// the evidence grouped by relation with each excerpt quoted, and its
// source. It stays well under a third of a message's 6000-character budget.
func ClaimEmbed(c knowledge.ClaimView) *discordgo.MessageEmbed { return claimEmbed(c, false) }

// ClaimDetail renders one claim in full, for /claim: as ClaimEmbed, with
// longer quotes, the attribution spelt out, and every evidence link's id.
func ClaimDetail(c knowledge.ClaimView) *discordgo.MessageEmbed { return claimEmbed(c, true) }

func claimEmbed(c knowledge.ClaimView, full bool) *discordgo.MessageEmbed {
	var cites citations
	b := newEmbed(StatusLabel(c.Status), StatusColour(c.Status))
	if v := c.Verdict; v != nil {
		// An editor's verdict heads the claim; the evidence's own status
		// is still shown.
		b = newEmbed("Verdict: "+EscapeFit(v.Label, 80)+" · evidence: "+string(c.Status), VerdictColour(v.Code))
	}
	b.author(speakerLine(c))

	var desc strings.Builder
	switch c.Form {
	case knowledge.FormReported:
		desc.WriteString("*Reported, not quoted:* " + EscapeFit(c.Words, pick(full, 1500, 500)))
	default:
		desc.WriteString(Quote(c.Words, pick(full, 2000, 600)))
	}
	if said := saidHow(c); said != "" {
		desc.WriteString("\n" + said)
	}
	desc.WriteString(cites.cite(c.Source))
	b.description(desc.String())

	if c.Attribution == knowledge.AttrInferred {
		b.field("Speaker inferred, not stated", EscapeFit(c.AttributionReason, pick(full, 1000, 400)), false)
	} else if full && c.Attribution == knowledge.AttrStated && c.Speaker != nil {
		b.field("Attribution", "Stated: the source names "+Escape(c.Speaker.Name)+" as the speaker.", false)
	}
	if c.Attribution == knowledge.AttrUnattributed {
		b.field("Speaker unknown", "The source gives no speaker for these words.", false)
	}
	if v := c.Verdict; v != nil {
		line := EscapeFit(v.Reasoning, pick(full, 1000, 300))
		if full && v.By != "" {
			line += "\n— <@" + v.By + ">"
		}
		b.field("Verdict: "+EscapeFit(v.Label, 80), line, false)
	}
	if full && c.SuggestedBy != "" {
		b.field("Suggested by", "<@"+c.SuggestedBy+">, a member, and approved by a moderator", false)
	}
	if full && c.AppearsIn != nil {
		b.field("Made in", docName(*c.AppearsIn, 120)+" · `"+c.AppearsIn.ID+"`", false)
	}
	if len(c.Subjects) > 0 {
		var names []string
		for _, s := range c.Subjects {
			names = append(names, Escape(s.Name))
		}
		b.field("About", listJoin(names), true)
	}
	for _, rel := range []knowledge.Relation{knowledge.RelContradicts, knowledge.RelSupports, knowledge.RelShowsKnowledge, knowledge.RelContext, knowledge.RelReports} {
		var lines []string
		for _, ev := range c.Evidence {
			if ev.Relation == rel {
				lines = append(lines, evidenceLine(ev, full))
			}
		}
		if !full {
			b.field(relationHeading(rel, len(lines)), fitLines(lines, LimitFieldValue), false)
			continue
		}
		// In full, every link is shown: as many fields as it takes.
		heading := relationHeading(rel, len(lines))
		for len(lines) > 0 {
			n := 1
			for n < len(lines) && Units(strings.Join(lines[:n+1], "\n")) <= LimitFieldValue {
				n++
			}
			b.field(heading, strings.Join(lines[:n], "\n"), false)
			lines, heading = lines[n:], heading+" (continued)"
		}
	}
	if c.SourceURL != "" {
		b.field("Source", "[“"+EscapeFit(c.SourceQuote, 200)+"”]("+linkURL(c.SourceURL)+")", false)
	}
	b.field("Source", cites.field(pick(full, 1024, 400)), false)
	if !full && len(c.Evidence) > 0 {
		b.footer("id " + c.ID + " · /claim " + c.ID + " shows it in full")
	} else {
		b.footer("id " + c.ID)
	}
	return b.finish()
}

func pick(full bool, long, short int) int {
	if full {
		return long
	}
	return short
}

// speakerLine is the author line: "Amber Rudd · Home Secretary", marked
// when the speaker is inferred.
func speakerLine(c knowledge.ClaimView) string {
	if c.Speaker == nil {
		return "Unattributed"
	}
	line := Plain(c.Speaker.Name) // author names show no markdown
	if c.SpeakerIs == "document" {
		line = "From the document “" + line + "”"
	}
	if c.Attribution == knowledge.AttrInferred {
		line += " (inferred speaker)"
	}
	if c.SpeakerRole != "" {
		line += " · " + Plain(c.SpeakerRole)
	}
	return line
}

// saidHow renders how, where and when a claim was made, in the source's
// own words ("Told the committee · late on Friday"), and its context.
func saidHow(c knowledge.ClaimView) string {
	var parts []string
	medium := strings.ToLower(c.Medium)
	if c.Medium != "" {
		parts = append(parts, Escape(c.Medium))
	}
	venue := strings.ToLower(c.Venue)
	impliedByMedium := strings.Contains(medium, venue) ||
		(strings.Contains(medium, "tweet") && (venue == "twitter" || venue == "x"))
	if c.Venue != "" && !impliedByMedium {
		parts = append(parts, "at "+Escape(c.Venue))
	}
	if w := when(c.Date, c.DateText); w != "" {
		parts = append(parts, w)
	}
	line := upperFirst(strings.Join(parts, " · "))
	if c.Context != "" {
		if line != "" {
			line += "\n"
		}
		line += "*" + EscapeFit(c.Context, 300) + "*"
	}
	return line
}

func relationHeading(r knowledge.Relation, n int) string {
	switch r {
	case knowledge.RelContradicts:
		return "Contradicted by"
	case knowledge.RelSupports:
		return "Supported by"
	case knowledge.RelShowsKnowledge:
		return plural(n, "Shows what they knew", "Show what they knew")
	case knowledge.RelReports:
		return "Also reported in"
	}
	return "Context"
}

// evidenceLine renders one piece of evidence: the document the words come
// from, the excerpt quoted verbatim with its figures in bold, and the
// rationale.
func evidenceLine(ev knowledge.EvidenceView, full bool) string {
	var line string
	if ev.Document != nil {
		line = fmt.Sprintf("**%s “%s”**", upperFirst(string(ev.Document.Kind)), EscapeFit(ev.Document.Title, 45))
		if w := when(ev.Document.Date, ev.Document.DateText); w != "" {
			line += " (" + w + ")"
		}
		if ev.Document.URL != "" {
			line += " [link](" + linkURL(ev.Document.URL) + ")"
		}
	}
	if ev.Excerpt != nil {
		q := EscapeFit(ev.Excerpt.Text, pick(full, 700, 200))
		for _, f := range ev.Figures {
			if v := Escape(f.Value); v != "" && strings.Contains(q, v) {
				q = strings.Replace(q, v, "**"+v+"**", 1)
			}
		}
		line += ": “" + q + "”"
		if ev.Excerpt.QuotedFrom != nil {
			line += " (as quoted in " + EscapeFit(ev.Excerpt.Document.Title, 30) + ")"
		}
	}
	line = "• " + line + "\n  ↳ " + EscapeFit(ev.Rationale, pick(full, 500, 250))
	if full {
		line += " `" + ev.ID + "`"
	}
	return line
}
