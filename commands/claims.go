package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// claimsStore is what /claims reads.
type claimsStore interface {
	PersonFinder
	// ClaimsBySpeaker returns person id's claims, most consequential first.
	ClaimsBySpeaker(ctx context.Context, scope knowledge.Scope, id string) ([]knowledge.ClaimView, error)
}

func claimsCommand(store claimsStore) *Command {
	return &Command{
		Def: &discordgo.ApplicationCommand{
			Name:        "claims",
			Description: "What did this person say on the record, and what does the evidence show?",
			Contexts:    allContexts(),
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionString,
				Name:        "person",
				Description: "A name, surname, title form or role: Amber Rudd, Rudd, the home secretary",
				Required:    true,
				MaxLength:   maxQuery,
			}},
		},
		Handle: func(ctx context.Context, req *Request) (*discordgo.InteractionResponse, error) {
			return claimsOf(ctx, store, req)
		},
	}
}

func claimsOf(ctx context.Context, store claimsStore, req *Request) (*discordgo.InteractionResponse, error) {
	name, err := requiredText(req, "person", "Amber Rudd")
	if err != nil {
		return nil, err
	}
	m, answer, err := resolvePerson(ctx, store, req.Actor, "claims", name)
	if err != nil || answer != nil {
		return answer, err
	}
	claims, err := store.ClaimsBySpeaker(ctx, req.Actor.Scope(), m.PersonID)
	if err != nil {
		return nil, err
	}
	if len(claims) == 0 {
		b := newEmbed("No statements on record", ColourNotice)
		b.description(fmt.Sprintf("The record holds no statements by %s yet. `/who %s` shows what else it holds about them.",
			Escape(m.Name), strings.ReplaceAll(m.Name, "`", "")))
		b.footer("id " + m.PersonID)
		return Message("", b.e), nil
	}
	embeds := make([]*discordgo.MessageEmbed, len(claims))
	for i := range claims {
		embeds[i] = ClaimEmbed(claims[i])
	}
	shown := fitEmbeds(embeds)
	content := fmt.Sprintf("**%s**: %d %s on record, most consequential first.",
		Escape(m.Name), len(claims), plural(len(claims), "statement", "statements"))
	if len(shown) < len(claims) {
		content += fmt.Sprintf(" Showing %d of %d.", len(shown), len(claims))
	}
	return Message(content, shown...), nil
}

// ClaimEmbed renders one claim: who said it (and whether the record only
// infers that), the words, when, where and how, its status, the evidence
// grouped by relation with each excerpt quoted, and its sources. It stays
// well under a third of a message's 6000-character budget.
func ClaimEmbed(c knowledge.ClaimView) *discordgo.MessageEmbed {
	var cites citations
	b := newEmbed(StatusLabel(c.Status), StatusColour(c.Status))
	b.author(speakerLine(c))

	var desc strings.Builder
	switch c.Form {
	case knowledge.FormReported:
		desc.WriteString("*Reported, not quoted:* " + EscapeFit(c.Words, 500))
	default:
		desc.WriteString(Quote(c.Words, 600))
	}
	if said := saidHow(c); said != "" {
		desc.WriteString("\n" + said)
	}
	desc.WriteString(cites.cite(c.Source))
	b.description(desc.String())

	if c.Attribution == knowledge.AttrInferred {
		b.field("Speaker inferred, not stated", EscapeFit(c.AttributionReason, 400), false)
	}
	if c.Attribution == knowledge.AttrUnattributed {
		b.field("Speaker unknown", "The source gives no speaker for these words.", false)
	}
	if len(c.Subjects) > 0 {
		var names []string
		for _, s := range c.Subjects {
			names = append(names, Escape(s.Name))
		}
		b.field("About", listJoin(names), true)
	}
	for _, rel := range []knowledge.Relation{knowledge.RelContradicts, knowledge.RelSupports, knowledge.RelShowsKnowledge, knowledge.RelContext} {
		var lines []string
		for _, ev := range c.Evidence {
			if ev.Relation == rel {
				lines = append(lines, evidenceLine(ev))
			}
		}
		b.field(relationHeading(rel, len(lines)), fitLines(lines, LimitFieldValue), false)
	}
	if c.SourceURL != "" {
		b.field("Source", "[“"+EscapeFit(c.SourceQuote, 200)+"”]("+linkURL(c.SourceURL)+")", false)
	}
	b.field("Source", cites.field(400), false)
	b.footer("id " + c.ID)
	return b.e
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
	}
	return "Context"
}

// evidenceLine renders one piece of evidence: the document the words come
// from, the excerpt quoted verbatim with its figures in bold, and the
// rationale.
func evidenceLine(ev knowledge.EvidenceView) string {
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
		q := EscapeFit(ev.Excerpt.Text, 200)
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
	return "• " + line + "\n  ↳ " + EscapeFit(ev.Rationale, 250)
}
