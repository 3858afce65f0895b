package ticket_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestReportTopics counts a period's facts by topic and tag, ranks the gaps in the handbook,
// and counts feedback and self-help inside the period only.
func TestReportTopics(t *testing.T) {
	from := time.Date(2026, 3, 4, 0, 0, 0, 0, ticket.Oslo) // a Wednesday: any period
	to := from.AddDate(0, 0, 10)
	at := from.Add(30 * time.Hour)
	b := ticket.NewPeriodReportBuilder(from, to)
	fact := func(kind ticket.FactKind, id uint64, category string, linked, responded bool, tags ...string) {
		b.Add(ticket.Fact{Kind: kind, At: at, TicketID: id, Agency: "ks", Channel: ticket.ChannelWeb, Category: category, Tags: tags,
			ArticleLinked: linked, Responded: responded, Start: from})
	}
	fact(ticket.FactCreated, 1, "skatt", false, false, "skatt", "bankid")
	fact(ticket.FactCreated, 2, "", false, false, "skatt")
	fact(ticket.FactCreated, 3, "kurs", false, false)
	fact(ticket.FactResolved, 1, "skatt", false, true, "skatt", "bankid") // answered, no article
	fact(ticket.FactResolved, 2, "", true, true, "skatt")                 // answered with an article
	fact(ticket.FactResolved, 3, "kurs", false, false)                    // closed without an answer: no gap
	b.Add(ticket.Fact{Kind: ticket.FactCreated, At: to, TicketID: 4, Category: "nav"})
	b.AddFeedback(at, "nav", true)
	b.AddFeedback(at, "nav", false)
	b.AddFeedback(at, "ks", true)
	b.AddFeedback(to, "ks", false) // after the period
	b.AddSelfHelp(at, "a", "Artikkel A")
	b.AddSelfHelp(at, "b", "Artikkel B")
	b.AddSelfHelp(at, "b", "Artikkel B")
	b.AddSelfHelp(from.Add(-time.Second), "a", "Artikkel A") // before the period
	r := b.Report()

	if !r.IsPeriod() || r.LastDay().Format("2006-01-02") != "2026-03-13" {
		t.Errorf("period %v, last day %v", r.IsPeriod(), r.LastDay())
	}
	got := map[string]string{}
	for k, x := range r.ByTopic {
		got["topic "+k] = fmt.Sprintf("%s %d/%d", x.Name, x.New, x.Resolved)
	}
	for k, x := range r.ByTag {
		got["tag "+k] = fmt.Sprintf("%d/%d", x.New, x.Resolved)
	}
	want := map[string]string{"topic skatt": "Skatt 1/1", "topic ingen": "Uten tema (e-post) 1/1", "topic kurs": "Kurs og opplæring 1/1",
		"tag skatt": "2/2", "tag bankid": "1/1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("topics and tags:\n got %v\nwant %v", got, want)
	}
	var gaps []string
	for _, g := range r.HandbookGaps {
		gaps = append(gaps, fmt.Sprintf("%s:%s %s %d/%d", g.Kind, g.Key, g.Name, g.WithoutArticle, g.Answered))
	}
	if w := "[tag:skatt skatt 1/2 topic:skatt Skatt 1/1 tag:bankid bankid 1/1]"; fmt.Sprint(gaps) != w {
		t.Errorf("gaps %v, want %v", gaps, w)
	}
	if f := r.Feedback; f.Useful != 2 || f.NotUseful != 1 || *f.ByAgency["nav"] != (ticket.FeedbackCount{Useful: 1, NotUseful: 1}) {
		t.Errorf("feedback %+v", f)
	}
	if s := r.SelfHelp; s.Total != 3 || len(s.ByArticle) != 2 || *s.ByArticle[0] != (ticket.ArticleCount{Slug: "b", Title: "Artikkel B", Count: 2}) {
		t.Errorf("self-help %+v", s)
	}
}

func TestPeriodDaysAndPrevious(t *testing.T) {
	tests := []struct {
		from, to, prevFrom, prevTo string
		days                       int
	}{
		{"2026-01-01", "2026-03-31", "2025-10-03", "2025-12-31", 90},
		{"2026-03-23", "2026-03-29", "2026-03-16", "2026-03-22", 7}, // a week of 167 hours
		{"2026-10-25", "2026-10-25", "2026-10-24", "2026-10-24", 1}, // a day of 25 hours
	}
	for _, tt := range tests {
		f, err := ticket.ParsePeriod(tt.from, tt.to, "fra", "til")
		if err != nil {
			t.Fatal(err)
		}
		p := f.Previous()
		last := p.To.In(ticket.Oslo).AddDate(0, 0, -1).Format("2006-01-02")
		if f.Days() != tt.days || p.From.In(ticket.Oslo).Format("2006-01-02") != tt.prevFrom || last != tt.prevTo || !p.To.Equal(f.From) {
			t.Errorf("%s–%s: %d days, previous %v–%s", tt.from, tt.to, f.Days(), p.From, last)
		}
	}
}
