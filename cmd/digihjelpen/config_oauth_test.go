package main

import (
	"strings"
	"testing"
)

const imapOAuth = `[imap]
addr = "outlook.office365.com:993"
auth = "xoauth2"
username = "kontakt@ks.no"
token_url = "https://login.microsoftonline.com/ks.no/oauth2/v2.0/token"
client_id = "00000000-1111-2222-3333-444444444444"
scope = "https://outlook.office365.com/.default"
`

const smtpOAuth = `[smtp]
addr = "smtp.office365.com:587"
auth = "xoauth2"
username = "kontakt@ks.no"
token_url = "https://login.microsoftonline.com/ks.no/oauth2/v2.0/token"
client_id = "00000000-1111-2222-3333-444444444444"
scope = "https://outlook.office365.com/.default"
`

// without drops the line with key from a section's text.
func without(text, key string) string {
	var kept []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, key+" =") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

func TestLoadConfigOAuth(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		environ []string
		check   func(Config) bool
		wantErr []string // parts the error must name: file, line, key, expectation
	}{
		{"OK default is password", "", nil, func(c Config) bool { return c.IMAP.Auth == "password" && c.SMTP.Auth == "password" }, nil},
		{"OK imap secret from the environment", imapOAuth, []string{"DIGIHJELPEN_IMAP_CLIENT_SECRET=hemmelig"},
			func(c Config) bool { return c.IMAP.Auth == "xoauth2" && c.IMAP.ClientSecret == "hemmelig" }, nil},
		{"OK smtp secret from the environment", smtpOAuth, []string{"DIGIHJELPEN_SMTP_CLIENT_SECRET=hemmelig"},
			func(c Config) bool {
				return c.SMTP.ClientSecret == "hemmelig" && c.SMTP.Scope == "https://outlook.office365.com/.default"
			}, nil},
		{"OK secret in the file", imapOAuth + "client_secret = \"fra-fil\"\n", nil, func(c Config) bool { return c.IMAP.ClientSecret == "fra-fil" }, nil},
		{"OK loopback token endpoint over http", strings.Replace(imapOAuth, "https://login.microsoftonline.com/ks.no", "http://127.0.0.1:9096", 1),
			[]string{"DIGIHJELPEN_IMAP_CLIENT_SECRET=x"}, func(c Config) bool { return true }, nil},
		{"OK xoauth2 while intake is off", "[imap]\nauth = \"xoauth2\"\n", nil, func(c Config) bool { return c.IMAP.Auth == "xoauth2" }, nil},
		{"ErrAuth", "[imap]\naddr = \"imap:993\"\nauth = \"oauth\"\n", nil, nil, []string{"config.toml:3", "imap.auth", `expected "password" or "xoauth2", got "oauth"`}},
		{"ErrAuthSMTP", "[smtp]\nauth = \"XOAUTH2\"\n", nil, nil, []string{"config.toml:2", "smtp.auth", `expected "password" or "xoauth2"`}},
		{"ErrTokenURLMissing", without(imapOAuth, "token_url"), []string{"DIGIHJELPEN_IMAP_CLIENT_SECRET=x"}, nil,
			[]string{"config.toml:3", "imap.token_url", "login.microsoftonline.com/<tenant>/oauth2/v2.0/token", `imap.auth = "xoauth2"`}},
		{"ErrTokenURLPlainHTTP", strings.Replace(smtpOAuth, "https://", "http://", 1), []string{"DIGIHJELPEN_SMTP_CLIENT_SECRET=x"}, nil,
			[]string{"config.toml:5", "smtp.token_url", "https://"}},
		{"ErrClientIDMissing", without(smtpOAuth, "client_id"), []string{"DIGIHJELPEN_SMTP_CLIENT_SECRET=x"}, nil, []string{"config.toml:3", "smtp.client_id"}},
		{"ErrSecretMissing", smtpOAuth, nil, nil, []string{"config.toml:3", "smtp.client_secret", "DIGIHJELPEN_SMTP_CLIENT_SECRET"}},
		{"ErrScopeMissing", without(imapOAuth, "scope"), []string{"DIGIHJELPEN_IMAP_CLIENT_SECRET=x"}, nil,
			[]string{"config.toml:3", "imap.scope", "https://outlook.office365.com/.default"}},
		{"ErrUsernameMissing", without(imapOAuth, "username"), []string{"DIGIHJELPEN_IMAP_CLIENT_SECRET=x"}, nil, []string{"config.toml:3", "imap.username", "mailbox address"}},
		{"ErrEnvSecretTypo", imapOAuth, []string{"DIGIHJELPEN_IMAP_CLIENT_SECRETS=x"}, nil, []string{"DIGIHJELPEN_IMAP_CLIENT_SECRETS", "names no known key", "imap.client_secret"}},
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
			if strings.Contains(err.Error(), "hemmelig") {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}
