package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/config"
)

func load(env map[string]string, files map[string]string) (config.Config, error) {
	return config.Load(func(k string) string { return env[k] }, func(name string) ([]byte, error) {
		if v, ok := files[name]; ok {
			return []byte(v), nil
		}
		return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
	})
}

func TestDefaults(t *testing.T) {
	c, err := load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "onrecord.db" || c.LogLevel != slog.LevelInfo || c.LogFormat != "text" || c.APIURL != "https://discord.com/api/v9" ||
		c.ShardID != 0 || c.ShardCount != 1 || c.HTTPAddr != "" || c.Token != "" {
		t.Fatalf("defaults %+v", c)
	}
}

func TestLoad(t *testing.T) {
	c, err := load(map[string]string{
		"ONRECORD_DB": "/data/kb.db", "ONRECORD_LOG_LEVEL": "DEBUG", "ONRECORD_LOG_FORMAT": "json",
		"ONRECORD_OWNER_IDS": " 111, 222 ,", "DISCORD_TOKEN_FILE": "/run/secrets/token", "DISCORD_APPLICATION_ID": "333",
		"DISCORD_GUILD_ID": "444", "DISCORD_API_URL": "http://127.0.0.1:9999/api/v9/", "DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32),
		"DISCORD_SHARD_ID": "1", "DISCORD_SHARD_COUNT": "2", "ONRECORD_HTTP_ADDR": ":9090", "ONRECORD_ANSWER_CACHE": "0",
	}, map[string]string{"/run/secrets/token": "MTIz.abc.def\n"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "/data/kb.db" || c.LogLevel != slog.LevelDebug || c.LogFormat != "json" || strings.Join(c.OwnerIDs, ",") != "111,222" ||
		c.Token.Reveal() != "MTIz.abc.def" || c.ApplicationID != "333" || c.GuildID != "444" || c.APIURL != "http://127.0.0.1:9999/api/v9" ||
		c.ShardID != 1 || c.ShardCount != 2 || c.HTTPAddr != ":9090" || c.AnswerCache != 0 {
		t.Fatalf("loaded %+v", c)
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		env   map[string]string
		files map[string]string
		want  string
	}{
		{map[string]string{"ONRECORD_LOG_LEVEL": "loud"}, nil, "ONRECORD_LOG_LEVEL"},
		{map[string]string{"ONRECORD_LOG_FORMAT": "xml"}, nil, "ONRECORD_LOG_FORMAT"},
		{map[string]string{"ONRECORD_OWNER_IDS": "123,bob"}, nil, "ONRECORD_OWNER_IDS"},
		{map[string]string{"DISCORD_GUILD_ID": "my-server"}, nil, "DISCORD_GUILD_ID"},
		{map[string]string{"DISCORD_APPLICATION_ID": "12a"}, nil, "DISCORD_APPLICATION_ID"},
		{map[string]string{"DISCORD_API_URL": "discord.com/api"}, nil, "DISCORD_API_URL"},
		{map[string]string{"DISCORD_PUBLIC_KEY": "abc"}, nil, "DISCORD_PUBLIC_KEY"},
		{map[string]string{"DISCORD_SHARD_COUNT": "0"}, nil, "DISCORD_SHARD_COUNT"},
		{map[string]string{"DISCORD_SHARD_ID": "2", "DISCORD_SHARD_COUNT": "2"}, nil, "DISCORD_SHARD_ID"},
		{map[string]string{"DISCORD_SHARD_ID": "one"}, nil, "DISCORD_SHARD_ID"},
		{map[string]string{"ONRECORD_ANSWER_CACHE": "-1"}, nil, "ONRECORD_ANSWER_CACHE"},
		{map[string]string{"ONRECORD_ANSWER_CACHE": "lots"}, nil, "ONRECORD_ANSWER_CACHE"},
		{map[string]string{"ONRECORD_ANSWER_CACHE": "10000000"}, nil, "ONRECORD_ANSWER_CACHE"},
		{map[string]string{"DISCORD_TOKEN": "Bot abc"}, nil, "DISCORD_TOKEN"},
		{map[string]string{"DISCORD_TOKEN": "a", "DISCORD_TOKEN_FILE": "/f"}, map[string]string{"/f": "b"}, "DISCORD_TOKEN"},
		{map[string]string{"DISCORD_TOKEN_FILE": "/missing"}, nil, "DISCORD_TOKEN_FILE"},
	}
	for _, tc := range tests {
		t.Run(tc.want+fmt.Sprint(tc.env), func(t *testing.T) {
			_, err := load(tc.env, tc.files)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to name %s", err, tc.want)
			}
		})
	}
}

// TestSecretNeverShows formats the token every way a log or a print might.
func TestSecretNeverShows(t *testing.T) {
	const token = "MTIz.super-secret"
	c, err := load(map[string]string{"DISCORD_TOKEN": token}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "token", c.Token, "cfg", c)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "token", c.Token, "cfg", c)
	j, _ := json.Marshal(c)
	forms := []string{
		fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s %q %x", c, c, c, c.Token, c.Token, c.Token),
		fmt.Sprintf("%v", c.Token), c.Token.String(), string(j), logs.String(),
		errors.New(fmt.Sprint(c.Token)).Error(),
	}
	for _, f := range forms {
		if strings.Contains(f, "super-secret") || strings.Contains(f, "MTIz") {
			t.Fatalf("token shown in %q", f)
		}
	}
	if !strings.Contains(fmt.Sprint(c.Token), "[redacted]") {
		t.Fatal("a set token should show as [redacted]")
	}
	if c.Token.Reveal() != token {
		t.Fatal("Reveal lost the token")
	}
}
