package report

import (
	"sort"

	"github.com/ks-no/digihjelpen/ticket"
)

// The tables of what the questions teach (issue 16): topics, tags, «hull i håndboken», the
// requesters' answers to «Fikk du svar du kunne bruke?» and the questions the handbook answered.

func topicTable(r *ticket.WeeklyReport) Table {
	t := Table{ID: "tema", Name: "Tema", Caption: "Etter tema valgt i skjemaet (e-post har ikke tema)", KeyHead: "Nøkkel",
		NameHead: "Tema", Cols: countCols()}
	var keys []string
	for _, c := range ticket.Categories {
		keys = append(keys, c.Key)
	}
	for _, key := range append(keys, ticket.NoTopic) {
		if b := r.ByTopic[key]; b != nil {
			t.Rows = append(t.Rows, Row{Key: key, Name: b.Name, Values: counts(b)})
		}
	}
	for _, b := range ticket.Sorted(r.ByTopic) { // a topic the form no longer offers
		if _, ok := ticket.FindCategory(b.Key); !ok && b.Key != ticket.NoTopic {
			t.Rows = append(t.Rows, Row{Key: b.Key, Name: b.Name, Values: counts(b)})
		}
	}
	return t
}

// tagTable lists the tags by new tickets, most first (ties by tag), so that the table says
// what people asked about most.
func tagTable(r *ticket.WeeklyReport) Table {
	t := Table{ID: "stikkord", Name: "Stikkord", Caption: "Etter stikkord (en sak telles under hvert av sine stikkord)",
		KeyHead: "Nøkkel", NameHead: "Stikkord", Cols: countCols()}
	list := ticket.Sorted(r.ByTag)
	sort.SliceStable(list, func(i, j int) bool { return list[i].New > list[j].New })
	for _, b := range list {
		t.Rows = append(t.Rows, Row{Key: b.Key, Name: b.Key, Values: counts(b)})
	}
	return t
}

// GapKindName is a gap's kind as people read it.
func GapKindName(kind string) string {
	if kind == ticket.GapTopic {
		return "Tema"
	}
	return "Stikkord"
}

func gapTable(r *ticket.WeeklyReport) Table {
	t := Table{ID: "hull", Name: "Hull i håndboken", Caption: "Hull i håndboken: temaene og stikkordene med flest besvarte saker uten lenke til en artikkel",
		KeyHead: "Nøkkel", NameHead: "Tema eller stikkord",
		Cols: []Col{{"Plass", "rank", false}, {"Besvart uten artikkel", "without_article", false}, {"Besvart i alt", "answered", false}}}
	for i, g := range r.HandbookGaps {
		t.Rows = append(t.Rows, Row{Key: g.Kind + ":" + g.Key, Name: GapKindName(g.Kind) + ": " + g.Name,
			Values: []Value{Count(i + 1), Count(g.WithoutArticle), Count(g.Answered)}})
	}
	return t
}

func feedbackTable(r *ticket.WeeklyReport, agencies ticket.Agencies) Table {
	t := Table{ID: "tilbakemeldinger", Name: "Tilbakemeldinger", Caption: "«Fikk du svar du kunne bruke?» etter etat",
		KeyHead: "Nøkkel", NameHead: "Etat",
		Cols: []Col{{"Ja", "useful", false}, {"Nei", "not_useful", false}, {"Andel ja (%)", "useful_percent", true}}}
	row := func(key, name string, n ticket.FeedbackCount) Row {
		return Row{Key: key, Name: name, Values: []Value{Count(n.Useful), Count(n.NotUseful), UsefulPercent(n)}}
	}
	for _, key := range AgencyKeys(agencies, r.Feedback.ByAgency) {
		n := r.Feedback.ByAgency[key]
		if n == nil {
			n = &ticket.FeedbackCount{}
		}
		t.Rows = append(t.Rows, row(key, agencies.Name(key), *n))
	}
	t.Rows = append(t.Rows, row("alle", "Alle etater", ticket.FeedbackCount{Useful: r.Feedback.Useful, NotUseful: r.Feedback.NotUseful}))
	return t
}

// UsefulPercent is the share of yes among the answers, in per cent with one decimal; empty
// without answers.
func UsefulPercent(n ticket.FeedbackCount) Value {
	total := n.Useful + n.NotUseful
	if total == 0 {
		return Value{}
	}
	return Value{V: roundTo(100*float64(n.Useful)/float64(total), 1), OK: true}
}

func selfHelpTable(r *ticket.WeeklyReport) Table {
	t := Table{ID: "selvhjelp", Name: "Besvart av håndboken", Caption: "Spørsmål en artikkel i håndboken svarte på før de ble sendt",
		KeyHead: "Adresse", NameHead: "Artikkel", Cols: []Col{{"Spørsmål", "questions", false}}}
	for _, a := range r.SelfHelp.ByArticle {
		t.Rows = append(t.Rows, Row{Key: a.Slug, Name: a.Title, Values: []Value{Count(a.Count)}})
	}
	t.Rows = append(t.Rows, Row{Key: "alle", Name: "Alle artikler", Values: []Value{Count(r.SelfHelp.Total)}})
	return t
}
