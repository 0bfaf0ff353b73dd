package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

func claimCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "claim",
			Description: "One statement in full: the words, who, when, where, and every piece of evidence",
			Contexts:    allContexts(),
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "id", Required: true, MaxLength: maxQuery, Autocomplete: true,
				Description: "The statement: its id (c-…) from a footer, or words from it",
			}},
		},
		Example: "/claim c-rudd-no-targets-committee",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			q, err := text(p, "id", "claim", "c-rudd-tweet", true)
			if err != nil {
				return nil, err
			}
			id := q
			if !knowledge.ValidID(q, "claim") {
				// Words rather than an id: take the statement they pick out.
				choices, err := store.Suggest(ctx, req.Actor.Scope(), "claim", q)
				if err != nil {
					return nil, err
				}
				switch len(choices) {
				case 0:
					return notFound("No statement on record matches “"+EscapeFit(q, 100)+"”.", "Pick one from the list as you type, or try `/search "+strings.ReplaceAll(q, "`", "")+"`."), nil
				case 1:
					id = choices[0].Value
				default:
					var lines []string
					for _, c := range choices[:min(len(choices), 10)] {
						lines = append(lines, "• `"+c.Value+"` "+EscapeFit(c.Name, 150))
					}
					return notFound(fmt.Sprintf("%d statements match “%s”.", len(choices), EscapeFit(q, 100)),
						"Choose one by its id:\n"+strings.Join(lines, "\n")), nil
				}
			}
			c, err := store.Claim(ctx, req.Actor.Scope(), id)
			if knowledge.ErrorCode(err) == knowledge.CodeNotFound {
				return notFound("There is no statement "+Escape(id)+" on record here.", "Ids are shown in the footers of `/claims`; pick one from the list as you type."), nil
			}
			if err != nil {
				return nil, err
			}
			return message("", ClaimDetail(*c)), nil
		},
		Complete: func(ctx context.Context, req *Request, _, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
			return suggest(ctx, store, req, "claim", typed)
		},
	}
}

// notFound is the answer when what was asked for is not on record: what
// was searched, and what to try next.
func notFound(what, try string) *discordgo.InteractionResponseData {
	b := newEmbed("Not on record", ColourNotice)
	b.description(what)
	b.field("Try", try, false)
	return message("", b.finish())
}

func contradictionsCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "contradictions",
			Description: "Statements the evidence contradicts, strongest first, with the evidence beside them",
			Contexts:    allContexts(),
			Options:     []*discordgo.ApplicationCommandOption{personOption("person", "Only this person's statements", false)},
		},
		Example: "/contradictions person:Amber Rudd",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			q := knowledge.ClaimQuery{Contradicted: true}
			who := ""
			if name, err := text(p, "person", "contradictions", "Amber Rudd", false); err != nil {
				return nil, err
			} else if name != "" {
				m, answer, err := resolvePerson(ctx, store, req, "contradictions", "person", p)
				if err != nil || answer != nil {
					return answer, err
				}
				q.Speaker, who = m.PersonID, m.Name
				p = Params{"person": m.PersonID, "o": p["o"], "d": p["d"]}
			}
			return claimPages(ctx, store, req, "contradictions", p, q,
				func(total int) string {
					line := fmt.Sprintf("%d %s contradicted by evidence", total, plural(total, "statement", "statements"))
					if who != "" {
						line = "**" + Escape(who) + "**: " + line
					}
					return line + ", strongest first."
				},
				func() *discordgo.InteractionResponseData {
					if who != "" {
						return notFound("No statement by "+Escape(who)+" is contradicted by evidence on record.", "`/claims "+strings.ReplaceAll(who, "`", "")+"` lists all of them.")
					}
					return notFound("No statement on record is contradicted by evidence.", "`/claims` lists a person's statements.")
				})
		},
		Complete: func(ctx context.Context, req *Request, _, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
			return suggest(ctx, store, req, "person", typed)
		},
	}
}

// contradictionEmbed shows a contradicted claim with its strongest
// contradicting evidence side by side.
func contradictionEmbed(c knowledge.ClaimView) *discordgo.MessageEmbed {
	var cites citations
	b := newEmbed(StatusLabel(c.Status), StatusColour(c.Status))
	b.author(speakerLine(c))
	said := Quote(c.Words, 700)
	if c.Form == knowledge.FormReported {
		said = "*Reported:* " + EscapeFit(c.Words, 700)
	}
	if how := saidHow(c); how != "" {
		said += "\n" + how
	}
	said += cites.cite(c.Source)
	var contra []knowledge.EvidenceView
	for _, ev := range c.Evidence {
		if ev.Relation == knowledge.RelContradicts {
			contra = append(contra, ev)
		}
	}
	b.field("Said", said, true)
	if len(contra) > 0 {
		ev := contra[0]
		var right strings.Builder
		if ev.Document != nil {
			right.WriteString("**" + upperFirst(string(ev.Document.Kind)) + " “" + EscapeFit(ev.Document.Title, 60) + "”**")
			if w := when(ev.Document.Date, ev.Document.DateText); w != "" {
				right.WriteString(" (" + w + ")")
			}
			right.WriteString("\n")
		}
		if ev.Excerpt != nil {
			right.WriteString(Quote(ev.Excerpt.Text, 500) + cites.cite(ev.Excerpt))
		}
		b.field("Evidence", right.String(), true)
		b.field("Why it contradicts", EscapeFit(ev.Rationale, 400), false)
		if len(contra) > 1 {
			b.field("More", fmt.Sprintf("%d more contradicting %s: `/claim %s`", len(contra)-1, plural(len(contra)-1, "source", "sources"), c.ID), false)
		}
	}
	if c.Attribution == knowledge.AttrInferred {
		b.field("Speaker inferred, not stated", EscapeFit(c.AttributionReason, 300), false)
	}
	b.field("Sources", cites.field(500), false)
	b.footer("id " + c.ID)
	return b.finish()
}
