package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// Discord's limits on what a message may carry (see design/DISCORD.md).
const (
	LimitContent     = 2000
	LimitEmbeds      = 10
	LimitEmbedTotal  = 6000
	LimitTitle       = 256
	LimitDescription = 4096
	LimitFields      = 25
	LimitFieldName   = 256
	LimitFieldValue  = 1024
	LimitFooter      = 2048
	LimitAuthor      = 256
)

// The colours of OnRecord's embeds: one per claim status, chosen to read
// on Discord's light and dark themes alike, and one for people and lists.
const (
	ColourContradicted = 0xD64545 // red
	ColourDisputed     = 0xE0A526 // amber
	ColourSupported    = 0x2E9E6A // green
	ColourUnverified   = 0x7D8691 // grey
	ColourRecord       = 0x3E7CC4 // blue: people, documents, lists
	ColourNotice       = 0x9B6CD1 // purple: not on record, ambiguous
)

// StatusColour returns the embed colour of a claim status.
func StatusColour(s knowledge.Status) int {
	switch s {
	case knowledge.StatusContradicted:
		return ColourContradicted
	case knowledge.StatusDisputed:
		return ColourDisputed
	case knowledge.StatusSupported:
		return ColourSupported
	}
	return ColourUnverified
}

// VerdictColour returns the embed colour of an editorial verdict code.
func VerdictColour(code string) int {
	switch code {
	case "accurate", "mostly-accurate":
		return ColourSupported
	case "false", "misleading":
		return ColourContradicted
	case "corrected":
		return ColourDisputed
	}
	return ColourUnverified
}

// StatusLabel returns how a status reads in an answer.
func StatusLabel(s knowledge.Status) string {
	switch s {
	case knowledge.StatusContradicted:
		return "Contradicted by evidence"
	case knowledge.StatusDisputed:
		return "Disputed: evidence both ways"
	case knowledge.StatusSupported:
		return "Supported by evidence"
	}
	return "Unverified: no evidence either way yet"
}

// embed builds one embed within Discord's limits: every text is cut to its
// own limit, empty fields are left out, and fields stop at 25.
type embed struct {
	e *discordgo.MessageEmbed
}

// newEmbed starts an embed; title is markdown the caller has escaped.
func newEmbed(title string, colour int) *embed {
	return &embed{e: &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: Fit(title, LimitTitle), Color: colour}}
}

func (b *embed) description(text string) *embed {
	b.e.Description = Fit(strings.TrimSpace(text), LimitDescription)
	return b
}

func (b *embed) author(name string) *embed {
	if name = strings.TrimSpace(name); name != "" {
		b.e.Author = &discordgo.MessageEmbedAuthor{Name: Fit(name, LimitAuthor)}
	}
	return b
}

func (b *embed) footer(text string) *embed {
	if text = strings.TrimSpace(text); text != "" {
		b.e.Footer = &discordgo.MessageEmbedFooter{Text: Fit(text, LimitFooter)}
	}
	return b
}

// field adds a field unless value is blank; name and value are cut to their limits.
func (b *embed) field(name, value string, inline bool) *embed {
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if value == "" || name == "" || len(b.e.Fields) == LimitFields {
		return b
	}
	b.e.Fields = append(b.e.Fields, &discordgo.MessageEmbedField{
		Name: Fit(name, LimitFieldName), Value: Fit(value, LimitFieldValue), Inline: inline,
	})
	return b
}

// finish returns the embed, shrunk if need be to Discord's 6000-character
// budget for a message's embeds: the longest of the description and the
// field values is cut (at a word, with an ellipsis) until it fits, so no
// field disappears.
func (b *embed) finish() *discordgo.MessageEmbed {
	for EmbedUnits(b.e) > LimitEmbedTotal {
		longest, n := &b.e.Description, Units(b.e.Description)
		for _, f := range b.e.Fields {
			if u := Units(f.Value); u > n {
				longest, n = &f.Value, u
			}
		}
		if n <= 40 {
			break // cannot happen: 25 fields of 40 and a title fit
		}
		*longest = Fit(*longest, n*2/3)
	}
	return b.e
}

// EmbedUnits returns how much of the 6000-character budget e uses: title,
// description, field names and values, footer and author.
func EmbedUnits(e *discordgo.MessageEmbed) int {
	n := Units(e.Title) + Units(e.Description)
	for _, f := range e.Fields {
		n += Units(f.Name) + Units(f.Value)
	}
	if e.Footer != nil {
		n += Units(e.Footer.Text)
	}
	if e.Author != nil {
		n += Units(e.Author.Name)
	}
	return n
}

// citations numbers the excerpts an answer cites, so that each fact can
// carry a marker ("[2]") and one Sources field quotes them all.
type citations struct {
	ids   []string
	views []knowledge.ExcerptView
}

// cite returns the marker for x, numbering it on first use; "" for nil.
func (c *citations) cite(x *knowledge.ExcerptView) string {
	if x == nil {
		return ""
	}
	for i, id := range c.ids {
		if id == x.ID {
			return fmt.Sprintf(" [%d]", i+1)
		}
	}
	c.ids = append(c.ids, x.ID)
	c.views = append(c.views, *x)
	return fmt.Sprintf(" [%d]", len(c.ids))
}

// field returns the Sources field value: the cited excerpts quoted
// verbatim, grouped under the document each is a span of (named, and
// linked when it has a URL), within limit units.
func (c *citations) field(limit int) string {
	if len(c.views) == 0 {
		return ""
	}
	type group struct {
		head  string
		lines []int // indexes into c.views
	}
	var groups []*group
	byDoc := map[string]*group{}
	for i, x := range c.views {
		key := x.Document.ID
		if x.QuotedFrom != nil {
			key += "<" + x.QuotedFrom.ID
		}
		g, ok := byDoc[key]
		if !ok {
			head := docName(x.Document, 90)
			if x.QuotedFrom != nil {
				head = docName(*x.QuotedFrom, 60) + ", as quoted in " + docName(x.Document, 50)
			}
			g = &group{head: head + ":"}
			byDoc[key] = g
			groups = append(groups, g)
		}
		g.lines = append(g.lines, i)
	}
	fixed := 0
	for _, g := range groups {
		fixed += Units(g.head) + 1
	}
	per := (limit-fixed)/len(c.views) - 8 // "[n] “…”\n"
	var out []string
	for _, g := range groups {
		out = append(out, g.head)
		for _, i := range g.lines {
			out = append(out, fmt.Sprintf("[%d] “%s”", i+1, EscapeFit(c.views[i].Text, max(per, 24))))
		}
	}
	return Fit(strings.Join(out, "\n"), limit)
}

// docName names a document for a citation: its title in italics, linked
// when it has a URL, with its kind and date as precise as the source.
func docName(d knowledge.DocRef, titleMax int) string {
	title := "*" + EscapeFit(d.Title, titleMax) + "*"
	if d.URL != "" {
		title = "[" + EscapeFit(d.Title, titleMax) + "](" + linkURL(d.URL) + ")"
	}
	meta := string(d.Kind)
	if w := when(d.Date, d.DateText); w != "" {
		meta += ", " + w
	}
	return title + " (" + meta + ")"
}

// linkURL makes a validated http(s) URL safe inside a markdown link.
func linkURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(u)
}

// when returns a date as precisely as the source gives it: the source's
// own words when there are some ("late on Friday"), otherwise the partial
// date spelt out ("June 2017", "2015").
func when(date, text string) string {
	if strings.TrimSpace(text) != "" {
		return Escape(text)
	}
	return spellDate(date)
}

// spellDate turns a partial ISO date into words: 2015, June 2017, 15 June 2017.
func spellDate(date string) string {
	months := [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	var nums [3]int
	n := 0
	for _, part := range strings.SplitN(date, "-", 3) {
		v, err := strconv.Atoi(part)
		if err != nil || v < 0 {
			break
		}
		nums[n] = v
		n++
	}
	y, m, d := nums[0], nums[1], nums[2]
	switch {
	case n == 3 && m >= 1 && m <= 12:
		return fmt.Sprintf("%d %s %d", d, months[m-1], y)
	case n == 2 && m >= 1 && m <= 12:
		return fmt.Sprintf("%s %d", months[m-1], y)
	case n >= 1:
		return fmt.Sprintf("%d", y)
	}
	return ""
}

// listJoin joins names as English does: "A", "A and B", "A, B and C".
func listJoin(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
