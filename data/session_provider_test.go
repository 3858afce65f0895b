package data_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestDeleteProviderSessions: signing out at the provider ends exactly the sessions of that
// provider session, of that issuer, and an empty sid or issuer ends nothing (a provider that
// sends no sid must never sign everybody out).
func TestDeleteProviderSessions(t *testing.T) {
	const iss, other = "https://login.microsoftonline.com/t1/v2.0", "https://login.microsoftonline.com/t2/v2.0"
	tests := []struct {
		name      string
		iss, sid  string
		wantGone  []string
		wantCount int
	}{
		{"OK both browsers of the provider session", iss, "sid-kari", []string{"kari-1", "kari-2"}, 2},
		{"OK the other person's session", iss, "sid-ola", []string{"ola"}, 1},
		{"OK a sid with characters JSON escapes", iss, `sid<&"\x`, []string{"rar"}, 1},
		{"ErrUnknownSid", iss, "sid-ingen", nil, 0},
		{"ErrOtherIssuer", other, "sid-kari", nil, 0},
		{"ErrNoSid", iss, "", nil, 0},
		{"ErrNoIssuer", "", "sid-kari", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, clock := mustOpenDB(t)
			s := data.NewSessionService(db)
			sessions := []*ticket.Session{
				{ID: "kari-1", UserID: 1, Issuer: iss, ProviderSID: "sid-kari"},
				{ID: "kari-2", UserID: 1, Issuer: iss, ProviderSID: "sid-kari"},
				{ID: "ola", UserID: 2, Issuer: iss, ProviderSID: "sid-ola"},
				{ID: "kari-andre", UserID: 1, Issuer: other, ProviderSID: "sid-kari-2"},
				{ID: "passord", UserID: 3},
				{ID: "uten-sid", UserID: 4, Issuer: iss},
				{ID: "rar", UserID: 5, Issuer: iss, ProviderSID: `sid<&"\x`},
			}
			for _, sess := range sessions {
				sess.ExpiresAt = clock.Now().Add(time.Hour)
				if err := s.CreateSession(ctx, sess); err != nil {
					t.Fatal(err)
				}
			}
			n, err := s.DeleteProviderSessions(ctx, tt.iss, tt.sid)
			if err != nil || n != tt.wantCount {
				t.Fatalf("ended %d (%v), want %d", n, err, tt.wantCount)
			}
			for _, sess := range sessions {
				got, err := s.FindSession(ctx, sess.ID)
				gone := ticket.ErrorCode(err) == ticket.ENOTFOUND
				if want := slices.Contains(tt.wantGone, sess.ID); gone != want {
					t.Errorf("session %s gone %v, want %v (%v)", sess.ID, gone, want, err)
				}
				if !gone && (got.Issuer != sess.Issuer || got.ProviderSID != sess.ProviderSID) {
					t.Errorf("session %s read back as %q %q", sess.ID, got.Issuer, got.ProviderSID)
				}
			}
		})
	}
}

// BenchmarkDeleteProviderSessionsMiss is the price of a front-channel logout for a provider
// session that has none here (most of them), with a thousand signed-in browsers: one read scan.
func BenchmarkDeleteProviderSessionsMiss(b *testing.B) {
	ctx := context.Background()
	db, clock := mustOpenDB(b)
	s := data.NewSessionService(db)
	for i := range 1000 {
		sess := &ticket.Session{ID: fmt.Sprintf("%064x", i), UserID: uint64(i%50 + 1), ExpiresAt: clock.Now().Add(time.Hour),
			IDToken: strings.Repeat("x", 1500), Issuer: "https://login.microsoftonline.com/t/v2.0", ProviderSID: fmt.Sprintf("sid-%d", i)}
		if err := s.CreateSession(ctx, sess); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if n, err := s.DeleteProviderSessions(ctx, "https://login.microsoftonline.com/t/v2.0", "sid-ingen"); err != nil || n != 0 {
			b.Fatal(n, err)
		}
	}
}
