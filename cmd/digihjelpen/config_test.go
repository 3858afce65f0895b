package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Addr != "127.0.0.1:8080" || cfg.Storage.Path != "var/digihjelpen.db" || cfg.IMAP.Addr != "" ||
		cfg.Routing.Learn != "suggest" || cfg.Routing.LearnThreshold != 0.99 || !cfg.Routing.LearnSeed {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestLoadConfigExample(t *testing.T) {
	cfg, err := LoadConfig("../../config.example.toml", nil)
	if err != nil {
		t.Fatalf("config.example.toml does not load: %v", err)
	}
	if time.Duration(cfg.IMAP.PollInterval) != time.Minute {
		t.Fatalf("poll interval %v", cfg.IMAP.PollInterval)
	}
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		environ []string
		check   func(Config) bool
		wantErr []string // parts the error must name: file, line, key, expectation
	}{
		{"OK", "[server]\naddr = \"0.0.0.0:9000\"\n[imap]\naddr = \"imap.ks.no:993\"\npoll_interval = \"30s\"\n", nil,
			func(c Config) bool {
				return c.Server.Addr == "0.0.0.0:9000" && time.Duration(c.IMAP.PollInterval) == 30*time.Second
			}, nil},
		{"OK days", "[retention]\nanonymise_after = \"730d\"\n", nil,
			func(c Config) bool { return time.Duration(c.Retention.AnonymiseAfter) == 730*24*time.Hour }, nil},
		{"OK audit keep", "[audit]\nkeep = \"365d\"\n", nil,
			func(c Config) bool { return time.Duration(c.Audit.Keep) == 365*24*time.Hour }, nil},
		{"OK audit keep default two years", "", nil,
			func(c Config) bool { return time.Duration(c.Audit.Keep) == 730*24*time.Hour }, nil},
		{"ErrAuditKeep", "[audit]\nkeep = \"7d\"\n", nil, nil, []string{"config.toml", "audit.keep", "at least 30d"}},
		{"ErrRetentionTooShort", "[retention]\nanonymise_after = \"2h\"\n", nil, nil, []string{"config.toml", "retention.anonymise_after", "1d to 3650d"}},
		{"OK env overrides file", "[imap]\npassword = \"fra-fil\"\n", []string{"DIGIHJELPEN_IMAP_PASSWORD=hemmelig", "DIGIHJELPEN_STATS_RECIPIENTS=a@ks.no, b@ks.no"},
			func(c Config) bool { return c.IMAP.Password == "hemmelig" && len(c.Stats.Recipients) == 2 }, nil},
		{"OK unrelated env", "", []string{"DIGIHJELPEN_TEST_MAILSTACK=1", "HOME=/root"}, func(Config) bool { return true }, nil},
		{"ErrUnknownKey", "[server]\naddr = \"127.0.0.1:1\"\nadress = \"x\"\n", nil, nil, []string{"config.toml:3", "server.adress", "unknown key", "server.addr"}},
		{"ErrUnknownSection", "[smpt]\naddr = \"x\"\n", nil, nil, []string{"config.toml:1", "smpt", "unknown key"}},
		{"ErrWrongType", "[server]\naddr = 8080\n", nil, nil, []string{"config.toml:2", "server.addr", "expected a string in quotes"}},
		{"ErrWrongTypeBool", "[imap]\nidle = \"ja\"\n", nil, nil, []string{"config.toml:2", "imap.idle", "expected true or false"}},
		{"ErrSyntax", "[server\naddr = 1\n", nil, nil, []string{"config.toml:", "end table name"}},
		{"ErrDuration", "[imap]\npoll_interval = \"ofte\"\n", nil, nil, []string{"config.toml:2", "imap.poll_interval", "expected a duration"}},
		{"ErrTLS", "[imap]\ntls = \"ssl\"\n", nil, nil, []string{"config.toml", "imap.tls", "expected none, starttls or tls"}},
		{"ErrAddr", "[server]\naddr = \"localhost\"\n", nil, nil, []string{"config.toml", "server.addr", "expected host:port"}},
		{"ErrBaseURL", "[server]\nbase_url = \"digihjelpen.ks.no\"\n", nil, nil, []string{"server.base_url", "http:// or https://"}},
		{"OK trusted proxies", "[server]\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"::1\"]\n", []string{"DIGIHJELPEN_SERVER_TRUSTED_PROXIES=192.168.1.10, fd00::/8"},
			func(c Config) bool {
				return len(c.Server.TrustedProxies) == 2 && c.Server.TrustedProxies[1] == "fd00::/8"
			}, nil},
		{"ErrTrustedProxy", "[server]\ntrusted_proxies = [\"proxy.ks.no\"]\n", nil, nil, []string{"config.toml", "server.trusted_proxies", "proxy.ks.no", "10.0.0.0/8"}},
		{"ErrSendAt", "[stats]\nsend_at = \"mandag 7\"\n", nil, nil, []string{"stats.send_at", "mandag 07:00"}},
		{"ErrRecipient", "[stats]\nrecipients = [\"ikke en adresse\"]\n", nil, nil, []string{"stats.recipients"}},
		{"ErrPollTooShort", "[imap]\naddr = \"imap:993\"\npoll_interval = \"10ms\"\n", nil, nil, []string{"imap.poll_interval", "at least 1s"}},
		{"ErrSameMailbox", "[imap]\naddr = \"imap:993\"\nprocessed_mailbox = \"INBOX\"\n", nil, nil, []string{"imap.processed_mailbox"}},
		{"OK learn", "[routing]\nlearn = \"route\"\nlearn_threshold = 0.95\n", nil,
			func(c Config) bool { return c.Routing.Learn == "route" && c.Routing.LearnThreshold == 0.95 }, nil},
		{"OK learn threshold 1", "[routing]\nlearn_threshold = 1\n", nil, func(c Config) bool { return c.Routing.LearnThreshold == 1 }, nil},
		{"OK learn seed off", "[routing]\nlearn_seed = false\n", nil, func(c Config) bool { return !c.Routing.LearnSeed }, nil},
		{"OK learn from env", "[routing]\nlearn = \"route\"\n", []string{"DIGIHJELPEN_ROUTING_LEARN=off", "DIGIHJELPEN_ROUTING_LEARN_THRESHOLD=0.8"},
			func(c Config) bool { return c.Routing.Learn == "off" && c.Routing.LearnThreshold == 0.8 }, nil},
		{"ErrLearn", "[routing]\nlearn = \"on\"\n", nil, nil, []string{"config.toml", "routing.learn", "\"off\", \"suggest\" or \"route\"", "\"on\""}},
		{"ErrLearnThreshold", "[routing]\nlearn_threshold = 0.3\n", nil, nil, []string{"routing.learn_threshold", "from 0.5 to 1"}},
		{"ErrLearnThresholdType", "[routing]\nlearn_threshold = \"høy\"\n", nil, nil, []string{"config.toml:2", "routing.learn_threshold", "a number such as 0.9"}},
		{"ErrLearnThresholdEnv", "", []string{"DIGIHJELPEN_ROUTING_LEARN_THRESHOLD=90%"}, nil, []string{"DIGIHJELPEN_ROUTING_LEARN_THRESHOLD", "a number such as 0.9"}},
		{"ErrEnvUnknownKey", "", []string{"DIGIHJELPEN_IMAP_PASSWRD=x"}, nil, []string{"DIGIHJELPEN_IMAP_PASSWRD", "names no known key"}},
		{"ErrEnvType", "", []string{"DIGIHJELPEN_IMAP_IDLE=kanskje"}, nil, []string{"DIGIHJELPEN_IMAP_IDLE", "imap.idle", "expected true or false"}},
		{"OK backup defaults", "[backup]\ndir = \"/var/backups/digihjelpen\"\n", nil,
			func(c Config) bool {
				return c.Backup.Dir == "/var/backups/digihjelpen" && time.Duration(c.Backup.Every) == 24*time.Hour && c.Backup.Keep == 14
			}, nil},
		{"OK backup from the environment", "", []string{"DIGIHJELPEN_BACKUP_DIR=/b", "DIGIHJELPEN_BACKUP_EVERY=6h", "DIGIHJELPEN_BACKUP_KEEP=28"},
			func(c Config) bool {
				return c.Backup.Dir == "/b" && time.Duration(c.Backup.Every) == 6*time.Hour && c.Backup.Keep == 28
			}, nil},
		{"ErrBackupEvery", "[backup]\nevery = \"10s\"\n", nil, nil, []string{"backup.every", "at least 1m"}},
		{"ErrBackupKeep", "[backup]\nkeep = 0\n", nil, nil, []string{"backup.keep", "at least 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfig(t, tt.text), tt.environ)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !tt.check(cfg) {
					t.Fatalf("got %+v", cfg)
				}
				return
			}
			if err == nil {
				t.Fatal("got nil error")
			}
			for _, part := range tt.wantErr {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q lacks %q", err, part)
				}
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig("/finnes/ikke.toml", nil)
	if err == nil || !strings.Contains(err.Error(), "/finnes/ikke.toml") || !strings.Contains(err.Error(), "cannot read") {
		t.Fatalf("got %v", err)
	}
}
