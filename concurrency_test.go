package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// TestSustainedReadsAndWrites runs every read command and autocomplete
// from many goroutines while moderators of three servers write, for
// ONRECORD_CONCURRENCY_SECONDS (10 by default, 2 with -short). No answer
// may be an error (above all "the record is busy"), every write must be
// acknowledged and then be in the record, and the database must check
// out whole afterwards.
func TestSustainedReadsAndWrites(t *testing.T) {
	seconds := 10
	if testing.Short() {
		seconds = 2
	}
	if v := os.Getenv("ONRECORD_CONCURRENCY_SECONDS"); v != "" {
		fmt.Sscan(v, &seconds)
	}
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "kb.db"), db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rt := commands.NewRouter(store, commands.Deps{})
	d := &bot.Dispatcher{Router: rt}
	defs := rt.Definitions()

	reads := []string{
		"/who Hugh Ind", "/who Rudd", "/who Hugh Indd", "/claims Amber Rudd", "/claim c-rudd-no-targets-committee", "/document the memo",
		"/contradictions", "/search removal targets", "/timeline", "/sources", "/about", "/who Writer",
		"complete:/who Hu", "complete:/claims Wri", "complete:/claim targ",
	}
	guilds := []string{"100000000000000001", "100000000000000002", "100000000000000003"}
	interaction := func(asker bot.Asker, line string) *discordgo.Interaction {
		i, err := lineInteraction(defs, asker, line)
		if err != nil {
			panic(fmt.Sprintf("the test's own command line %q: %v", line, err))
		}
		return i
	}
	failed := func(resp *discordgo.InteractionResponse, outcome bot.Outcome) string {
		if outcome != bot.OutcomeOK {
			msg := ""
			if resp.Data != nil {
				msg = resp.Data.Content
			}
			return fmt.Sprintf("%s: %s", outcome, msg)
		}
		return ""
	}

	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var answered, written atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	report := func(s string) {
		select {
		case errs <- s:
		default:
		}
	}
	for r := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			asker := bot.Asker{GuildID: guilds[r%len(guilds)], UserID: fmt.Sprint(200000000000000000 + r)}
			for n := 0; time.Now().Before(deadline); n++ {
				line := reads[(n+r)%len(reads)]
				resp, outcome := d.Dispatch(ctx, interaction(asker, line))
				if f := failed(resp, outcome); f != "" {
					report(line + " → " + f)
					return
				}
				answered.Add(1)
			}
		}()
	}
	names := make([][]string, len(guilds))
	for w, guild := range guilds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mod := bot.Asker{GuildID: guild, UserID: fmt.Sprint(300000000000000000 + w), Rank: "moderator"}
			for n := 0; time.Now().Before(deadline); n++ {
				name := fmt.Sprintf("Writer%d Number%d", w, n)
				lines := []string{fmt.Sprintf("/kb person add name:%s", name), fmt.Sprintf("/kb alias add person:%s alias:W%dN%d", name, w, n)}
				for _, line := range lines {
					resp, outcome := d.Dispatch(ctx, interaction(mod, line))
					if f := failed(resp, outcome); f != "" {
						report(line + " → " + f)
						return
					}
					written.Add(1)
				}
				names[w] = append(names[w], name)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if t.Failed() {
		return
	}
	t.Logf("%d s: %d reads and %d writes answered", seconds, answered.Load(), written.Load())
	if answered.Load() == 0 || written.Load() == 0 {
		t.Fatal("nothing happened")
	}
	for w, guild := range guilds {
		scope := knowledge.Scope{Guild: guild}
		for _, name := range names[w] {
			res, err := store.FindPerson(ctx, scope, name)
			if err != nil {
				t.Fatal(err)
			}
			if m, ok := res.Found(); !ok || !strings.EqualFold(m.Name, name) {
				t.Fatalf("%s, acknowledged in server %s, is not found there", name, guild)
			}
		}
	}
	problems, err := store.Check(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("after the run: %v %v", problems, err)
	}
}
