package oauth_test

import (
	"testing"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
)

func TestChooseMechanism(t *testing.T) {
	tests := []struct {
		name    string
		prefer  []string
		offered []string
		want    string
	}{
		{"OAUTHBEARER preferred", nil, []string{"XOAUTH2", "OAUTHBEARER", "PLAIN"}, "OAUTHBEARER"},
		{"Exchange Online offers XOAUTH2", nil, []string{"PLAIN", "XOAUTH2"}, "XOAUTH2"},
		{"order asked for", []string{"XOAUTH2"}, []string{"XOAUTH2", "OAUTHBEARER"}, "XOAUTH2"},
		{"ErrNone", nil, []string{"PLAIN", "LOGIN"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := oauth.ChooseMechanism(tt.prefer, func(m string) bool {
				for _, o := range tt.offered {
					if o == m {
						return true
					}
				}
				return false
			})
			if got != tt.want || (err == nil) != (tt.want != "") {
				t.Fatalf("got %q %v, want %q", got, err, tt.want)
			}
		})
	}
}

func TestSASLInitialResponses(t *testing.T) {
	tests := []struct{ mech, want string }{
		{oauth.XOAUTH2, "user=helpdesk@example.test\x01auth=Bearer tok\x01\x01"},
		{oauth.OAUTHBEARER, "n,a=helpdesk@example.test,\x01host=imap.example.test\x01port=993\x01auth=Bearer tok\x01\x01"},
	}
	for _, tt := range tests {
		c, err := oauth.SASLClient(tt.mech, "helpdesk@example.test", "tok", "imap.example.test:993")
		if err != nil {
			t.Fatal(err)
		}
		mech, ir, err := c.Start()
		if err != nil || mech != tt.mech || string(ir) != tt.want {
			t.Errorf("%s: %q %q %v, want %q", tt.mech, mech, ir, err, tt.want)
		}
	}
	if _, err := oauth.SASLClient("PLAIN", "u", "t", "h:1"); err == nil {
		t.Error("PLAIN accepted as a token mechanism")
	}
}
