package ticket_test

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestLinkedArticles(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"inserted line", "«Logge inn på NAV»: https://digihjelpen.ks.no/handbok/logge-inn-pa-nav", "logge-inn-pa-nav"},
		{"two, the first once", "http://x.no/handbok/a-b og https://x.no/handbok/c. Se igjen http://x.no/handbok/a-b!", "a-b,c"},
		{"the handbook's own pages", "https://x.no/handbok/ny og https://x.no/handbok/forslag?tekst=a", ""},
		{"the handbook's front page", "Se https://x.no/handbok eller https://x.no/handbok/", ""},
		{"a path without a host", "Gå til /handbok/kom-i-gang", ""},
		{"a trailing dash is no part", "https://x.no/handbok/kom-i-gang-.", "kom-i-gang"},
		{"capitals are no slug", "https://x.no/handbok/Kom", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(ticket.LinkedArticles(tt.text), ","); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	tk := &ticket.Ticket{Articles: []string{"a-b"}}
	old := *tk
	tk.LinkArticles("https://x.no/handbok/c https://x.no/handbok/a-b")
	if strings.Join(tk.Articles, ",") != "a-b,c" || strings.Join(old.Articles, ",") != "a-b" {
		t.Errorf("got %v, the copy before %v", tk.Articles, old.Articles)
	}
}
