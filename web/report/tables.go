package report

import (
	"sort"

	"github.com/ks-no/digihjelpen/ticket"
)

// Table is one breakdown of the weekly report as rows and columns: the page shows it as a
// table, the XLSX file as a sheet, the CSV file as rows in long form. One model keeps the three
// in step.
type Table struct {
	ID       string // for ids in the page
	Name     string // sheet name and CSV section
	Caption  string // the table's caption on the page
	KeyHead  string // header of the key column ("" when the table has none)
	NameHead string
	// Vertical tables have one value per measure (the summary): a row per column.
	Vertical bool
	Cols     []Col
	Rows     []Row
}

type Col struct {
	Label string // Norwegian, for people
	Field string // the JSON field it matches, for programs reading the CSV
	Hours bool   // a decimal figure (hours); counts otherwise
}

type Row struct {
	Key, Name string
	Values    []Value
}

// Value is a number, or empty when there was nothing to measure.
type Value struct {
	V  float64
	OK bool
}

func Count(n int) Value { return Value{V: float64(n), OK: true} }

func countCols() []Col {
	return []Col{{"Nye", "new", false}, {"Løste", "resolved", false}, {"Henviste", "referred", false}, {"Gjenåpnede", "reopened", false}}
}

func counts(b *ticket.Breakdown) []Value {
	return []Value{Count(b.New), Count(b.Resolved), Count(b.Referred), Count(b.Reopened)}
}

// durationCols are the four figures of a measured time, prefixed with what is measured.
func DurationCols(label, field string) []Col {
	return []Col{
		{label + ", antall", field + ".count", false},
		{label + ", median (timer)", field + ".median", true},
		{label + ", 90-persentil (timer)", field + ".p90", true},
		{label + ", median (arbeidstimer)", field + ".business_median", true},
		{label + ", 90-persentil (arbeidstimer)", field + ".business_p90", true},
	}
}

func Durations(d ticket.DurationStats) []Value {
	ok := d.Count > 0
	return []Value{Count(d.Count), {d.Median, ok}, {d.P90, ok}, {d.BusinessMedian, ok}, {d.BusinessP90, ok}}
}

// Tables turns the report into its tables, agencies in configured order. The first seven are
// the weekly report's from before issue 16, in their order; what the questions teach follows.
func Tables(r *ticket.WeeklyReport, agencies ticket.Agencies) []Table {
	return []Table{
		summaryTable(r), agencyTable(r, agencies), channelTable(r),
		placeTable("fylker", "Fylker", "Etter fylke", "Fylke", "Fylkesnr.", r.ByCounty),
		topTable(r), referralTable(r, agencies),
		placeTable("kommuner", "Kommuner", "Etter kommune", "Kommune", "Kommunenr.", r.ByMunicipality),
		topicTable(r), tagTable(r), gapTable(r), feedbackTable(r, agencies), selfHelpTable(r),
	}
}

// TableByID finds a table of tables by its ID (an empty table when there is none).
func TableByID(tables []Table, id string) Table {
	for _, t := range tables {
		if t.ID == id {
			return t
		}
	}
	return Table{ID: id}
}

// span names the report's span in labels: «uka», or «perioden» for a period report.
func span(r *ticket.WeeklyReport, week, period string) string {
	if r.IsPeriod() {
		return period
	}
	return week
}

func summaryTable(r *ticket.WeeklyReport) Table {
	start, end := span(r, "Åpne ved ukestart", "Åpne ved periodens start"), span(r, "Åpne ved ukeslutt", "Åpne ved periodens slutt")
	t := Table{ID: "sammendrag", Name: "Sammendrag", Caption: "Sammendrag for " + span(r, "uka", "perioden"), Vertical: true,
		Cols: []Col{{"Nye saker", "new", false}, {"Løste saker", "resolved", false}, {"Henviste saker", "referred", false},
			{"Gjenåpnede saker", "reopened", false}, {start, "open_at_start", false}, {end, "open_at_end", false},
			{span(r, "Nye uten svar ved ukeslutt", "Nye uten svar ved periodens slutt"), "without_response", false},
			{"Løst uten svar", "resolved_without_response", false}}}
	t.Cols = append(t.Cols, DurationCols("Første svar", "first_response_hours")...)
	t.Cols = append(t.Cols, DurationCols("Løsningstid", "resolution_hours")...)
	values := []Value{Count(r.New), Count(r.Resolved), Count(r.Referred), Count(r.Reopened), Count(r.OpenAtStart),
		Count(r.OpenAtEnd), Count(r.WithoutResponse), Count(r.ResolvedWithoutResponse)}
	values = append(values, Durations(r.FirstResponse)...)
	t.Rows = []Row{{Values: append(values, Durations(r.Resolution)...)}}
	return t
}

func agencyTable(r *ticket.WeeklyReport, agencies ticket.Agencies) Table {
	t := Table{ID: "etater", Name: "Etater", Caption: "Etter etat", KeyHead: "Nøkkel", NameHead: "Etat",
		Cols: append(countCols(), Col{span(r, "Åpne ved ukeslutt", "Åpne ved periodens slutt"), "open_at_end", false})}
	t.Cols = append(t.Cols, DurationCols("Første svar", "first_response_hours")...)
	t.Cols = append(t.Cols, DurationCols("Løsningstid", "resolution_hours")...)
	for _, key := range AgencyKeys(agencies, r.ByAgency) {
		b := r.ByAgency[key]
		if b == nil {
			b = &ticket.Breakdown{Key: key}
		}
		v := append(counts(b), Count(b.OpenAtEnd))
		v = append(v, Durations(b.FirstResponse)...)
		t.Rows = append(t.Rows, Row{Key: key, Name: agencies.Name(key), Values: append(v, Durations(b.Resolution)...)})
	}
	return t
}

// AgencyKeys lists the configured agencies in their order, then any other key the report has
// (an agency removed from the configuration still has history), sorted.
func AgencyKeys[V any](agencies ticket.Agencies, m map[string]V) []string {
	var keys []string
	for _, a := range agencies {
		keys = append(keys, a.Key)
	}
	var extra []string
	for k := range m {
		if _, ok := agencies.Find(k); !ok {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return append(keys, extra...)
}

func channelTable(r *ticket.WeeklyReport) Table {
	t := Table{ID: "kanaler", Name: "Kanaler", Caption: "Etter kanal", KeyHead: "Nøkkel", NameHead: "Kanal", Cols: countCols()}
	for _, ch := range []ticket.Channel{ticket.ChannelEmail, ticket.ChannelWeb} {
		b := r.ByChannel[ch]
		if b == nil {
			b = &ticket.Breakdown{}
		}
		t.Rows = append(t.Rows, Row{Key: string(ch), Name: ticket.ChannelLabel(ch), Values: counts(b)})
	}
	return t
}

func placeTable(id, name, caption, nameHead, keyHead string, m map[string]*ticket.Breakdown) Table {
	t := Table{ID: id, Name: name, Caption: caption, KeyHead: keyHead, NameHead: nameHead, Cols: countCols()}
	for _, b := range ticket.Sorted(m) {
		t.Rows = append(t.Rows, Row{Key: b.Key, Name: b.Name, Values: counts(b)})
	}
	return t
}

func topTable(r *ticket.WeeklyReport) Table {
	t := Table{ID: "topp", Name: "Topp 10 kommuner", Caption: "De ti kommunene med flest nye saker", KeyHead: "Kommunenr.", NameHead: "Kommune",
		Cols: []Col{{"Plass", "rank", false}, {"Nye", "new", false}}}
	for i, b := range r.TopMunicipalities {
		t.Rows = append(t.Rows, Row{Key: b.Key, Name: b.Name, Values: []Value{Count(i + 1), Count(b.New)}})
	}
	return t
}

func referralTable(r *ticket.WeeklyReport, agencies ticket.Agencies) Table {
	t := Table{ID: "henvisninger", Name: "Henvisninger", Caption: "Henvisninger etter etaten det er henvist til", KeyHead: "Nøkkel", NameHead: "Etat",
		Cols: []Col{{"Sendt", "sent", false}, {"Besvart", "answered", false}, {"Besvart av sendte", "answered_of_sent", false},
			{span(r, "Ubesvart ved ukeslutt", "Ubesvart ved periodens slutt"), "open_at_end", false}}}
	t.Cols = append(t.Cols, DurationCols("Svartid", "answer_hours")...)
	for _, key := range AgencyKeys(agencies, r.Referrals) {
		s := r.Referrals[key]
		if s == nil {
			s = &ticket.ReferralStats{Agency: key}
		}
		v := []Value{Count(s.Sent), Count(s.Answered), Count(s.AnsweredOfSent), Count(s.OpenAtEnd)}
		t.Rows = append(t.Rows, Row{Key: key, Name: agencies.Name(key), Values: append(v, Durations(s.AnswerHours)...)})
	}
	return t
}
