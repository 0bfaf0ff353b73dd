package db_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// killWriterEnv, when set to a database path, makes TestKillWriterChild
// the child process that TestKillDuringWrites kills.
const killWriterEnv = "ONRECORD_KILL_WRITER_DB"

// TestKillDuringWrites kills a process with SIGKILL while several of its
// goroutines write as moderators, again and again. After each kill the
// database must pass Check, every write the child acknowledged (printed
// after the store returned success, as a user would have been told) must
// be there with its audit row, and nothing half-written may exist.
func TestKillDuringWrites(t *testing.T) {
	rounds := 50
	if testing.Short() {
		rounds = 5
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.db")
	s, err := db.Open(ctx, path, db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	acked := map[string]string{} // record id → the summary its last acknowledged write gave
	writes := 0
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillWriterChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), killWriterEnv+"="+path, "ONRECORD_KILL_ROUND="+strconv.Itoa(round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Kill once writing is under way, at a random moment.
		started := false
		deadline := time.After(10 * time.Second)
		for !started {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("round %d: the child ended before writing", round)
				}
				record(t, acked, l)
				started = true
			case <-deadline:
				cmd.Process.Kill()
				t.Fatalf("round %d: the child never wrote", round)
			}
		}
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for l := range lines {
			record(t, acked, l)
			writes++
		}
		cmd.Wait()

		s, err := db.Open(ctx, path, db.Options{})
		if err != nil {
			t.Fatalf("round %d: reopening after the kill: %v", round, err)
		}
		problems, err := s.Check(ctx)
		if err != nil || len(problems) > 0 {
			s.Close()
			t.Fatalf("round %d: after the kill: %v %v", round, problems, err)
		}
		for id, summary := range acked {
			e, _, err := s.Entry(ctx, killOwner, id)
			if err != nil {
				s.Close()
				t.Fatalf("round %d: acknowledged record %s is gone: %v", round, id, err)
			}
			if got := e.(*knowledge.Person).Summary; got != summary {
				// A later write may have committed without being
				// acknowledged before the kill; an earlier one may not win.
				if !laterThan(got, summary) {
					s.Close()
					t.Fatalf("round %d: %s reads %q, but %q was acknowledged", round, id, got, summary)
				}
			}
			audit, err := s.Audit(ctx, killOwner, knowledge.AuditFilter{Record: id, Limit: 50})
			if err != nil || len(audit) == 0 {
				s.Close()
				t.Fatalf("round %d: acknowledged record %s has no audit row: %v", round, id, err)
			}
		}
		s.Close()
	}
	t.Logf("%d rounds, %d writes acknowledged after the first of each round, %d records", rounds, writes, len(acked))
	if len(acked) < rounds {
		t.Fatalf("only %d writes were acknowledged in %d rounds: the test did not exercise much", len(acked), rounds)
	}
}

// killOwner reads every record of the test's server.
var killOwner = knowledge.Actor{UserID: "9009", GuildID: "42", Rank: knowledge.RankOwner}

// record notes an acknowledged write: "ack ID SUMMARY".
func record(t *testing.T, acked map[string]string, line string) {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "ack ")
	if !ok {
		return
	}
	id, summary, _ := strings.Cut(rest, " ")
	if prev, ok := acked[id]; !ok || laterThan(summary, prev) {
		acked[id] = summary
	}
}

// laterThan reports whether summary a was written after b: summaries are
// "edit N" with N counting up per record.
func laterThan(a, b string) bool {
	na, _ := strconv.Atoi(strings.TrimPrefix(a, "edit "))
	nb, _ := strconv.Atoi(strings.TrimPrefix(b, "edit "))
	return na > nb
}

// TestKillWriterChild is the process TestKillDuringWrites kills: four
// goroutines add people and edit them, printing each acknowledged write.
func TestKillWriterChild(t *testing.T) {
	path := os.Getenv(killWriterEnv)
	if path == "" {
		t.Skip("the child of TestKillDuringWrites")
	}
	ctx := context.Background()
	s, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	round := os.Getenv("ONRECORD_KILL_ROUND")
	mod := knowledge.Actor{UserID: "1001", GuildID: "42", Rank: knowledge.RankModerator}
	var mu sync.Mutex
	ack := func(id, summary string) {
		mu.Lock()
		fmt.Printf("ack %s %s\n", id, summary)
		os.Stdout.Sync()
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				id := fmt.Sprintf("p-kill-%s-%d-%d", round, g, n)
				p := &knowledge.Person{Record: knowledge.Record{ID: id}, Name: fmt.Sprintf("Kill Round%s Writer%d Number%d", round, g, n), Summary: "edit 0"}
				if _, err := s.Add(ctx, knowledge.Change{Actor: mod, Action: knowledge.ActionAdd, Reason: "kill test"}, p); err != nil {
					t.Errorf("add: %v", err)
					return
				}
				ack(id, "edit 0")
				for e := 1; e <= 3; e++ {
					summary := "edit " + strconv.Itoa(e)
					if err := s.Edit(ctx, knowledge.Change{Actor: mod, Action: knowledge.ActionEdit, Reason: "kill test"}, id, 0, func(en knowledge.Entry) error {
						en.(*knowledge.Person).Summary = summary
						return nil
					}); err != nil {
						t.Errorf("edit: %v", err)
						return
					}
					ack(id, summary)
				}
			}
		}()
	}
	wg.Wait()
}
