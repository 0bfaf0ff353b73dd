package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

func whoCommand(store Store) *Command {
	return &Command{
		Shared: true, // the answer depends on the server, the question and the record only
		Def: &discordgo.ApplicationCommand{
			Name:        "who",
			Description: "Who is this person? Their roles, what they did and said on the record, with sources",
			Contexts:    allContexts(),
			Options: []*discordgo.ApplicationCommandOption{{
				Type:         discordgo.ApplicationCommandOptionString,
				Name:         "name",
				Description:  "A name, surname, title form or role: Hugh Ind, Rudd, Ms Rudd, the home secretary",
				Required:     true,
				MaxLength:    maxQuery,
				Autocomplete: true,
			}},
		},
		Example: "/who Hugh Ind",
		Run: func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error) {
			if _, err := text(p, "name", "who", "Hugh Ind", true); err != nil {
				return nil, err
			}
			m, answer, err := resolvePerson(ctx, store, req, "who", "name", p)
			if err != nil || answer != nil {
				return answer, err
			}
			pp, err := store.PersonProfile(ctx, req.Actor.Scope(), m.PersonID)
			if err != nil {
				return nil, err
			}
			return message("", profileEmbed(pp)), nil
		},
		Complete: func(ctx context.Context, req *Request, _, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
			return suggest(ctx, store, req, "person", typed)
		},
	}
}

// allContexts is where OnRecord's read commands appear: servers, the
// bot's DMs and private channels.
func allContexts() *[]discordgo.InteractionContextType {
	return &[]discordgo.InteractionContextType{
		discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel,
	}
}

// profileEmbed renders a person: summary, roles, what they did, what they
// said, and every fact's source.
func profileEmbed(pp *knowledge.PersonProfile) *discordgo.MessageEmbed {
	p := pp.Person
	var cites citations
	b := newEmbed(Escape(p.Name), ColourRecord)
	b.description(EscapeFit(p.Summary, 1500) + cites.cite(first(pp.Sources)))

	var roles []string
	for _, r := range pp.Roles {
		line := Escape(r.Title)
		if r.Org != nil {
			line += ", " + Escape(r.Org.Name)
			if r.Parent != nil {
				line += " (" + Escape(r.Parent.Name) + ")"
			}
		}
		if span := period(r.From, r.To); span != "" {
			line += " · " + span
		}
		roles = append(roles, "• "+line+cites.cite(r.Source))
	}
	b.field(plural(len(roles), "Role", "Roles"), strings.Join(roles, "\n"), false)

	var did []string
	for _, pv := range pp.Parties {
		did = append(did, "• "+partyLine(pv)+cites.cite(pv.Source))
	}
	for _, ev := range pp.Events {
		did = append(did, "• "+eventLine(ev, p.ID)+cites.cite(ev.Source))
	}
	b.field("In the record", fitLines(did, LimitFieldValue), false)

	b.field("On the record", saidLines(pp, &cites), false)
	if pp.ClaimsAbout > 0 {
		b.field("About them", fmt.Sprintf("%d %s by others on record %s about %s.",
			pp.ClaimsAbout, plural(pp.ClaimsAbout, "statement", "statements"), plural(pp.ClaimsAbout, "is", "are"), Escape(p.Name)), false)
	}
	b.field("Sources", cites.field(LimitFieldValue), false)
	b.footer("id " + p.ID + " · OnRecord: every fact is quoted from its source")
	return b.finish()
}

func first(xs []knowledge.ExcerptView) *knowledge.ExcerptView {
	if len(xs) == 0 {
		return nil
	}
	return &xs[0]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// period renders a role's dates: "from 2016", "until 2018", "2016 to 2018".
func period(from, to string) string {
	switch {
	case from != "" && to != "":
		return spellDate(from) + " to " + spellDate(to)
	case from != "":
		return "from " + spellDate(from)
	case to != "":
		return "until " + spellDate(to)
	}
	return ""
}

// partyLine says what the person did with a document, with the source's
// hedge: "Reportedly sent the memo “Summary of performance” (June 2017) to
// Amber Rudd, Brandon Lewis and other senior officials and civil servants".
func partyLine(pv knowledge.PartyView) string {
	others := func(role knowledge.PartyRole) []string {
		var out []string
		for _, o := range pv.Parties {
			if o.Role == role && !o.Self {
				out = append(out, Escape(o.Name))
			}
		}
		return out
	}
	doc := fmt.Sprintf("the %s “%s”", pv.Document.Kind, EscapeFit(pv.Document.Title, 120))
	if w := when(pv.Document.Date, pv.Document.DateText); w != "" {
		doc += " (" + w + ")"
	}
	hedge := ""
	if pv.Hedge != "" {
		hedge = Escape(pv.Hedge) + " "
	}
	var line string
	switch pv.Role {
	case knowledge.PartySender:
		line = hedge + "sent " + doc
		if to := others(knowledge.PartyRecipient); len(to) > 0 {
			line += " to " + listJoin(to)
		}
	case knowledge.PartyRecipient:
		line = "was " + hedge + "sent " + doc
		if from := others(knowledge.PartySender); len(from) > 0 {
			line += " by " + listJoin(from)
		}
		if with := others(knowledge.PartyRecipient); len(with) > 0 {
			line += ", as were " + listJoin(with)
		}
	case knowledge.PartyAuthor:
		line = hedge + "wrote " + doc
	case knowledge.PartyPublisher:
		line = hedge + "published " + doc
	case knowledge.PartySeenBy:
		line = hedge + "saw " + doc
	default:
		line = hedge + string(pv.Role) + " of " + doc
	}
	return upperFirst(line)
}

// eventLine says what happened, from the person's side: as an actor
// ("Rallied behind Ms Rudd, with Philip Davies (Thursday)") or as a
// subject ("Sir Nicholas Soames and Philip Davies: rallied behind Ms Rudd").
func eventLine(ev knowledge.EventView, self string) string {
	isActor := false
	var with []string
	for _, a := range ev.Actors {
		if a.ID == self {
			isActor = true
		} else {
			with = append(with, Escape(a.Name))
		}
	}
	line := EscapeFit(ev.Summary, 300)
	switch {
	case isActor && len(with) > 0:
		line += ", with " + listJoin(with)
	case !isActor && len(with) > 0:
		line = listJoin(with) + ": " + lowerFirst(line)
	}
	if w := when(ev.Date, ev.DateText); w != "" {
		line += " (" + w + ")"
	}
	return line
}

// saidLines summarises the person's claims: counts by status, and the
// first few quoted with their status.
func saidLines(pp *knowledge.PersonProfile, cites *citations) string {
	if pp.ClaimsBy == 0 {
		return "No statements by " + Escape(pp.Person.Name) + " are on record yet."
	}
	head := fmt.Sprintf("%d %s", pp.ClaimsBy, plural(pp.ClaimsBy, "statement", "statements"))
	if pp.InferredBy > 0 {
		head += fmt.Sprintf(" (%d with the speaker inferred, not stated)", pp.InferredBy)
	}
	var counts []string
	for _, s := range []knowledge.Status{knowledge.StatusContradicted, knowledge.StatusDisputed, knowledge.StatusSupported, knowledge.StatusUnverified} {
		if n := pp.Statuses[s]; n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, s))
		}
	}
	lines := []string{head + ": " + strings.Join(counts, " · ") + "."}
	for _, c := range pp.TopClaims {
		line := "• “" + EscapeFit(c.Words, 140) + "” — " + string(c.Status)
		if c.Attribution == knowledge.AttrInferred {
			line += ", speaker inferred"
		}
		lines = append(lines, line+cites.cite(c.Source))
	}
	lines = append(lines, "Every statement, its evidence and sources: `/claims "+strings.ReplaceAll(pp.Person.Name, "`", "")+"`")
	return fitLines(lines, LimitFieldValue)
}

// fitLines joins lines with newlines, dropping whole lines from the end
// (and saying how many) rather than cutting one in the middle.
func fitLines(lines []string, limit int) string {
	out := strings.Join(lines, "\n")
	if Units(out) <= limit {
		return out
	}
	for n := len(lines) - 1; n > 0; n-- {
		more := fmt.Sprintf("\n… %d more", len(lines)-n)
		if s := strings.Join(lines[:n], "\n"); Units(s)+Units(more) <= limit {
			return s + more
		}
	}
	return Fit(lines[0], limit)
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
