package data_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func adminCtx() context.Context {
	return ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
}

const ackText = "Hei {navn}. Sak {saksnummer}: {statuslenke}"

// TestAckTemplateVersions walks templates through create, save, delete and create again, each
// step checked against what the store then holds.
func TestAckTemplateVersions(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTemplateService(db)
	ctx := adminCtx()
	tests := []struct {
		name      string
		do        func() error
		wantCode  string
		wantField string
		check     string // template whose current version is checked, "" none
		wantVer   int    // -1: must not exist
	}{
		{"built-in default before any save", func() error { return nil }, "", "", "standard", 0},
		{"built-in referral template", func() error { return nil }, "", "", "henvisning", 0},
		{"OK save default", func() error {
			return s.SaveAckTemplate(ctx, &ticket.AckTemplate{Name: "standard", Title: "Standard", Text: ackText}, 0)
		}, "", "", "standard", 1},
		{"ErrStale", func() error {
			return s.SaveAckTemplate(ctx, &ticket.AckTemplate{Name: "standard", Title: "Standard", Text: ackText + "!"}, 0)
		}, ticket.ECONFLICT, "", "standard", 1},
		{"ErrInvalid text", func() error {
			return s.SaveAckTemplate(ctx, &ticket.AckTemplate{Name: "standard", Title: "Standard", Text: "Hei"}, 1)
		}, ticket.EINVALID, "text", "standard", 1},
		{"ErrSave missing", func() error {
			return s.SaveAckTemplate(ctx, &ticket.AckTemplate{Name: "finnes-ikke", Title: "X", Text: ackText}, 0)
		}, ticket.ENOTFOUND, "", "finnes-ikke", -1},
		{"OK create", func() error {
			return s.CreateAckTemplate(ctx, &ticket.AckTemplate{Name: "nav", Title: "Til NAV", Text: ackText})
		}, "", "", "nav", 1},
		{"ErrCreate taken", func() error {
			return s.CreateAckTemplate(ctx, &ticket.AckTemplate{Name: "nav", Title: "Igjen", Text: ackText})
		}, ticket.EINVALID, "name", "nav", 1},
		{"ErrCreate built-in name", func() error {
			return s.CreateAckTemplate(ctx, &ticket.AckTemplate{Name: "henvisning", Title: "Igjen", Text: ackText})
		}, ticket.EINVALID, "name", "henvisning", 0},
		{"ErrCreate bad name", func() error {
			return s.CreateAckTemplate(ctx, &ticket.AckTemplate{Name: "Til NAV", Title: "X", Text: ackText})
		}, ticket.EINVALID, "name", "", 0},
		{"ErrDelete default", func() error { _, err := s.DeleteAckTemplate(ctx, "standard", 1); return err }, ticket.EINVALID, "", "standard", 1},
		{"ErrDelete stale", func() error { _, err := s.DeleteAckTemplate(ctx, "nav", 0); return err }, ticket.ECONFLICT, "", "nav", 1},
		{"OK delete", func() error { _, err := s.DeleteAckTemplate(ctx, "nav", 1); return err }, "", "", "nav", -1},
		{"ErrDelete gone", func() error { _, err := s.DeleteAckTemplate(ctx, "nav", 2); return err }, ticket.ENOTFOUND, "", "nav", -1},
		{"OK delete built-in", func() error { _, err := s.DeleteAckTemplate(ctx, "henvisning", 0); return err }, "", "", "henvisning", -1},
		{"OK create again after delete", func() error {
			return s.CreateAckTemplate(ctx, &ticket.AckTemplate{Name: "nav", Title: "NAV igjen", Text: ackText})
		}, "", "", "nav", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if ticket.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want code %q", err, tt.wantCode)
			}
			if tt.wantField != "" && ticket.FieldErrorsOf(err).ByField(tt.wantField) == "" {
				t.Fatalf("got %v, want an error on %s", err, tt.wantField)
			}
			if tt.check == "" {
				return
			}
			cur, err := s.FindAckTemplate(ctx, tt.check)
			switch {
			case tt.wantVer < 0 && ticket.ErrorCode(err) != ticket.ENOTFOUND:
				t.Fatalf("got %+v %v, want ENOTFOUND", cur, err)
			case tt.wantVer >= 0 && (err != nil || cur.Version != tt.wantVer):
				t.Fatalf("got %+v %v, want version %d", cur, err, tt.wantVer)
			}
		})
	}
	all, _ := s.FindAckTemplates(ctx)
	if len(all) != 2 || all[0].Name != "standard" || all[1].Name != "nav" || all[1].Title != "NAV igjen" {
		t.Fatalf("current templates %+v, want standard and nav (henvisning deleted)", all)
	}
	versions, _ := s.FindAckTemplateVersions(ctx, "nav")
	if len(versions) != 3 || versions[0].Version != 3 || !versions[1].Deleted || versions[2].Text != ackText || versions[2].UpdatedBy != "admin@ks.no" {
		t.Fatalf("versions of nav %+v", versions)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	var details []string
	for _, e := range events {
		if e.Kind == ticket.EventTemplate {
			details = append(details, e.Detail)
		}
	}
	want := []string{"«Standard» (standard) versjon 1 lagret", "«Til NAV» (nav) opprettet", "«Til NAV» (nav) slettet",
		"«Sendes videre til etat» (henvisning) slettet", "«NAV igjen» (nav) opprettet"}
	if strings.Join(details, "|") != strings.Join(want, "|") {
		t.Fatalf("audit %q, want %q", details, want)
	}
}

// TestAckTemplateMigration opens a file of schema 5, whose one acknowledgement had versions
// keyed by number alone, and checks they become the default template's versions.
func TestAckTemplateMigration(t *testing.T) {
	db, _ := mustOpenDB(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := bolt.Open(db.Path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		old, err := tx.CreateBucket([]byte("ack_templates"))
		if err != nil {
			return err
		}
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).Format(time.RFC3339)
		for i, text := range []string{"Første {saksnummer} {statuslenke}", "Andre {saksnummer} {statuslenke}"} {
			v := i + 1
			rec := fmt.Sprintf(`{"v":%d,"text":%q,"by":"kari@ks.no","at":%q}`, v, text, at)
			if err := old.Put(binary.BigEndian.AppendUint64(nil, uint64(v)), append([]byte{1}, rec...)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, 5))
	})
	if cerr := raw.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	s := data.NewTemplateService(db)
	cur, err := s.FindAckTemplate(adminCtx(), "standard")
	if err != nil || cur.Version != 2 || cur.Text != "Andre {saksnummer} {statuslenke}" || cur.UpdatedBy != "kari@ks.no" || cur.Title != "Standard" {
		t.Fatalf("got %+v %v, want version 2 of the old acknowledgement", cur, err)
	}
	if versions, _ := s.FindAckTemplateVersions(adminCtx(), "standard"); len(versions) != 2 {
		t.Fatalf("versions %+v, want 2", versions)
	}
	mustVerify(t, db)
}
