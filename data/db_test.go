package data_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestReopenAfterClose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "digihjelpen.db")
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	tk := mustCreate(t, data.NewTicketService(db), "Før omstart", "a@b.no", "ks")
	secret, err := db.Secret(ctx, "csrf")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := data.NewTicketService(db)
	got, err := s.FindTicketByRef(ctx, tk.Ref)
	if err != nil || got.Subject != "Før omstart" {
		t.Fatalf("after reopen: %v %v", got, err)
	}
	next := mustCreate(t, s, "Etter omstart", "a@b.no", "ks")
	if next.ID != tk.ID+1 || next.Ref.Number != tk.Ref.Number+1 {
		t.Fatalf("numbering restarted: %d %s after %d %s", next.ID, next.Ref, tk.ID, tk.Ref)
	}
	again, _ := db.Secret(ctx, "csrf")
	if !bytes.Equal(secret, again) || len(secret) != 32 {
		t.Fatal("secret changed across restart")
	}
	mustVerify(t, db)
}

func TestOpenLocked(t *testing.T) {
	db, _ := mustOpenDB(t)
	second := data.NewDB(db.Path)
	start := time.Now()
	err := second.Open()
	if err == nil || !strings.Contains(err.Error(), "locked by another process") {
		t.Fatalf("got %v, want a lock error", err)
	}
	if time.Since(start) > data.OpenTimeout+time.Second {
		t.Fatalf("waited %v for the lock", time.Since(start))
	}
}

func TestOpenNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSchemaVersionForTest(data.SchemaVersion() + 1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	err := data.NewDB(path).Open()
	if err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Fatalf("got %v", err)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	tk := mustCreate(t, data.NewTicketService(db), "Skal med i kopien", "a@b.no", "ks")
	path := filepath.Join(t.TempDir(), "kopi.db")
	n, err := db.BackupToFile(ctx, path)
	if err != nil || n == 0 {
		t.Fatalf("backup: %d %v", n, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	copyDB := data.NewDB(path)
	if err := copyDB.Open(); err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if got, err := data.NewTicketService(copyDB).FindTicketByID(ctx, tk.ID); err != nil || got.Subject != tk.Subject {
		t.Fatalf("in backup: %v %v", got, err)
	}
	mustVerify(t, copyDB)
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	s := data.NewUserService(db)
	u := &ticket.User{Email: "Ola@KS.no", Name: "Ola", Role: ticket.RoleAgent, PasswordHash: "$argon2id$x"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		user *ticket.User
		code string
	}{
		{"ErrEmailTaken", &ticket.User{Email: "ola@ks.no", Name: "Ola 2", Role: ticket.RoleAgent, PasswordHash: "x"}, ticket.EINVALID},
		{"ErrRole", &ticket.User{Email: "kari@ks.no", Name: "Kari", Role: "sjef", PasswordHash: "x"}, ticket.EINVALID},
		{"ErrNoPassword", &ticket.User{Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAdmin}, ticket.EINVALID},
		{"OK", &ticket.User{Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAdmin, PasswordHash: "x"}, ""},
	}
	for _, tt := range tests {
		if err := s.CreateUser(ctx, tt.user); ticket.ErrorCode(err) != tt.code {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.code)
		}
	}
	got, err := s.FindUserByEmail(ctx, "OLA@ks.no")
	if err != nil || got.ID != u.ID || got.PasswordHash != "$argon2id$x" {
		t.Fatalf("by email: %+v %v", got, err)
	}
	role := ticket.RoleAdmin
	if got, err := s.UpdateUser(ctx, u.ID, ticket.UserUpdate{Role: &role}); err != nil || !got.IsAdmin() {
		t.Fatalf("update: %+v %v", got, err)
	}
	if n, _ := s.CountUsers(ctx); n != 2 {
		t.Fatalf("count = %d, want 2", n)
	}
	if list, _ := s.FindUsers(ctx); len(list) != 2 {
		t.Fatalf("list = %d, want 2", len(list))
	}
	if _, err := s.FindUserByEmail(ctx, "ingen@ks.no"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("missing user: %v", err)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	s := data.NewSessionService(db)
	sess := &ticket.Session{ID: "abc", UserID: 1, ExpiresAt: clock.Now().Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindSession(ctx, "abc"); err != nil || got.UserID != 1 {
		t.Fatalf("find: %v %v", got, err)
	}
	clock.Add(30 * time.Minute)
	if err := s.TouchSession(ctx, "abc", clock.Now(), clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	clock.Add(50 * time.Minute)
	if _, err := s.FindSession(ctx, "abc"); err != nil {
		t.Fatalf("sliding expiry did not extend: %v", err)
	}
	clock.Add(time.Hour)
	if _, err := s.FindSession(ctx, "abc"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("expired session found: %v", err)
	}
	if n, err := s.DeleteExpiredSessions(ctx, clock.Now()); err != nil || n != 1 {
		t.Fatalf("cleanup: %d %v", n, err)
	}
}

func TestTokens(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	db, _ := mustOpenDB(t)
	s := data.NewTokenService(db)
	if err := s.CreateToken(ctx, &ticket.Token{ID: "h1", Name: "statistikk", Role: ticket.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateToken(ctx, &ticket.Token{ID: "h2", Role: ticket.RoleAgent}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("no name: %v", err)
	}
	got, err := s.FindToken(ctx, "h1")
	if err != nil || got.Name != "statistikk" || got.CreatedBy != "admin@ks.no" {
		t.Fatalf("find: %+v %v", got, err)
	}
	if err := s.DeleteToken(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindToken(ctx, "h1"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("deleted token found: %v", err)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	if len(events) != 2 || events[1].Detail != "slettet" {
		t.Fatalf("events: %+v", events)
	}
}
