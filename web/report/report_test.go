package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

var agencies = ticket.Agencies{{Key: "ks", Name: "KS"}, {Key: "nav", Name: "NAV"}}

// sampleReport is a week with a few numbers in every section the files show.
func sampleReport() *ticket.WeeklyReport {
	w := ticket.Week{Year: 2026, Week: 47}
	from := time.Date(2026, 11, 16, 0, 0, 0, 0, ticket.Oslo)
	lillehammer := &ticket.Breakdown{Key: "3405", Name: "=Lillehammer", New: 3}
	return &ticket.WeeklyReport{Week: w, From: from, To: from.AddDate(0, 0, 7), GeneratedAt: from.AddDate(0, 0, 7),
		New: 4, Resolved: 2, OpenAtEnd: 5,
		FirstResponse:     ticket.DurationStats{Count: 2, Median: 1.5, P90: 3.25, BusinessMedian: 1, BusinessP90: 2},
		ByAgency:          map[string]*ticket.Breakdown{"nav": {Key: "nav", New: 4, OpenAtEnd: 2}},
		ByChannel:         map[ticket.Channel]*ticket.Breakdown{ticket.ChannelEmail: {New: 4}},
		ByCounty:          map[string]*ticket.Breakdown{"34": {Key: "34", Name: "Innlandet", New: 3}},
		ByMunicipality:    map[string]*ticket.Breakdown{"3405": lillehammer},
		TopMunicipalities: []*ticket.Breakdown{lillehammer},
		Referrals:         map[string]*ticket.ReferralStats{},
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		name, in string
		want     report.Format
		err      string
	}{
		{"OK", "xlsx", report.FormatXLSX, ""},
		{"OKCaseAndSpace", " CSV-Comma ", report.FormatCSVComma, ""},
		{"ErrUnknown", "pdf", "", "Ukjent format «pdf». Velg csv, csv-comma, xlsx eller json."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := report.ParseFormat(tt.in)
			msg := ""
			if err != nil {
				msg = ticket.ErrorMessage(err)
			}
			if got != tt.want || msg != tt.err {
				t.Errorf("got %q, %q; want %q, %q", got, msg, tt.want, tt.err)
			}
		})
	}
}

// TestWriteFormats writes the week in every format and reads each file back.
func TestWriteFormats(t *testing.T) {
	r := sampleReport()
	for _, f := range report.Formats {
		t.Run(string(f.Format), func(t *testing.T) {
			var b bytes.Buffer
			if err := report.Write(&b, r, f.Format, agencies); err != nil {
				t.Fatal(err)
			}
			switch f.Format {
			case report.FormatJSON:
				var j struct {
					Week     string                    `json:"week"`
					New      int                       `json:"new"`
					ByAgency map[string]map[string]any `json:"by_agency"`
				}
				if err := json.Unmarshal(b.Bytes(), &j); err != nil || j.Week != "2026-W47" || j.New != 4 || j.ByAgency["nav"]["name"] != "NAV" {
					t.Errorf("got %+v, %v", j, err)
				}
			case report.FormatXLSX:
				x, err := excelize.OpenReader(&b)
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				if v, err := x.GetCellValue("Kommuner", "B2"); v != "=Lillehammer" || err != nil {
					t.Errorf("municipality cell: got %q, %v", v, err)
				}
			default:
				text, ok := strings.CutPrefix(b.String(), "\ufeff")
				cr := csv.NewReader(strings.NewReader(text))
				cr.Comma = map[report.Format]rune{report.FormatCSV: ';', report.FormatCSVComma: ','}[f.Format]
				rows, err := cr.ReadAll()
				if !ok || err != nil || len(rows) < 2 || strings.Join(rows[0], "|") != "uke|del|kode|navn|mål|felt|verdi" {
					t.Fatalf("got BOM %v, %d rows, %v", ok, len(rows), err)
				}
				for _, row := range rows {
					if row[3] == "=Lillehammer" {
						t.Errorf("a cell that starts with = is not guarded against formulas: %q", row)
					}
				}
			}
		})
	}
}

func TestMailText(t *testing.T) {
	subject, text := report.MailText(sampleReport(), agencies, "https://digihjelpen.ks.no/")
	if subject != "Ukestatistikk for Digihjelpen kontaktpunkt, uke 47 2026" {
		t.Errorf("subject: got %q", subject)
	}
	for _, want := range []string{"Nye saker:          4", "median 1,5 timer (1 arbeidstimer)", "NAV: 4 nye, 2 åpne",
		"digihjelpen-uke-2026-W47.xlsx", "https://digihjelpen.ks.no/statistikk?uke=2026-W47"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

// TestReferralsJSON: the shape the ticket API and the ticket export share: an empty list rather
// than null, times in UTC, null for an answer not yet given.
func TestReferralsJSON(t *testing.T) {
	sent := time.Date(2026, 11, 23, 9, 0, 0, 0, ticket.Oslo)
	tests := []struct {
		name string
		t    ticket.Ticket
		want string
	}{
		{"none", ticket.Ticket{}, `[]`},
		{"open", ticket.Ticket{Referrals: []ticket.Referral{{Agency: "nav", Status: ticket.ReferralSent, SentAt: sent}}},
			`[{"agency":"nav","status":"sendt","sent_at":"2026-11-23T08:00:00Z","answered_at":null}]`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(report.ReferralsJSON(&tt.t))
		if err != nil || string(b) != tt.want {
			t.Errorf("%s: got %s, %v; want %s", tt.name, b, err, tt.want)
		}
	}
}
