package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestAckTemplateVersions(t *testing.T) {
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	db, _ := mustOpenDB(t)
	s := data.NewTemplateService(db)
	cur, err := s.FindAckTemplate(admin)
	if err != nil || cur.Version != 0 || cur.Text != ticket.DefaultAckText {
		t.Fatalf("got %+v %v, want the built-in text", cur, err)
	}
	tests := []struct {
		name      string
		text      string
		ifVersion int
		wantCode  string
		wantVer   int
	}{
		{"OK first", "Sak {saksnummer}: {statuslenke}", 0, "", 1},
		{"ErrStale", "Sak {saksnummer}: {statuslenke}!", 0, ticket.ECONFLICT, 1},
		{"ErrInvalid", "Hei", 1, ticket.EINVALID, 1},
		{"OK second", "Hei {navn}. Sak {saksnummer}: {statuslenke}", 1, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.SaveAckTemplate(admin, tt.text, tt.ifVersion)
			if ticket.ErrorCode(err) != tt.wantCode {
				t.Fatalf("got %v, want code %q", err, tt.wantCode)
			}
			cur, _ := s.FindAckTemplate(admin)
			if cur.Version != tt.wantVer {
				t.Fatalf("current version %d, want %d", cur.Version, tt.wantVer)
			}
		})
	}
	all, _ := s.FindAckTemplates(admin)
	if len(all) != 2 || all[0].Version != 2 || all[0].UpdatedBy != "admin@ks.no" || all[1].Text != "Sak {saksnummer}: {statuslenke}" {
		t.Fatalf("versions %+v", all)
	}
	events, _ := data.NewEventService(db).FindEvents(admin, 0)
	if len(events) != 2 || events[1].Kind != ticket.EventTemplate || events[1].Actor != "admin@ks.no" {
		t.Fatalf("audit %+v", events)
	}
}

func TestCannedResponses(t *testing.T) {
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	db, _ := mustOpenDB(t)
	s := data.NewTemplateService(db)
	for _, title := range []string{"Årsrapport", "BankID", "Øvelse", "Ærlig svar"} {
		if err := s.SaveCannedResponse(admin, &ticket.CannedResponse{Title: title, Text: "Hei {navn}"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveCannedResponse(admin, &ticket.CannedResponse{Title: "", Text: "{feil}"}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	list, _ := s.FindCannedResponses(admin)
	var titles []string
	for _, r := range list {
		titles = append(titles, r.Title)
	}
	if got := titles; len(got) != 4 || got[0] != "BankID" || got[1] != "Ærlig svar" || got[2] != "Øvelse" || got[3] != "Årsrapport" {
		t.Fatalf("order %v, want BankID, Ærlig svar, Øvelse, Årsrapport", got)
	}
	r := list[0]
	r.Text = "Se håndboken: https://example.no/handbok"
	if err := s.SaveCannedResponse(admin, r); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindCannedResponse(admin, r.ID); got.Text != r.Text || got.CreatedAt.IsZero() {
		t.Fatalf("got %+v", got)
	}
	if err := s.DeleteCannedResponse(admin, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindCannedResponse(admin, r.ID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("after delete: %v", err)
	}
	if err := s.SaveCannedResponse(admin, &ticket.CannedResponse{ID: 999, Title: "x", Text: "y"}); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("update of a missing one: %v", err)
	}
}
