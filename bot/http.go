package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Limits of the HTTP interactions endpoint.
const (
	MaxBody        = 1 << 20         // bytes of a request body; more is 413, unread
	MaxClockSkew   = 5 * time.Minute // how far a request's timestamp may be from the clock
	MaxInFlight    = 64              // interactions dispatched at once; more wait their turn
	MaxConnections = 512             // open connections; more wait to be accepted
)

// HTTPConfig is what the HTTP interactions endpoint needs.
type HTTPConfig struct {
	Addr      string
	PublicKey ed25519.PublicKey
	// Discord is the REST side: a deferred answer is edited in through it
	// with the bot token. Without a token, answers that take long are
	// answered late, inside the HTTP response, as best they can.
	Discord    GatewayConfig
	DeferAfter time.Duration // 2 seconds when zero
	Ready      func(ctx context.Context) error
	Metrics    *Metrics
	Log        *slog.Logger
	// Now is the clock requests' timestamps are checked against; time.Now
	// when nil.
	Now func() time.Time
}

// Interactions answers Discord's HTTP interactions: it verifies each
// request's Ed25519 signature before reading anything else of it, refuses
// stale or future timestamps, answers PING, and hands every other
// interaction to the dispatcher, deferring those that take long.
type Interactions struct {
	cfg     HTTPConfig
	d       *Dispatcher
	s       *discordgo.Session // REST only; nil without a token
	slots   chan struct{}
	pending sync.WaitGroup // deferred answers still being edited in
}

// NewInteractions returns the endpoint for cfg and d.
func NewInteractions(cfg HTTPConfig, d *Dispatcher) (*Interactions, error) {
	if len(cfg.PublicKey) != ed25519.PublicKeySize {
		return nil, errors.New("DISCORD_PUBLIC_KEY is not set: copy the Public Key from the Discord developer portal")
	}
	if cfg.DeferAfter == 0 {
		cfg.DeferAfter = 2 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Interactions{cfg: cfg, d: d, slots: make(chan struct{}, MaxInFlight)}
	if cfg.Discord.Token != "" {
		s, err := NewSession(cfg.Discord)
		if err != nil {
			return nil, err
		}
		h.s = s
	}
	return h, nil
}

// ServeHTTP answers POST /interactions.
func (h *Interactions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if r.ContentLength > MaxBody {
		h.cfg.Metrics.reject("too_large")
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	body, ok := h.verify(w, r)
	if !ok {
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		h.cfg.Metrics.reject("bad_json")
		http.Error(w, "not an interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeResponse(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	// Bursts wait for a slot rather than being refused; the wait counts
	// against the 3-second window like the work does.
	select {
	case h.slots <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	result := make(chan *discordgo.InteractionResponse, 1)
	go func() {
		defer func() { <-h.slots }()
		resp, _ := h.d.Dispatch(context.WithoutCancel(r.Context()), &i)
		result <- resp
	}()
	timer := time.NewTimer(h.cfg.DeferAfter)
	defer timer.Stop()
	select {
	case resp := <-result:
		writeResponse(w, resp)
		return
	case <-timer.C:
	}
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete || h.s == nil {
		// Autocomplete cannot be deferred, and without a token nothing
		// can be edited in later: answer in the HTTP response, late.
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			writeResponse(w, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}})
			return
		}
		writeResponse(w, <-result)
		return
	}
	deferred := discordgo.InteractionResponseDeferredChannelMessageWithSource
	if i.Type == discordgo.InteractionMessageComponent {
		deferred = discordgo.InteractionResponseDeferredMessageUpdate
	}
	writeResponse(w, &discordgo.InteractionResponse{Type: deferred})
	h.cfg.Metrics.deferral()
	h.pending.Add(1)
	go func() {
		defer h.pending.Done()
		if err := editOriginal(h.s, &i, <-result); err != nil {
			h.cfg.Log.Error("edit of the deferred response failed", "interaction", i.ID, "status", restStatus(err), "error", err)
			h.cfg.Metrics.restError(restStatus(err))
		}
	}()
}

// verify reads the body (at most MaxBody) and checks its signature and
// timestamp. On any failure it answers 401 (413 for an oversized body)
// and returns false.
func (h *Interactions) verify(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	refuse := func(reason string) ([]byte, bool) {
		h.cfg.Metrics.reject(reason)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return nil, false
	}
	sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return refuse("signature")
	}
	ts := r.Header.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return refuse("signature")
	}
	if skew := h.cfg.Now().Sub(time.Unix(secs, 0)); skew > MaxClockSkew || skew < -MaxClockSkew {
		return refuse("stale")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			h.cfg.Metrics.reject("too_large")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		return refuse("signature")
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(h.cfg.PublicKey, msg, sig) {
		return refuse("signature")
	}
	return body, true
}

// writeResponse writes resp as Discord expects it: JSON, or
// multipart/form-data (payload_json and files[n]) when it carries files.
func writeResponse(w http.ResponseWriter, resp *discordgo.InteractionResponse) {
	if resp.Data != nil && len(resp.Data.Files) > 0 {
		ct, body, err := discordgo.MultipartBodyWithJSON(resp, resp.Data.Files)
		if err == nil {
			w.Header().Set("Content-Type", ct)
			w.Write(body)
			return
		}
	}
	b, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// Wait waits for the deferred answers still being edited in.
func (h *Interactions) Wait() { h.pending.Wait() }

// OpsMux returns the operators' endpoints: GET /healthz (the process is
// up), GET /readyz (the database answers), GET /metrics (Prometheus).
func OpsMux(ready func(ctx context.Context) error, m *Metrics) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if ready != nil {
			if err := ready(ctx); err != nil {
				http.Error(w, "not ready: the database does not answer", http.StatusServiceUnavailable)
				return
			}
		}
		w.Write([]byte("ready\n"))
	})
	if m != nil {
		mux.Handle("GET /metrics", m.Handler())
	}
	return mux
}

// ListenAndServe serves handler on addr until ctx ends, then stops taking
// connections, lets requests in flight finish (within grace) and returns
// nil. The listener holds at most MaxConnections connections; reads and
// writes have timeouts, so slow clients cannot hold resources.
func ListenAndServe(ctx context.Context, addr string, handler http.Handler, grace time.Duration, log *slog.Logger, started func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	ln = limitListener(ln, MaxConnections)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	if log != nil {
		srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
		log.Info("listening", "addr", ln.Addr().String())
	}
	if started != nil {
		started(ln.Addr())
	}
	errs := make(chan error, 1)
	go func() { errs <- srv.Serve(ln) }()
	select {
	case err := <-errs:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down the HTTP server: %w", err)
	}
	return nil
}

// limitListener accepts at most n connections at once; the next waits.
func limitListener(l net.Listener, n int) net.Listener {
	return &limited{Listener: l, sem: make(chan struct{}, n)}
}

type limited struct {
	net.Listener
	sem chan struct{}
}

func (l *limited) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// Serve runs the HTTP interactions endpoint and the operators' endpoints
// on cfg.Addr until ctx ends; then it finishes what is in flight (answers
// and deferred edits) and returns nil, within 10 seconds.
func Serve(ctx context.Context, cfg HTTPConfig, d *Dispatcher, started func(net.Addr)) error {
	h, err := NewInteractions(cfg, d)
	if err != nil {
		return err
	}
	mux := OpsMux(cfg.Ready, cfg.Metrics)
	mux.Handle("/interactions", h)
	err = ListenAndServe(ctx, cfg.Addr, mux, 8*time.Second, cfg.Log, started)
	done := make(chan struct{})
	go func() { h.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		cfg.Log.Warn("deferred answers still being edited in at shutdown")
	}
	return err
}

// SignRequest signs body as Discord does at time t, with key, and returns
// the X-Signature-Ed25519 and X-Signature-Timestamp headers' values: what
// tests and the load generator send.
func SignRequest(key ed25519.PrivateKey, body []byte, t time.Time) (signature, timestamp string) {
	ts := strconv.FormatInt(t.Unix(), 10)
	msg := append([]byte(ts), body...)
	return hex.EncodeToString(ed25519.Sign(key, msg)), ts
}
