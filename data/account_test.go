package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

func TestSignInSSO(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	accounts, users := data.NewAccountService(db), data.NewUserService(db)
	local := &ticket.User{Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAgent, PasswordHash: "x"}
	if err := users.CreateUser(ctx, local); err != nil {
		t.Fatal(err)
	}
	if err := accounts.BeginTwoFactor(ctx, local.ID, "SECRET"); err != nil {
		t.Fatal(err)
	}
	if err := accounts.EnableTwoFactor(ctx, local.ID, 1, []string{"h"}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		id       ticket.SSOIdentity
		wantCode string
		wantID   uint64 // 0: a new user
		wantRole ticket.Role
		wantName string
	}{
		{"OK new user", ticket.SSOIdentity{Subject: "iss s1", Email: "Ola@KS.no", Name: "Ola N", Role: ticket.RoleAgent}, "", 0, ticket.RoleAgent, "Ola N"},
		{"OK same subject, new role and name", ticket.SSOIdentity{Subject: "iss s1", Email: "ola@ks.no", Name: "Ola Nordmann", Role: ticket.RoleReader}, "", 2, ticket.RoleReader, "Ola Nordmann"},
		{"OK links a local account by address", ticket.SSOIdentity{Subject: "iss s2", Email: "kari@ks.no", Name: "Kari Nordmann", Role: ticket.RoleAdmin}, "", local.ID, ticket.RoleAdmin, "Kari Nordmann"},
		{"ErrAddressOfAnotherSubject", ticket.SSOIdentity{Subject: "iss s3", Email: "ola@ks.no", Name: "Ola", Role: ticket.RoleAgent}, ticket.ECONFLICT, 0, "", ""},
		{"ErrNoEmail", ticket.SSOIdentity{Subject: "iss s4", Email: "", Name: "X", Role: ticket.RoleAgent}, ticket.EINVALID, 0, "", ""},
		{"ErrNoRole", ticket.SSOIdentity{Subject: "iss s4", Email: "x@ks.no", Name: "X"}, ticket.EINVALID, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := accounts.SignInSSO(ctx, tt.id)
			if got := ticket.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("code %q (%v), want %q", got, err, tt.wantCode)
			}
			if err != nil {
				return
			}
			if tt.wantID != 0 && u.ID != tt.wantID {
				t.Fatalf("user id %d, want %d", u.ID, tt.wantID)
			}
			stored, err := users.FindUserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Role != tt.wantRole || stored.Name != tt.wantName || stored.SSOSubject != tt.id.Subject ||
				stored.PasswordHash != "" || stored.TwoFactor || stored.LastLoginAt.IsZero() {
				t.Fatalf("stored %+v", stored)
			}
		})
	}
	tf, err := accounts.FindTwoFactor(ctx, local.ID)
	if err != nil || tf.Secret != "" {
		t.Fatalf("linked account keeps its two-factor secret: %+v %v", tf, err)
	}
	// an SSO user has no password to reset
	hash := "y"
	if _, err := users.UpdateUser(ctx, local.ID, ticket.UserUpdate{PasswordHash: &hash}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("password of an SSO user: %v", err)
	}
	// a disabled user is refused
	if err := users.CreateUser(ctx, &ticket.User{Email: "admin@ks.no", Name: "A", Role: ticket.RoleAdmin, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	off := true
	if _, err := users.UpdateUser(ctx, local.ID, ticket.UserUpdate{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SignInSSO(ctx, ticket.SSOIdentity{Subject: "iss s2", Email: "kari@ks.no", Name: "K", Role: ticket.RoleAdmin}); ticket.ErrorCode(err) != ticket.EFORBIDDEN {
		t.Fatalf("disabled: %v", err)
	}
	mustVerify(t, db)
}

func TestTwoFactor(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	accounts, users := data.NewAccountService(db), data.NewUserService(db)
	u := &ticket.User{Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAgent, PasswordHash: "x"}
	if err := users.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := accounts.EnableTwoFactor(ctx, u.ID, 5, nil); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("enable without a pending secret: %v", err)
	}
	if err := accounts.BeginTwoFactor(ctx, u.ID, "PENDING"); err != nil {
		t.Fatal(err)
	}
	if err := accounts.EnableTwoFactor(ctx, u.ID, 5, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := users.FindUserByID(ctx, u.ID); !got.TwoFactor {
		t.Fatal("user not marked with two-factor")
	}
	tf, _ := accounts.FindTwoFactor(ctx, u.ID)
	if tf.Secret != "PENDING" || tf.Pending != "" || tf.RecoveryLeft != 2 || tf.LastStep != 5 {
		t.Fatalf("two-factor %+v", tf)
	}
	for _, tt := range []struct {
		step int64
		want string
	}{{5, ticket.ECONFLICT}, {4, ticket.ECONFLICT}, {6, ""}, {6, ticket.ECONFLICT}, {8, ""}} {
		if got := ticket.ErrorCode(accounts.UseTOTPStep(ctx, u.ID, tt.step)); got != tt.want {
			t.Fatalf("step %d: code %q, want %q", tt.step, got, tt.want)
		}
	}
	if left, err := accounts.UseRecoveryCode(ctx, u.ID, "b"); err != nil || left != 1 {
		t.Fatalf("recovery b: %d %v", left, err)
	}
	if _, err := accounts.UseRecoveryCode(ctx, u.ID, "b"); ticket.ErrorCode(err) != ticket.EUNAUTHORIZED {
		t.Fatalf("recovery code used twice: %v", err)
	}
	if err := accounts.ReplaceRecoveryCodes(ctx, u.ID, []string{"c"}); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.UseRecoveryCode(ctx, u.ID, "a"); ticket.ErrorCode(err) != ticket.EUNAUTHORIZED {
		t.Fatalf("old recovery code after replacement: %v", err)
	}
	if err := accounts.ResetTwoFactor(ctx, u.ID, "tofaktor nullstilt"); err != nil {
		t.Fatal(err)
	}
	if got, _ := users.FindUserByID(ctx, u.ID); got.TwoFactor {
		t.Fatal("two-factor still on after reset")
	}
	if err := accounts.UseTOTPStep(ctx, u.ID, 100); ticket.ErrorCode(err) != ticket.EUNAUTHORIZED {
		t.Fatalf("step after reset: %v", err)
	}

	on, err := accounts.RequireTwoFactor(ctx)
	if err != nil || on {
		t.Fatalf("require by default: %v %v", on, err)
	}
	if err := accounts.SetRequireTwoFactor(ctx, true); err != nil {
		t.Fatal(err)
	}
	if on, _ := accounts.RequireTwoFactor(ctx); !on {
		t.Fatal("setting not kept")
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	if last := events[len(events)-1]; last.Detail != "tofaktor for lokale kontoer: påkrevd" {
		t.Fatalf("audit %+v", last)
	}
}

func TestPasswordReset(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	accounts, users, sessions := data.NewAccountService(db), data.NewUserService(db), data.NewSessionService(db)
	u := &ticket.User{Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAgent, PasswordHash: "old"}
	if err := users.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := sessions.CreateSession(ctx, &ticket.Session{ID: "s1", UserID: u.ID, ExpiresAt: clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	exp := clock.Now().Add(ticket.PasswordResetValidity)
	for _, h := range []string{"t1", "t2"} {
		if err := accounts.CreatePasswordReset(ctx, &ticket.PasswordReset{TokenHash: h, UserID: u.ID, ExpiresAt: exp}, resetMail()); err != nil {
			t.Fatal(err)
		}
	}
	queued, _, err := data.NewOutboxService(db).CountOutbox(ctx)
	if err != nil || queued != 2 {
		t.Fatalf("queued mail %d %v, want the 2 links", queued, err)
	}
	if n, _ := accounts.CountRecentPasswordResets(ctx, u.ID, clock.Now().Add(-time.Hour)); n != 2 {
		t.Fatalf("recent resets %d, want 2", n)
	}
	if _, err := accounts.UsePasswordReset(ctx, "nope", "new"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("unknown link: %v", err)
	}
	got, err := accounts.UsePasswordReset(ctx, "t1", "new")
	if err != nil || got.PasswordHash != "new" {
		t.Fatalf("use: %+v %v", got, err)
	}
	if _, err := sessions.FindSession(ctx, "s1"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("session after reset: %v", err)
	}
	for _, h := range []string{"t1", "t2"} { // single use, and the user's other links are gone too
		if _, err := accounts.UsePasswordReset(ctx, h, "again"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Fatalf("link %s after use: %v", h, err)
		}
	}
	if err := accounts.CreatePasswordReset(ctx, &ticket.PasswordReset{TokenHash: "t3", UserID: u.ID, ExpiresAt: clock.Now().Add(ticket.PasswordResetValidity)}, resetMail()); err != nil {
		t.Fatal(err)
	}
	clock.Add(ticket.PasswordResetValidity)
	if _, err := accounts.FindPasswordReset(ctx, "t3"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("link after 30 minutes: %v", err)
	}
}

func resetMail() *ticket.OutboundMail {
	return &ticket.OutboundMail{Kind: ticket.MailPasswordReset, To: []string{"kari@ks.no"}, Subject: "Nytt passord",
		Text: "lenke", MessageID: compose.NewMessageID("ks.no", ticket.Ref{})}
}
