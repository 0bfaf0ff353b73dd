package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/knowledge"
)

// maxAttachment bounds what is downloaded for a command.
const maxAttachment = 16 << 20

// ConsoleDeps returns what the commands need when they run from the
// console: attachments are the local files `ask --attach` names, and
// announcements go to the log (standard output is for the reply).
func ConsoleDeps(log *slog.Logger) commands.Deps {
	return commands.Deps{Fetch: fileFetcher{}, Announce: logAnnouncer{log: log}}
}

// fileFetcher reads attachments whose URL is a file:// URL.
type fileFetcher struct{}

func (fileFetcher) Fetch(_ context.Context, a *discordgo.MessageAttachment) ([]byte, error) {
	u, err := url.Parse(a.URL)
	if err != nil || u.Scheme != "file" {
		return nil, knowledge.FieldError("file", "the console reads only files given with --attach.")
	}
	f, err := os.Open(u.Path)
	if err != nil {
		return nil, knowledge.Wrap(err, knowledge.CodeInvalid, "cannot read "+a.Filename)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxAttachment+1))
}

type logAnnouncer struct{ log *slog.Logger }

func (l logAnnouncer) Announce(_ context.Context, channel string, msg *discordgo.MessageSend) error {
	var text string
	for _, e := range msg.Embeds {
		text += e.Description
	}
	if l.log != nil {
		l.log.Info("announcement", "channel", channel, "text", text)
	}
	return nil
}

// DiscordDeps returns what the commands need when Discord is the
// transport: attachments are downloaded from Discord's CDN (or the host of
// DISCORD_API_URL, for a proxy), and announcements are posted through the
// REST API with the bot token.
func DiscordDeps(cfg GatewayConfig) (commands.Deps, error) {
	s, err := NewSession(cfg)
	if err != nil {
		return commands.Deps{}, err
	}
	hosts := []string{"cdn.discordapp.com", "media.discordapp.net"}
	if cfg.APIURL != "" {
		if u, err := url.Parse(cfg.APIURL); err == nil {
			hosts = append(hosts, u.Host)
		}
	}
	return commands.Deps{
		Fetch:    &httpFetcher{client: &http.Client{Timeout: 30 * time.Second}, hosts: hosts},
		Announce: restAnnouncer{s: s},
	}, nil
}

// httpFetcher downloads attachments from the hosts Discord serves them from.
type httpFetcher struct {
	client *http.Client
	hosts  []string
}

func (h *httpFetcher) Fetch(ctx context.Context, a *discordgo.MessageAttachment) ([]byte, error) {
	u, err := url.Parse(a.URL)
	allowed := false
	if err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		for _, host := range h.hosts {
			allowed = allowed || strings.EqualFold(u.Host, host)
		}
	}
	if !allowed {
		return nil, knowledge.FieldError("file", "the attachment is not on Discord's servers.")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("attachment request: %w", err)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, knowledge.Wrap(err, knowledge.CodeUnavailable, "The attachment could not be downloaded; try again.")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, knowledge.Wrap(errors.New(resp.Status), knowledge.CodeUnavailable, "The attachment could not be downloaded; try again.")
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAttachment+1))
	if err != nil {
		return nil, knowledge.Wrap(err, knowledge.CodeUnavailable, "The attachment could not be downloaded; try again.")
	}
	return b, nil
}

type restAnnouncer struct{ s *discordgo.Session }

func (r restAnnouncer) Announce(ctx context.Context, channel string, msg *discordgo.MessageSend) error {
	_, err := r.s.ChannelMessageSendComplex(channel, msg, discordgo.WithContext(ctx))
	return err
}
