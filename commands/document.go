package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

func documentCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "document",
			Description: "A source: what it is, who wrote, sent or received it, what it says and which statements it bears on",
			Contexts:    allContexts(),
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "name", Required: true, MaxLength: maxQuery, Autocomplete: true,
				Description: "The document: the memo, the 2015 report, the article, a title or an id",
			}},
		},
		Example: "/document the memo",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			q, err := text(p, "name", "document", "the memo", true)
			if err != nil {
				return nil, err
			}
			res, err := store.FindDocument(ctx, req.Actor.Scope(), q)
			if err != nil {
				return nil, err
			}
			switch len(res.Best) {
			case 0:
				return notFound("No document on record is called “"+EscapeFit(q, 100)+"”.",
					"A kind (`/document the memo`), words from the title, or `/sources` for the list."), nil
			case 1:
			default:
				var lines []string
				for _, d := range res.Best[:min(len(res.Best), 10)] {
					lines = append(lines, "• "+docName(d, 80)+" · `"+d.ID+"`")
				}
				return notFound(fmt.Sprintf("“%s” fits %d documents.", EscapeFit(q, 100), len(res.Best)),
					"Pick one as you type, or give its id:\n"+strings.Join(lines, "\n")), nil
			}
			dp, err := store.DocumentProfile(ctx, req.Actor.Scope(), res.Best[0].ID)
			if err != nil {
				return nil, err
			}
			return message("", documentEmbed(dp)), nil
		},
		Complete: func(ctx context.Context, req *Request, _, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
			return suggest(ctx, store, req, "document", typed)
		},
	}
}

// documentEmbed renders a document: what it is and when, its parties with
// the source's hedges, the excerpts held from it, its figures, and the
// statements it bears on.
func documentEmbed(dp *knowledge.DocumentProfile) *discordgo.MessageEmbed {
	d := dp.Document
	var cites citations
	b := newEmbed(EscapeFit(d.Title, 200), ColourRecord)
	if d.URL != "" {
		b.e.URL = d.URL
	}
	what := upperFirst(string(d.Kind))
	if w := when(d.Date, d.DateText); w != "" {
		what += " · " + w
	} else {
		what += " · undated in the source"
	}
	b.description(what + "\n" + EscapeFit(d.Summary, 1500) + cites.cite(first(dp.Sources)))

	// Parties of one role with one hedge share a line: "Sent to: A, B
	// and others (reportedly)".
	type group struct {
		role  knowledge.PartyRole
		hedge string
		names []string
	}
	var groups []*group
	for _, p := range dp.Parties {
		var g *group
		for _, x := range groups {
			if x.role == p.Role && x.hedge == p.Hedge {
				g = x
			}
		}
		if g == nil {
			g = &group{role: p.Role, hedge: p.Hedge}
			groups = append(groups, g)
		}
		g.names = append(g.names, Escape(p.Name))
	}
	var parties []string
	for _, g := range groups {
		line := "• " + upperFirst(partyRoleText(g.role)) + ": " + listJoin(g.names)
		if g.hedge != "" {
			line += " (" + Escape(g.hedge) + ", the source says)"
		}
		parties = append(parties, line)
	}
	b.field("Who", fitLines(parties, LimitFieldValue), false)

	inferred := map[string]bool{}
	for _, dc := range dp.Claims {
		inferred[dc.Claim.ID] = dc.Claim.Attribution == knowledge.AttrInferred
	}
	var figs []string
	for _, f := range dp.Figures {
		line := "• **" + Escape(f.Value) + "** " + Escape(f.Label)
		if f.Period != "" {
			line += ", " + Escape(f.Period)
		}
		if inferred[f.Claim] {
			line += " (from a quotation attributed to it by inference)"
		}
		figs = append(figs, line)
	}
	b.field("Figures", fitLines(figs, LimitFieldValue), false)

	var held []string
	for i := range dp.Excerpts {
		held = append(held, "• “"+EscapeFit(dp.Excerpts[i].Text, 160)+"”"+cites.cite(&dp.Excerpts[i]))
	}
	if dp.ExcerptCount > len(dp.Excerpts) {
		held = append(held, fmt.Sprintf("… %d excerpts in all", dp.ExcerptCount))
	}
	b.field("What the record quotes from it", fitLines(held, LimitFieldValue), false)

	var claims []string
	for _, dc := range dp.Claims {
		who := "unattributed"
		if dc.Claim.Speaker != nil {
			who = Escape(dc.Claim.Speaker.Name)
		}
		line := fmt.Sprintf("• %s: “%s” — %s `%s`", who, EscapeFit(dc.Claim.Words, 110), docRelationText(dc.Relation, dc.Claim), dc.Claim.ID)
		claims = append(claims, line)
	}
	b.field("Statements it bears on", fitLines(claims, LimitFieldValue), false)
	if d.URL != "" {
		b.field("Link", "[Open the document]("+linkURL(d.URL)+")", false)
	}
	b.field("Sources", cites.field(LimitFieldValue), false)
	b.footer("id " + d.ID)
	return b.finish()
}

func partyRoleText(r knowledge.PartyRole) string {
	switch r {
	case knowledge.PartyAuthor:
		return "written by"
	case knowledge.PartySender:
		return "sent by"
	case knowledge.PartyRecipient:
		return "sent to"
	case knowledge.PartyPublisher:
		return "published by"
	case knowledge.PartySeenBy:
		return "seen by"
	}
	return string(r)
}

// docRelationText says how a document bears on a statement.
func docRelationText(rel string, c knowledge.ClaimView) string {
	switch rel {
	case "says":
		if c.Attribution == knowledge.AttrInferred {
			return "its own words by inference, not stated (" + string(c.Status) + ")"
		}
		return "its own words (" + string(c.Status) + ")"
	case "reports":
		return "reported here (" + string(c.Status) + ")"
	case string(knowledge.RelShowsKnowledge):
		return "it shows what they knew"
	case string(knowledge.RelContradicts):
		return "it contradicts this"
	case string(knowledge.RelSupports):
		return "it supports this"
	}
	return "it gives context"
}
