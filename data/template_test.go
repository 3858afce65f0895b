package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

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
