package report

import (
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// MailText is the subject and plain text of the weekly report mail: the key figures, the
// busiest municipalities and where the rest is (the attached XLSX, the statistics page).
func MailText(r *ticket.WeeklyReport, agencies ticket.Agencies, baseURL string) (subject, text string) {
	w := r.Week
	subject = fmt.Sprintf("Ukestatistikk for Digihjelpen kontaktpunkt, uke %d %d", w.Week, w.Year)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nMandag %s til søndag %s, norsk tid.\n\n", subject,
		r.From.In(ticket.Oslo).Format("02.01.2006"), r.To.In(ticket.Oslo).AddDate(0, 0, -1).Format("02.01.2006"))
	fmt.Fprintf(&b, "Nye saker:          %d\nLøste saker:        %d\nHenviste saker:     %d\nGjenåpnede saker:   %d\n",
		r.New, r.Resolved, r.Referred, r.Reopened)
	fmt.Fprintf(&b, "Åpne ved ukeslutt:  %d (ved ukestart: %d)\nNye uten svar:      %d\n\n", r.OpenAtEnd, r.OpenAtStart, r.WithoutResponse)
	fmt.Fprintf(&b, "Første svar:  %s\nLøsningstid:  %s\n", mailHours(r.FirstResponse), mailHours(r.Resolution))
	if len(r.TopMunicipalities) > 0 {
		var top []string
		for _, m := range r.TopMunicipalities {
			top = append(top, fmt.Sprintf("%s (%d)", m.Name, m.New))
		}
		fmt.Fprintf(&b, "\nFlest nye saker fra: %s.\n", strings.Join(top, ", "))
	}
	var byAgency []string
	for _, key := range AgencyKeys(agencies, r.ByAgency) {
		if x := r.ByAgency[key]; x != nil && (x.New > 0 || x.OpenAtEnd > 0) {
			byAgency = append(byAgency, fmt.Sprintf("%s: %d nye, %d åpne", agencies.Name(key), x.New, x.OpenAtEnd))
		}
	}
	if len(byAgency) > 0 {
		fmt.Fprintf(&b, "Etter etat: %s.\n", strings.Join(byAgency, "; "))
	}
	writeMailTopics(&b, r)
	base := strings.TrimRight(baseURL, "/")
	fmt.Fprintf(&b, "\nHele rapporten er vedlagt som Excel-fil (%s), og ligger på\n%s/statistikk?uke=%s\n", FileName(w, FormatXLSX), base, w)
	fmt.Fprintf(&b, "Slik telles tallene: %s/statistikk?uke=%s#h-definisjoner\n\n", base, w)
	b.WriteString("Denne e-posten sendes automatisk hver uke fra Digihjelpen kontaktpunkt.\n")
	return subject, b.String()
}

// mailHours is a measured time in a sentence: "median 3,5 timer (1,25 arbeidstimer), 90-persentil …".
func mailHours(d ticket.DurationStats) string {
	if d.Count == 0 {
		return "ingen målinger denne uka"
	}
	return fmt.Sprintf("median %s timer (%s arbeidstimer), 90-persentil %s timer (%s arbeidstimer); %d saker",
		FormatNumber(d.Median), FormatNumber(d.BusinessMedian), FormatNumber(d.P90), FormatNumber(d.BusinessP90), d.Count)
}

// writeMailTopics adds what the questions teach: the most frequent tags, the gaps in the
// handbook, the requesters' answers and the questions the handbook answered.
func writeMailTopics(b *strings.Builder, r *ticket.WeeklyReport) {
	var tags []string
	for _, row := range tagTable(r).Rows {
		if n := int(row.Values[0].V); n > 0 && len(tags) < 5 {
			tags = append(tags, fmt.Sprintf("%s (%d)", row.Key, n))
		}
	}
	if len(tags) > 0 {
		fmt.Fprintf(b, "Flest nye saker om: %s.\n", strings.Join(tags, ", "))
	}
	var gaps []string
	for _, g := range r.HandbookGaps[:min(3, len(r.HandbookGaps))] {
		gaps = append(gaps, fmt.Sprintf("%s «%s» (%d av %d besvart uten artikkel)", strings.ToLower(GapKindName(g.Kind)), g.Name, g.WithoutArticle, g.Answered))
	}
	if len(gaps) > 0 {
		fmt.Fprintf(b, "Hull i håndboken: %s.\n", strings.Join(gaps, "; "))
	}
	if n := r.Feedback.Useful + r.Feedback.NotUseful; n > 0 {
		fmt.Fprintf(b, "«%s»: %d ja, %d nei.\n", ticket.FeedbackQuestion, r.Feedback.Useful, r.Feedback.NotUseful)
	}
	if r.SelfHelp.Total > 0 {
		fmt.Fprintf(b, "Spørsmål håndboken svarte på før de ble sendt: %d.\n", r.SelfHelp.Total)
	}
}
