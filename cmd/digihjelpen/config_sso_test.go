package main

import (
	"strings"
	"testing"
	"time"
)

const ssoOK = "[sso]\nissuer = \"https://login.microsoftonline.com/t/v2.0\"\nclient_id = \"app\"\nagent_groups = [\"g1\"]\n"

func TestLoadConfigSSO(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		environ []string
		check   func(Config) bool
		wantErr []string
	}{
		{"OK off by default", "", nil, func(c Config) bool {
			return c.SSO.Issuer == "" && c.Server.PasswordLogin && c.SSO.GroupsClaim == "groups" &&
				time.Duration(c.SSO.MaxSession) == 12*time.Hour && c.SSO.ButtonLabel == "Logg inn med KS-konto"
		}, nil},
		{"OK secret from the environment", ssoOK + "admin_groups = [\"a1\", \"a2\"]\nmax_session = \"8h\"\n[server]\npassword_login = false\n",
			[]string{"DIGIHJELPEN_SSO_CLIENT_SECRET=hemmelig"}, func(c Config) bool {
				return c.SSO.ClientSecret == "hemmelig" && len(c.SSO.AdminGroups) == 2 && !c.Server.PasswordLogin &&
					time.Duration(c.SSO.MaxSession) == 8*time.Hour
			}, nil},
		{"OK loopback http for tests", "[sso]\nissuer = \"http://127.0.0.1:9096\"\nclient_id = \"x\"\nclient_secret = \"y\"\nreader_groups = [\"r\"]\n", nil,
			func(c Config) bool { return c.SSO.Issuer == "http://127.0.0.1:9096" }, nil},
		{"ErrPasswordLoginOffWithoutSSO", "[server]\npassword_login = false\n", nil, nil, []string{"server.password_login", "[sso] issuer"}},
		{"ErrIssuerHTTP", "[sso]\nissuer = \"http://login.example.no\"\n", nil, nil, []string{"sso.issuer", "https://"}},
		{"ErrNoClientID", "[sso]\nissuer = \"https://idp.ks.no\"\n", nil, nil, []string{"sso.client_id"}},
		{"ErrNoSecret", ssoOK, nil, nil, []string{"sso.client_secret", "DIGIHJELPEN_SSO_CLIENT_SECRET"}},
		{"ErrNoGroups", "[sso]\nissuer = \"https://idp.ks.no\"\nclient_id = \"x\"\nclient_secret = \"y\"\n", nil, nil, []string{"sso.admin_groups", "at least one group"}},
		{"ErrMaxSession", ssoOK + "client_secret = \"y\"\nmax_session = \"48h\"\n", nil, nil, []string{"sso.max_session", "5m to 24h"}},
		{"ErrUnknownKey", "[sso]\ngroup_claim = \"x\"\n", nil, nil, []string{"config.toml:2", "sso.group_claim", "unknown key", "sso.groups_claim"}},
		{"ErrGroupsNotAList", "[sso]\nadmin_groups = \"a\"\n", nil, nil, []string{"config.toml:2", "sso.admin_groups", "a list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfig(t, tt.text), tt.environ)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !tt.check(cfg) {
					t.Fatalf("config %+v", cfg.SSO)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, part := range tt.wantErr {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q lacks %q", err, part)
				}
			}
		})
	}
}
