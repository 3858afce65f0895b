package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/routing"
)

func TestAgenciesConfig(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		check   func(Config) string // "" when fine, else what is wrong
		wantErr []string
	}{
		{"OK address for a built-in agency", "[[agencies]]\nkey = \"nav\"\nemail = \"henvisning@nav.no\"\n", func(c Config) string {
			as := mergeAgencies(routing.DefaultAgencies(), c.Agencies)
			if nav, _ := as.Find("nav"); nav.Email != "henvisning@nav.no" || nav.Name != "NAV" || nav.Description == "" {
				return "nav not merged: " + nav.Email
			}
			if len(as) != 5 {
				return "count changed"
			}
			return ""
		}, nil},
		{"OK new agency appended", "[[agencies]]\nkey = \"husbanken\"\nname = \"Husbanken\"\ndescription = \"Bostøtte\"\n\n[[agencies]]\nkey = \"ks\"\nname = \"KS Digihjelpen\"\n", func(c Config) string {
			as := mergeAgencies(routing.DefaultAgencies(), c.Agencies)
			if len(as) != 6 || as[5].Key != "husbanken" || as[0].Name != "KS Digihjelpen" {
				return "merge wrong"
			}
			return ""
		}, nil},
		{"OK reminder", "[routing]\nreferral_reminder_after = \"3d\"\n", func(c Config) string {
			if time.Duration(c.Routing.ReferralReminderAfter) != 72*time.Hour {
				return "reminder not read"
			}
			return ""
		}, nil},
		{"OK reminders off", "[routing]\nreferral_reminder_after = \"0s\"\n", func(c Config) string {
			if c.Routing.ReferralReminderAfter != 0 {
				return "reminder not off"
			}
			return ""
		}, nil},
		{"ErrAgencyKey", "[server]\naddr = \"127.0.0.1:1\"\n\n[[agencies]]\nkey = \"NAV kontor\"\nname = \"x\"\n", nil, []string{"config.toml:5", "agencies[1].key", "lower-case"}},
		{"ErrAgencyEmail", "[[agencies]]\nkey = \"nav\"\n\n[[agencies]]\nkey = \"skatteetaten\"\nname = \"Skatt\"\nemail = \"skatt\"\n", nil, []string{"config.toml:7", "agencies[2].email", "expected an email address"}},
		{"ErrAgencyTwice", "[[agencies]]\nkey = \"nav\"\n[[agencies]]\nkey = \"nav\"\n", nil, []string{"config.toml:4", "agencies[2].key", "configured twice"}},
		{"ErrNewAgencyName", "[[agencies]]\nkey = \"husbanken\"\n", nil, []string{"config.toml:1", "agencies[1].name", "expected a name", "built-in agencies: ks"}},
		{"ErrAgencyUnknownKey", "[[agencies]]\nkey = \"nav\"\nadresse = \"x@nav.no\"\n", nil, []string{"config.toml:3", "agencies.adresse", "unknown key", "agencies.email"}},
		{"ErrReminderShort", "[routing]\nreferral_reminder_after = \"5m\"\n", nil, []string{"routing.referral_reminder_after", "at least 1h"}},
		{"ErrReminderType", "[routing]\nreferral_reminder_after = 5\n", nil, []string{"config.toml:2", "routing.referral_reminder_after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfig(t, tt.text), nil)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if msg := tt.check(cfg); msg != "" {
					t.Fatalf("%s: %+v", msg, cfg.Agencies)
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

func TestDefaultReminder(t *testing.T) {
	cfg, err := LoadConfig("", nil)
	if err != nil || time.Duration(cfg.Routing.ReferralReminderAfter) != 7*24*time.Hour {
		t.Fatalf("default reminder %v %v, want 7 days", cfg.Routing.ReferralReminderAfter, err)
	}
}
