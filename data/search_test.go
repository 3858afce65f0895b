package data_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// mustIndex drains the search queue, as the background indexer does.
func mustIndex(tb testing.TB, db *data.DB) {
	tb.Helper()
	for {
		n, err := db.IndexSearch(context.Background(), 3)
		if err != nil {
			tb.Fatal(err)
		}
		if n < 3 {
			return
		}
	}
}

type searchCase struct {
	subject, name, email, text string
}

var searchCorpus = []searchCase{
	{"Skattekortet for ny arbeidstaker", "Kari Nordmann", "kari.nordmann@bodo.kommune.no", "Hun har fått jobb og trenger skattekort."},
	{"Søknad om dagpenger", "Per Ødegård", "per@hamar.kommune.no", "En innbygger vil sende søknader om dagpenger uten BankID."},
	{"Kursmateriell for seniorer", "Åse Sætre", "ase@lillehammer.kommune.no", "Hvor finner vi kursmateriellet fra Digidel?"},
	{"Spørsmål om bibliotekene", "Ola Hansen", "ola@tromso.kommune.no", "Kan bibliotekene søke prosjektmidler?"},
}

func seedSearch(t *testing.T) (*data.DB, *data.TicketService, []*ticket.Ticket) {
	t.Helper()
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	var all []*ticket.Ticket
	for _, c := range searchCorpus {
		clock.Add(60e9)
		tk, m := newTicket(c.subject, c.email, "ks")
		tk.Requester.Name, m.Text = c.name, c.text
		if err := s.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		all = append(all, tk)
	}
	return db, s, all
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	db, s, all := seedSearch(t)
	if list, _, _ := s.FindTickets(ctx, ticket.TicketFilter{Query: "skattekort"}); len(list) != 0 {
		t.Fatalf("found %d before indexing, want 0", len(list))
	}
	if n, _ := db.SearchBacklog(ctx); n != len(all) {
		t.Fatalf("backlog %d, want %d", n, len(all))
	}
	mustVerify(t, db)
	mustIndex(t, db)
	mustVerify(t, db)
	if _, err := s.UpdateTicket(ctx, all[1].ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	mustIndex(t, db)
	mustVerify(t, db)
	tests := []struct {
		name string
		f    ticket.TicketFilter
		want []int // indexes into searchCorpus, newest first
	}{
		{"inflection: definite form finds the stem", ticket.TicketFilter{Query: "skattekortet"}, []int{0}},
		{"inflection: plural", ticket.TicketFilter{Query: "Skattekortene"}, []int{0}},
		{"plural finds singular and plural", ticket.TicketFilter{Query: "søknad"}, []int{1}},
		{"capitals and æøå in names", ticket.TicketFilter{Query: "ødegård"}, []int{1}},
		{"requester address", ticket.TicketFilter{Query: "kari.nordmann@bodo.kommune.no"}, []int{0}},
		{"requester domain part", ticket.TicketFilter{Query: "lillehammer"}, []int{2}},
		{"body text", ticket.TicketFilter{Query: "kursmateriell digidel"}, []int{2}},
		{"all words must match", ticket.TicketFilter{Query: "skattekort dagpenger"}, nil},
		{"word in several", ticket.TicketFilter{Query: "innbygger OR bibliotek"}, nil},
		{"common word, newest first", ticket.TicketFilter{Query: "kommune"}, []int{3, 2, 1, 0}},
		{"with status filter", ticket.TicketFilter{Query: "kommune", Status: ptr(ticket.StatusResolved)}, []int{1}},
		{"with active statuses", ticket.TicketFilter{Query: "kommune", Statuses: []ticket.Status{ticket.StatusNew, ticket.StatusOpen}}, []int{3, 2, 0}},
		{"with requester filter", ticket.TicketFilter{Query: "kommune", Requester: ptr("ola@tromso.kommune.no")}, []int{3}},
		{"with agency", ticket.TicketFilter{Query: "kommune", Agency: ptr("nav")}, nil},
		{"phrase, inflected, stop word inside", ticket.TicketFilter{Query: `"søknad om dagpenger"`}, []int{1}},
		{"phrase in another order", ticket.TicketFilter{Query: `"dagpenger søknad"`}, nil},
		{"phrase of words apart", ticket.TicketFilter{Query: `"jobb skattekort"`}, nil},
		{"phrase in Norwegian quotes", ticket.TicketFilter{Query: "«trenger skattekort»"}, []int{0}},
		{"phrase in curly quotes, with a word", ticket.TicketFilter{Query: "“søke prosjektmidler” kommune"}, []int{3}},
		{"phrase never closed", ticket.TicketFilter{Query: `"kursmateriellet fra digidel`}, []int{2}},
		{"phrase of a name", ticket.TicketFilter{Query: `"per ødegård"`}, []int{1}},
		{"phrase of one word", ticket.TicketFilter{Query: `"bibliotekene"`}, []int{3}},
		{"phrase over subject and text apart", ticket.TicketFilter{Query: `"seniorer finner"`}, nil},
		{"minus leaves out a word", ticket.TicketFilter{Query: "kommune -dagpenger"}, []int{3, 2, 0}},
		{"minus leaves out a phrase", ticket.TicketFilter{Query: `kommune -"søke prosjektmidler" -"jobb skattekort"`}, []int{2, 1, 0}},
		{"lone minus is nothing", ticket.TicketFilter{Query: "skattekort - bibliotek"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, total, err := s.FindTickets(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []uint64
			for _, tk := range list {
				got = append(got, tk.ID)
			}
			for _, i := range tt.want {
				want = append(want, all[i].ID)
			}
			if !slices.Equal(got, want) || total != len(want) {
				t.Errorf("got %v (total %d), want %v", got, total, want)
			}
		})
	}
	t.Run("paging", func(t *testing.T) {
		f := ticket.TicketFilter{Query: "kommune", Limit: 3}
		first, total, _ := s.FindTickets(ctx, f)
		f.Cursor = first[2].Cursor(ticket.SortCreatedDesc)
		rest, total2, _ := s.FindTickets(ctx, f)
		if len(first) != 3 || len(rest) != 1 || rest[0].ID != all[0].ID || total != 4 || total2 != 4 {
			t.Errorf("pages %d+%d, totals %d %d", len(first), len(rest), total, total2)
		}
	})
	t.Run("ErrOnlyLeftOut", func(t *testing.T) {
		_, _, err := s.FindTickets(ctx, ticket.TicketFilter{Query: `-dagpenger -"søke prosjektmidler"`})
		if fe := ticket.FieldErrorsOf(err); len(fe) != 1 || !strings.Contains(fe[0].Message, "minus") {
			t.Errorf("got %v, want a field error about leaving out", err)
		}
	})
	t.Run("ErrOnlyStopWords", func(t *testing.T) {
		if _, _, err := s.FindTickets(ctx, ticket.TicketFilter{Query: "og i på"}); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Errorf("got %v, want EINVALID", err)
		}
	})
}

func TestSearchFollowsNewMessages(t *testing.T) {
	ctx := context.Background()
	db, s, all := seedSearch(t)
	mustIndex(t, db)
	m := &ticket.Message{Direction: ticket.DirectionNote, Author: "ola@ks.no", Text: "Sjekk folkeregisteret først."}
	if _, err := s.AppendMessage(ctx, all[3].ID, m, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	mustIndex(t, db)
	list, _, err := s.FindTickets(ctx, ticket.TicketFilter{Query: "Folkeregisteret"})
	if err != nil || len(list) != 1 || list[0].ID != all[3].ID {
		t.Fatalf("got %v %v, want the ticket with the note", list, err)
	}
	if err := db.DropPostingsForTest("folkeregister"); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(ctx); err == nil {
		t.Fatal("Verify passed with a posting missing")
	}
}

func TestSimilarTickets(t *testing.T) {
	ctx := context.Background()
	db, s, all := seedSearch(t)
	answer := func(tk *ticket.Ticket, text string, st ticket.Status) {
		m := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", Text: text}
		if _, err := s.AppendMessage(ctx, tk.ID, m, ticket.AppendOptions{Status: &st}); err != nil {
			t.Fatal(err)
		}
	}
	answer(all[0], "Skattekort bestilles på skatteetaten.no.", ticket.StatusResolved)
	answer(all[2], "Se kompetansenorge.no.", ticket.StatusClosed)
	answer(all[3], "Ja, se nb.no.", ticket.StatusWaiting) // answered, but not resolved
	q, m := newTicket("Hvordan få skattekortet til en ny arbeidstaker?", "nina@voss.herad.no", "ks")
	m.Text = "Hun har begynt i ny jobb og trenger skattekort."
	if err := s.CreateTicket(ctx, q, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	mustIndex(t, db)
	got, err := s.SimilarTickets(ctx, q.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Ticket.ID != all[0].ID || got[0].Answer != "Skattekort bestilles på skatteetaten.no." {
		t.Fatalf("got %+v, want the answered skattekort ticket", got)
	}
	if none, _ := s.SimilarTickets(ctx, all[1].ID, 5); len(none) != 0 {
		t.Errorf("dagpenger: got %d similar, want 0", len(none))
	}
}

// TestPhraseSearchMigration: a file indexed before phrase search (schema 6) has every ticket
// queued again when it is opened, so its word pairs are indexed and phrases find old tickets.
func TestPhraseSearchMigration(t *testing.T) {
	ctx := context.Background()
	db, s, all := seedSearch(t)
	mustIndex(t, db)
	if err := db.SetSchemaVersionForTest(6); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.SearchBacklog(ctx); n != len(all) {
		t.Fatalf("backlog %d after the migration, want %d", n, len(all))
	}
	mustIndex(t, db)
	mustVerify(t, db)
	if list, _, err := s.FindTickets(ctx, ticket.TicketFilter{Query: `"søke prosjektmidler"`}); err != nil || len(list) != 1 || list[0].ID != all[3].ID {
		t.Fatalf("phrase after the migration: %v %v", list, err)
	}
}

// TestSearchFailsOnUnreadableIndex: a bitmap of the search index that cannot be read fails the
// search, the count that uses the bitmaps and the similar tickets, where it used to count as
// empty and make them miss tickets without a word.
func TestSearchFailsOnUnreadableIndex(t *testing.T) {
	ctx := context.Background()
	db, s, all := seedSearch(t)
	mustIndex(t, db)
	twoFacets := ticket.TicketFilter{Assignee: ptr(""), Channel: ptr(ticket.ChannelEmail)} // counted from the bitmaps
	if list, _, err := s.FindTickets(ctx, ticket.TicketFilter{Query: "skattekort"}); err != nil || len(list) != 1 {
		t.Fatalf("before: found %d, %v; want 1", len(list), err)
	}
	if _, total, err := s.FindTickets(ctx, twoFacets); err != nil || total != len(all) {
		t.Fatalf("before: counted %d, %v; want %d", total, err, len(all))
	}
	if err := db.CorruptSearchIndexForTest(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]ticket.TicketFilter{"search": {Query: "skattekort"}, "count by two facets": twoFacets} {
		if list, total, err := s.FindTickets(ctx, f); err == nil {
			t.Errorf("%s: got %d tickets of %d and no error, want the index's error", name, len(list), total)
		}
	}
	if list, err := s.SimilarTickets(ctx, all[0].ID, 3); err == nil {
		t.Errorf("similar: got %d and no error, want the index's error", len(list))
	}
}
