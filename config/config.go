// Package config is OnRecord's configuration: one struct, loaded from the
// environment through a function that tests can feed, with defaults and a
// validation that names the variable at fault. Secrets are redacted in
// every printed, formatted, logged or JSON form.
//
// It imports only the standard library and holds no globals.
package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// Defaults.
const (
	DefaultDB       = "onrecord.db"
	DefaultAPIURL   = "https://discord.com/api/v9"
	DefaultHTTPAddr = ":8080" // for onrecord serve; onrecord run serves HTTP only when it is set
	// DefaultAnswerCache is how many answers are kept until the record
	// changes; each is at most a few kilobytes.
	DefaultAnswerCache = 4096
	// MaxAnswerCache bounds ONRECORD_ANSWER_CACHE: answers fit Discord's
	// limits, so this is at most about a gigabyte.
	MaxAnswerCache = 65536
)

// Secret is a string that never shows itself: String, GoString, Format,
// MarshalText and LogValue all give "[redacted]" (or "" when empty). Use
// Reveal to get the value for the one place that needs it.
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

func (s Secret) shown() string {
	if s == "" {
		return ""
	}
	return redacted
}

// String returns "[redacted]", or "" when the secret is empty.
func (s Secret) String() string { return s.shown() }

// GoString returns the redacted form for %#v.
func (s Secret) GoString() string { return strconv.Quote(s.shown()) }

// Format writes the redacted form for every verb, so %s, %v, %q and %x
// cannot leak the value.
func (s Secret) Format(f fmt.State, verb rune) { fmt.Fprint(f, s.shown()) }

// MarshalText returns the redacted form, for JSON and text encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.shown()), nil }

// LogValue returns the redacted form for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.shown()) }

// Config is every setting OnRecord reads. The names of the environment
// variables are in the field comments; the README lists them with their
// defaults.
type Config struct {
	DB            string     // ONRECORD_DB: path of the SQLite database
	LogLevel      slog.Level // ONRECORD_LOG_LEVEL: debug, info, warn, error
	LogFormat     string     // ONRECORD_LOG_FORMAT: text, json
	OwnerIDs      []string   // ONRECORD_OWNER_IDS: comma-separated Discord user ids of bot owners
	Token         Secret     // DISCORD_TOKEN or DISCORD_TOKEN_FILE: the bot token
	ApplicationID string     // DISCORD_APPLICATION_ID: optional, learnt from Discord when unset
	GuildID       string     // DISCORD_GUILD_ID: register commands to this server only (development)
	APIURL        string     // DISCORD_API_URL: REST base including the version
	PublicKey     string     // DISCORD_PUBLIC_KEY or DISCORD_PUBLIC_KEY_FILE: hex Ed25519 key for HTTP interactions
	ShardID       int        // DISCORD_SHARD_ID
	ShardCount    int        // DISCORD_SHARD_COUNT
	HTTPAddr      string     // ONRECORD_HTTP_ADDR: where serve (default :8080) and run (when set) listen
	AnswerCache   int        // ONRECORD_ANSWER_CACHE: answers kept until the record changes; 0 turns keeping off
}

// Load reads the configuration from getenv, reading *_FILE variants with
// readFile, applies defaults, and validates. Every error names the
// variable at fault.
func Load(getenv func(string) string, readFile func(string) ([]byte, error)) (Config, error) {
	c := Config{
		DB:          DefaultDB,
		LogLevel:    slog.LevelInfo,
		LogFormat:   "text",
		APIURL:      DefaultAPIURL,
		ShardCount:  1,
		AnswerCache: DefaultAnswerCache,
	}
	var errs []error
	fail := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	if v := strings.TrimSpace(getenv("ONRECORD_DB")); v != "" {
		c.DB = v
	}
	if v := strings.TrimSpace(getenv("ONRECORD_LOG_LEVEL")); v != "" {
		switch strings.ToLower(v) {
		case "debug":
			c.LogLevel = slog.LevelDebug
		case "info":
			c.LogLevel = slog.LevelInfo
		case "warn", "warning":
			c.LogLevel = slog.LevelWarn
		case "error":
			c.LogLevel = slog.LevelError
		default:
			fail("ONRECORD_LOG_LEVEL", "%q is not one of debug, info, warn, error", v)
		}
	}
	if v := strings.TrimSpace(getenv("ONRECORD_LOG_FORMAT")); v != "" {
		c.LogFormat = strings.ToLower(v)
	}
	if v := strings.TrimSpace(getenv("ONRECORD_OWNER_IDS")); v != "" {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				c.OwnerIDs = append(c.OwnerIDs, id)
			}
		}
	}
	secret := func(name string) string {
		v, file := getenv(name), getenv(name+"_FILE")
		switch {
		case v != "" && file != "":
			fail(name, "set either %s or %s_FILE, not both", name, name)
		case file != "":
			b, err := readFile(file)
			if err != nil {
				fail(name+"_FILE", "cannot read the file: %v", err)
				return ""
			}
			return strings.TrimSpace(string(b))
		}
		return strings.TrimSpace(v)
	}
	c.Token = Secret(secret("DISCORD_TOKEN"))
	c.PublicKey = secret("DISCORD_PUBLIC_KEY")
	c.ApplicationID = strings.TrimSpace(getenv("DISCORD_APPLICATION_ID"))
	c.GuildID = strings.TrimSpace(getenv("DISCORD_GUILD_ID"))
	if v := strings.TrimSpace(getenv("DISCORD_API_URL")); v != "" {
		c.APIURL = strings.TrimRight(v, "/")
	}
	intVar := func(name string, dst *int) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				fail(name, "%q is not a whole number", v)
				return
			}
			*dst = n
		}
	}
	intVar("DISCORD_SHARD_ID", &c.ShardID)
	intVar("DISCORD_SHARD_COUNT", &c.ShardCount)
	intVar("ONRECORD_ANSWER_CACHE", &c.AnswerCache)
	c.HTTPAddr = strings.TrimSpace(getenv("ONRECORD_HTTP_ADDR"))
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, c.Validate()
}

// Validate checks every setting and returns an error naming each variable
// at fault.
func (c Config) Validate() error {
	var errs []error
	fail := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	if c.DB == "" {
		fail("ONRECORD_DB", "must not be empty")
	}
	if c.AnswerCache < 0 || c.AnswerCache > MaxAnswerCache {
		fail("ONRECORD_ANSWER_CACHE", "%d is outside 0 (off) to %d answers", c.AnswerCache, MaxAnswerCache)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		fail("ONRECORD_LOG_FORMAT", "%q is not one of text, json", c.LogFormat)
	}
	for _, id := range c.OwnerIDs {
		if !snowflake(id) {
			fail("ONRECORD_OWNER_IDS", "%q is not a Discord user id (digits only)", id)
		}
	}
	if c.ApplicationID != "" && !snowflake(c.ApplicationID) {
		fail("DISCORD_APPLICATION_ID", "%q is not a Discord id (digits only)", c.ApplicationID)
	}
	if c.GuildID != "" && !snowflake(c.GuildID) {
		fail("DISCORD_GUILD_ID", "%q is not a Discord server id (digits only)", c.GuildID)
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fail("DISCORD_API_URL", "%q is not an http(s) URL such as %s", c.APIURL, DefaultAPIURL)
	}
	if c.PublicKey != "" {
		if b, err := hex.DecodeString(c.PublicKey); err != nil || len(b) != 32 {
			fail("DISCORD_PUBLIC_KEY", "must be the 64 hex characters shown as Public Key in the Discord developer portal")
		}
	}
	if strings.ContainsAny(c.Token.Reveal(), " \t\n") {
		fail("DISCORD_TOKEN", "contains spaces: paste the bot token alone (without \"Bot \")")
	}
	if c.ShardCount < 1 {
		fail("DISCORD_SHARD_COUNT", "must be at least 1")
	}
	if c.ShardID < 0 || c.ShardID >= c.ShardCount {
		fail("DISCORD_SHARD_ID", "must be from 0 to DISCORD_SHARD_COUNT-1 (%d)", c.ShardCount-1)
	}
	return errors.Join(errs...)
}

// snowflake reports whether s is a Discord id: 1 to 20 digits.
func snowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
