package commands

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// DefaultAnswerCache is how many answers a Router keeps by default.
const DefaultAnswerCache = 4096

// answerCache keeps the answers of Shared commands, by question and
// server, for as long as the knowledge base's generation is the one they
// were computed in. It holds at most max answers in two halves: when the
// newer half fills, the older is dropped and the newer takes its place,
// and an answer found in the older half moves to the newer (an
// approximation of least-recently-used that costs one map operation).
type answerCache struct {
	max int

	mu       sync.Mutex
	cur, old map[string]cachedAnswer

	hits, misses atomic.Uint64
}

type cachedAnswer struct {
	gen  uint64
	resp *discordgo.InteractionResponse
}

func newAnswerCache(max int) *answerCache {
	if max <= 0 {
		return nil
	}
	return &answerCache{max: max, cur: map[string]cachedAnswer{}, old: map[string]cachedAnswer{}}
}

// get returns the answer kept for key in generation gen.
func (c *answerCache) get(key string, gen uint64) (*discordgo.InteractionResponse, bool) {
	c.mu.Lock()
	a, ok := c.cur[key]
	if !ok {
		if a, ok = c.old[key]; ok {
			delete(c.old, key)
			c.putLocked(key, a)
		}
	}
	c.mu.Unlock()
	if !ok || a.gen != gen {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	return a.resp, true
}

// put keeps resp as the answer to key in generation gen. resp must not be
// changed afterwards: it is shared by everyone who asks the same question.
func (c *answerCache) put(key string, gen uint64, resp *discordgo.InteractionResponse) {
	c.mu.Lock()
	c.putLocked(key, cachedAnswer{gen, resp})
	c.mu.Unlock()
}

func (c *answerCache) putLocked(key string, a cachedAnswer) {
	if len(c.cur) >= (c.max+1)/2 {
		c.old, c.cur = c.cur, make(map[string]cachedAnswer, len(c.cur))
	}
	c.cur[key] = a
}

// CacheStats says how the answer cache has done since the Router was made.
type CacheStats struct {
	Hits, Misses uint64
	Entries      int
}

// CacheStats returns the answer cache's counts; all zero when it is off.
func (rt *Router) CacheStats() CacheStats {
	c := rt.cache
	if c == nil {
		return CacheStats{}
	}
	c.mu.Lock()
	n := len(c.cur) + len(c.old)
	c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Entries: n}
}

// cacheKey returns the key under which the answer to i may be kept, and
// whether it may be kept at all: only for a Shared command, asked as a
// slash command, an autocomplete or a paging or picking component, whose
// answer then depends on nothing but the server, the question and the
// record.
func (rt *Router) cacheKey(actor knowledge.Actor, i *discordgo.Interaction) (string, bool) {
	var b strings.Builder
	writeField(&b, actor.GuildID)
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return "", false
		}
		if cmd := rt.command(data.Name); cmd == nil || !cmd.Shared {
			return "", false
		}
		if i.Type == discordgo.InteractionApplicationCommand {
			b.WriteString("\x00c\x00")
		} else {
			b.WriteString("\x00a\x00")
		}
		writeField(&b, data.Name)
		writeOptions(&b, data.Options)
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok || !(strings.HasPrefix(data.CustomID, PrefixPage+":") || strings.HasPrefix(data.CustomID, PrefixPick+":")) {
			return "", false
		}
		if cmd := rt.command(CustomIDCommand(data.CustomID)); cmd == nil || !cmd.Shared {
			return "", false
		}
		b.WriteString("\x00m")
		writeField(&b, data.CustomID)
		for _, v := range data.Values {
			writeField(&b, v)
		}
	default:
		return "", false
	}
	return b.String(), true
}

// writeOptions writes options (and their sub-options) in name order, with
// which one is focused, so that the same question gives the same key
// whatever order Discord sent it in.
func writeOptions(b *strings.Builder, opts []*discordgo.ApplicationCommandInteractionDataOption) {
	sorted := slices.Clone(opts)
	slices.SortFunc(sorted, func(x, y *discordgo.ApplicationCommandInteractionDataOption) int {
		return strings.Compare(x.Name, y.Name)
	})
	for _, o := range sorted {
		writeField(b, o.Name)
		if o.Focused {
			b.WriteString("*")
		}
		writeField(b, optionString(o.Value))
		if len(o.Options) > 0 {
			b.WriteString("{")
			writeOptions(b, o.Options)
			b.WriteString("}")
		}
	}
}

// writeField writes s with its length first, so that no text a user types
// can make two different questions share a key.
func writeField(b *strings.Builder, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteString(":")
	b.WriteString(s)
}

// CustomIDCommand returns the command named in an OnRecord custom_id
// ("pg:claims?…" gives "claims"), or "" for a custom_id OnRecord did not
// make.
func CustomIDCommand(id string) string {
	_, rest, ok := strings.Cut(id, ":")
	cmd, _, _ := strings.Cut(rest, "?")
	if !ok || len(cmd) > 32 {
		return ""
	}
	return cmd
}
