package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestHandbookVersions(t *testing.T) {
	db, clock := mustOpenDB(t)
	hb := data.NewHandbookService(db)
	ctx := adminCtx()
	a := &ticket.Article{Title: "Logge inn med MinID", Text: "## Slik gjør du\n\n1. Gå til minid.no", Tags: []string{"MinID", "innlogging"}}
	if err := hb.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.Slug != "logge-inn-med-minid" || a.Version != 1 || a.Tags[0] != "minid" {
		t.Fatalf("created: %+v", a)
	}
	if err := hb.CreateArticle(ctx, &ticket.Article{Title: "Logge inn med MinID", Text: "x"}); ticket.FieldErrorsOf(err).ByField("adresse") == "" {
		t.Errorf("a taken slug: got %v", err)
	}
	clock.Add(time.Minute)
	b := &ticket.Article{Slug: a.Slug, Title: a.Title, Text: a.Text + "\n2. Skriv passordet", Tags: a.Tags}
	if err := hb.SaveArticle(ctx, b, 1); err != nil {
		t.Fatal(err)
	}
	if err := hb.SaveArticle(ctx, &ticket.Article{Slug: a.Slug, Title: "Gammel", Text: "x"}, 1); ticket.ErrorCode(err) != ticket.ECONFLICT {
		t.Errorf("stale save: got %v, want ECONFLICT", err)
	}
	if err := hb.SaveArticle(ctx, &ticket.Article{Slug: a.Slug, Title: " ", Text: ""}, 2); len(ticket.FieldErrorsOf(err)) != 2 {
		t.Errorf("empty title and text: got %v", err)
	}
	if err := hb.DeleteArticle(ctx, a.Slug, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := hb.FindArticle(ctx, a.Slug); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("deleted: got %v", err)
	}
	if err := hb.CreateArticle(ctx, &ticket.Article{Title: "Logge inn med MinID", Text: "Ny tekst"}); err != nil {
		t.Fatalf("again after deletion: %v", err)
	}
	versions, err := hb.FindArticleVersions(ctx, a.Slug)
	if err != nil || len(versions) != 4 || versions[0].Version != 4 || !versions[1].Deleted {
		t.Fatalf("versions: %v %v", versions, err)
	}
	events, _ := data.NewEventService(db).FindEvents(context.Background(), 0)
	n := 0
	for _, e := range events {
		if e.Kind == ticket.EventHandbook && e.To == a.Slug {
			n++
		}
	}
	if n != 4 {
		t.Errorf("got %d handbook events, want 4", n)
	}
	mustVerify(t, db)
}

// TestSuggestArticles ranks by shared rare words, Norwegian inflections included, and leaves
// out what is not alike.
func TestSuggestArticles(t *testing.T) {
	db, _ := mustOpenDB(t)
	hb := data.NewHandbookService(db)
	res, err := hb.ImportArticles(adminCtx(), []*ticket.Article{
		{Title: "Endre skattekortet", Text: "Innbyggeren endrer skattekortet på skatteetaten.no med BankID eller MinID.", Tags: []string{"skatt"}},
		{Title: "Logge inn med MinID", Text: "MinID er en elektronisk ID for offentlige tjenester. Bestill kode på minid.no."},
		{Title: "Melde flytting", Text: "Flytting meldes til Folkeregisteret på skatteetaten.no."},
		{Title: "Kurs for seniorer", Text: "Biblioteket holder kurs i digitale ferdigheter for seniorer."},
	})
	if err != nil || res.Created != 4 {
		t.Fatalf("import: %+v %v", res, err)
	}
	tests := []struct {
		name, text string
		want       []string // slugs, best first
	}{
		{"inflected", "Hvordan kan en innbygger endre skattekortene sine?", []string{"endre-skattekortet"}},
		{"two alike, the rarer word decides", "Hun får ikke logget inn med MinID for å se skattekortet", []string{"logge-inn-med-minid", "endre-skattekortet"}},
		{"nothing alike", "Hvor kjøper jeg billetter til fotball?", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hb.SuggestArticles(context.Background(), tt.text, 3)
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, m := range got {
				slugs = append(slugs, m.Article.Slug)
			}
			if len(slugs) < len(tt.want) || (len(tt.want) == 0 && len(slugs) > 0) {
				t.Fatalf("got %v, want %v first", slugs, tt.want)
			}
			for i, w := range tt.want {
				if slugs[i] != w {
					t.Errorf("got %v, want %v first", slugs, tt.want)
				}
			}
		})
	}
	again, err := hb.ImportArticles(adminCtx(), []*ticket.Article{{Title: "Melde flytting", Text: "Flytting meldes til Folkeregisteret på skatteetaten.no."}})
	if err != nil || again.Unchanged != 1 {
		t.Errorf("import again: %+v %v", again, err)
	}
	mustVerify(t, db)
}

func TestSelfHelpCounts(t *testing.T) {
	db, clock := mustOpenDB(t)
	hb := data.NewHandbookService(db)
	start := clock.Now()
	for _, slug := range []string{"a", "b", "a"} {
		if err := hb.RecordSelfHelp(context.Background(), slug); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Hour)
	}
	total, by, err := hb.SelfHelpCounts(context.Background(), start, clock.Now())
	if err != nil || total != 3 || by["a"] != 2 || by["b"] != 1 {
		t.Errorf("got %d %v %v", total, by, err)
	}
	total, _, _ = hb.SelfHelpCounts(context.Background(), start.Add(90*time.Minute), clock.Now())
	if total != 1 {
		t.Errorf("from the second hour on: got %d, want 1", total)
	}
}
