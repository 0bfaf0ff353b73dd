package commands

import (
	"context"
	"maps"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// pageRequest is where a page of a list starts: at offset, or (back)
// ending just before offset.
type pageRequest struct {
	offset int
	back   bool
}

func pageOf(p Params) pageRequest {
	return pageRequest{offset: p.Int("o"), back: p["d"] == "p"}
}

// window returns the range of items to fetch to build the page: up to max
// items from the offset, or up to max items before it.
func (pr pageRequest) window(max int) (from, limit int) {
	if pr.back {
		from = pr.offset - max
		if from < 0 {
			return 0, pr.offset
		}
		return from, max
	}
	return pr.offset, max
}

// packEmbeds chooses which of the rendered embeds (items from..from+len)
// make the page: forward from the first, or backward from the last when
// going back, as many as fit Discord's 10 embeds and 6000 characters
// (reserve is kept for the rest of the message). It returns the index of
// the first item shown and how many.
func packEmbeds(embeds []*discordgo.MessageEmbed, back bool, reserve int) (start, n int) {
	budget := LimitEmbedTotal - reserve
	if !back {
		total := 0
		for i, e := range embeds {
			total += EmbedUnits(e)
			if i == LimitEmbeds || (total > budget && i > 0) {
				return 0, i
			}
		}
		return 0, len(embeds)
	}
	total := 0
	for i := len(embeds) - 1; i >= 0; i-- {
		total += EmbedUnits(embeds[i])
		if len(embeds)-i > LimitEmbeds || (total > budget && i < len(embeds)-1) {
			return i + 1, len(embeds) - i - 1
		}
	}
	return 0, len(embeds)
}

// pager returns the Previous and Next buttons for a list of total items of
// which items first..first+shown-1 are shown, each carrying in its
// custom_id the command and parameters to build its page. A list with a
// fixed page size (step > 0) goes back step items; one packed by size goes
// back to the page that ends before first. It returns nil when everything
// fits on one page.
func pager(ctx context.Context, t Texter, command string, p Params, first, shown, total, step int) ([]discordgo.MessageComponent, error) {
	if first == 0 && shown >= total {
		return nil, nil
	}
	base := maps.Clone(p)
	button := func(label, dir string, offset int, disabled bool) (discordgo.Button, error) {
		params := maps.Clone(base)
		params["o"], params["d"] = strconv.Itoa(offset), dir
		id, err := State{Prefix: PrefixPage, Command: command, Params: params}.Encode(ctx, t)
		return discordgo.Button{Label: label, Style: discordgo.SecondaryButton, CustomID: id, Disabled: disabled}, err
	}
	prevDir, prevAt := "p", first
	if step > 0 {
		prevDir, prevAt = "n", max(first-step, 0)
	}
	prev, err := button("◀ Previous", prevDir, prevAt, first == 0)
	if err != nil {
		return nil, err
	}
	next, err := button("Next ▶", "n", first+shown, first+shown >= total)
	if err != nil {
		return nil, err
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{prev, next}}}, nil
}

// rangeText says which items a page shows: "1–5 of 12".
func rangeText(first, shown, total int) string {
	if shown == 0 {
		return "0 of " + thousands(total)
	}
	if shown == 1 {
		return thousands(first+1) + " of " + thousands(total)
	}
	return thousands(first+1) + "–" + thousands(first+shown) + " of " + thousands(total)
}
