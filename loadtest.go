package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/config"
)

// loadtest measures `onrecord serve` against a bare endpoint that only
// verifies the signature and writes a fixed answer: each runs as its own
// process, gets the same pre-signed requests at a fixed concurrency, and
// is measured by its own CPU time (from /proc) per request, the figure
// that travels between machines, besides requests per second and latency.
func loadtest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("onrecord loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	requests := fs.Int("requests", 20000, "requests to send to each server")
	concurrency := fs.Int("concurrency", 32, "requests in flight at once")
	dbPath := fs.String("db", "", "database for onrecord serve (default: a new seeded one)")
	cpuprofile := fs.String("cpuprofile", "", "write onrecord serve's CPU profile to FILE (and, with the answer cache off, FILE.nocache)")
	if err := fs.Parse(args); err != nil {
		return usage("%v", err)
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the onrecord binary: %w", err)
	}
	dir, err := os.MkdirTemp("", "onrecord-loadtest")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	if *dbPath == "" {
		*dbPath = filepath.Join(dir, "kb.db")
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	bodies := loadBodies()
	reqs := make([]signedReq, *requests)
	now := time.Now()
	for i := range reqs {
		b := bodies[i%len(bodies)]
		sig, ts := bot.SignRequest(priv, b, now)
		reqs[i] = signedReq{body: b, sig: sig, ts: ts}
	}
	verify := measureVerify(pub, reqs[0])
	fmt.Fprintf(stdout, "machine: %d CPUs; %d requests per server, %d in flight; bodies: %d /who, /claims and autocomplete\n",
		runtime.NumCPU(), *requests, *concurrency, len(bodies))
	fmt.Fprintf(stdout, "one Ed25519 verification (crypto/ed25519, this process): %.1f µs\n\n", verify)

	env := append(os.Environ(), "DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub), "ONRECORD_HTTP_ADDR=127.0.0.1:0",
		"ONRECORD_DB="+*dbPath, "ONRECORD_LOG_FORMAT=json", "ONRECORD_LOG_LEVEL=info", "DISCORD_TOKEN=", "DISCORD_TOKEN_FILE=")
	// Seed the database before measuring, so creation is not counted.
	if out, err := exec.CommandContext(ctx, self, "export", "--db", *dbPath).CombinedOutput(); err != nil {
		return fmt.Errorf("prepare the database: %v: %s", err, out)
	}
	var results []loadResult
	targets := []struct{ name, sub, env, profile string }{
		{"bare verify-and-answer endpoint", "loadtest-baseline", "", ""},
		{"onrecord serve", "serve", "", *cpuprofile},
		{"onrecord serve, answer cache off", "serve", "ONRECORD_ANSWER_CACHE=0", *cpuprofile + ".nocache"},
	}
	for _, target := range targets {
		tenv := slices.Clip(env)
		if target.env != "" {
			tenv = append(tenv, target.env)
		}
		if *cpuprofile != "" && target.profile != "" {
			tenv = append(tenv, "ONRECORD_CPUPROFILE="+target.profile)
		}
		r, err := runTarget(ctx, self, target.sub, tenv, reqs, *concurrency)
		if err != nil {
			return fmt.Errorf("%s: %w", target.name, err)
		}
		r.name = target.name
		results = append(results, r)
	}
	fmt.Fprintf(stdout, "| server | requests/s | p50 | p99 | server CPU per request | ÷ verify | ÷ bare |\n|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		fmt.Fprintf(stdout, "| %s | %.0f | %.0f µs | %.0f µs | %.0f µs | %.1f× | %.2f× |\n", r.name, r.rps, us(r.p50), us(r.p99),
			r.cpuPerReq, r.cpuPerReq/verify, r.cpuPerReq/results[0].cpuPerReq)
	}
	for _, r := range results {
		if r.bad > 0 {
			return fmt.Errorf("%s: %d requests were not answered 200", r.name, r.bad)
		}
	}
	return nil
}

type signedReq struct {
	body    []byte
	sig, ts string
}

type loadResult struct {
	name      string
	rps       float64
	p50, p99  time.Duration
	cpuPerReq float64 // µs
	bad       int64
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

// loadBodies returns the interactions the load test sends: /who for full
// names, surnames, title forms and typos, /claims, and autocomplete.
func loadBodies() [][]byte {
	slash := func(name, option, value string, typ int) []byte {
		opt := map[string]any{"name": option, "type": 3, "value": value}
		if typ == 4 {
			opt["focused"] = true
		}
		b, _ := json.Marshal(map[string]any{"id": "1279831541358297128", "application_id": "900000000000000004", "type": typ, "token": "tok", "version": 1,
			"data": map[string]any{"id": "1", "name": name, "type": 1, "options": []any{opt}}, "guild_id": "290926798626357999", "channel_id": "290926798626357999",
			"member": map[string]any{"user": map[string]any{"id": "53908232506183680", "username": "load"}, "roles": []any{}, "permissions": "2147483647",
				"joined_at": "2017-03-13T19:19:14.040000+00:00", "deaf": false, "mute": false}})
		return b
	}
	var out [][]byte
	for _, q := range []string{"Hugh Ind", "Amber Rudd", "Rudd", "Ms Rudd", "Sir Nicholas Soames", "Abbott", "the home secretary", "Hugh Indd", "Amber Rud", "Philip Davies"} {
		out = append(out, slash("who", "name", q, 2))
	}
	out = append(out, slash("claims", "person", "Diane Abbott", 2), slash("claims", "person", "Philip Davies", 2))
	for _, q := range []string{"H", "Hu", "Amb", "Rud"} {
		out = append(out, slash("who", "name", q, 4))
	}
	return out
}

// measureVerify returns the cost in µs of one Ed25519 verification.
func measureVerify(pub ed25519.PublicKey, r signedReq) float64 {
	sig, _ := hex.DecodeString(r.sig)
	msg := append([]byte(r.ts), r.body...)
	const n = 20000
	start := time.Now()
	for range n {
		ed25519.Verify(pub, msg, sig)
	}
	return us(time.Since(start)) / n
}

// runTarget starts the server subcommand as a child process, sends every
// request, and measures it.
func runTarget(ctx context.Context, self, sub string, env []string, reqs []signedReq, concurrency int) (loadResult, error) {
	var res loadResult
	cmd := exec.CommandContext(ctx, self, sub)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return res, err
	}
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a + "/interactions"
	case <-time.After(30 * time.Second):
		return res, fmt.Errorf("did not start")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}}
	send := func(r signedReq) (time.Duration, bool) {
		req, _ := http.NewRequest(http.MethodPost, base, strings.NewReader(string(r.body)))
		req.Header.Set("X-Signature-Ed25519", r.sig)
		req.Header.Set("X-Signature-Timestamp", r.ts)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), resp.StatusCode == 200
	}
	for _, r := range reqs[:min(len(reqs), 500)] { // warm up
		send(r)
	}
	cpu0, err := processCPU(cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	lat := make([]time.Duration, len(reqs))
	var next atomic.Int64
	var bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) {
					return
				}
				d, ok := send(reqs[i])
				lat[i] = d
				if !ok {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, err := processCPU(cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	slices.Sort(lat)
	res.rps = float64(len(reqs)) / elapsed.Seconds()
	res.p50, res.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	res.cpuPerReq = us(cpu1-cpu0) / float64(len(reqs))
	res.bad = bad.Load()
	return res, nil
}

// processCPU returns a process's user plus system CPU time, from
// /proc/PID/stat.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read process CPU time (needs Linux /proc): %w", err)
	}
	// Fields after the command name, which is in parentheses.
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("unexpected /proc stat")
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const clockTicks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// loadtestBaseline serves the bare endpoint the load test compares with:
// verify the signature (crypto/ed25519), answer a fixed JSON body.
func loadtestBaseline(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	key, err := hex.DecodeString(getenv("DISCORD_PUBLIC_KEY"))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return usage("loadtest-baseline needs DISCORD_PUBLIC_KEY")
	}
	answer := []byte(`{"type":4,"data":{"content":"ok","allowed_mentions":{"parse":[]}}}`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		body, _ := io.ReadAll(io.LimitReader(r.Body, bot.MaxBody))
		if err != nil || !ed25519.Verify(key, append([]byte(r.Header.Get("X-Signature-Timestamp")), body...), sig) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(answer)
	})
	return bot.ListenAndServe(ctx, getenv("ONRECORD_HTTP_ADDR"), h, time.Second, newLogger(mustConfig(getenv), stderr), func(net.Addr) {})
}

// mustConfig loads the configuration, falling back to the defaults: the
// baseline only needs the log settings.
func mustConfig(getenv func(string) string) config.Config {
	cfg, err := config.Load(getenv, os.ReadFile)
	if err != nil {
		cfg, _ = config.Load(func(string) string { return "" }, os.ReadFile)
	}
	return cfg
}
