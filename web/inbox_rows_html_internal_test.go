package web

import (
	"html/template"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// rowTemplate is the inbox's rows as html/template printed them before rowsHTML: the writer
// must escape every value as the template does.
const rowTemplate = `{{$d := .}}{{range $d.Rows}}
    <tr{{if .Marker}} class="unread"{{end}} data-id="{{.ID}}">
      {{if $d.Bulk}}<td class="pick"><input type="checkbox" name="sak" value="{{.Pick}}" id="velg-{{.ID}}"><label for="velg-{{.ID}}"><span class="visually-hidden">Velg {{.Ref}}</span></label></td>{{end}}
      <td class="ref-cell"><a href="/saker/{{.Ref}}{{with $d.List}}?liste={{.}}{{end}}">{{.Ref}}</a>{{if .Marker}} <span class="marker marker-{{.Marker}}">{{.MarkerLabel}}<span class="visually-hidden"> siden du åpnet saken sist</span></span>{{end}}</td>
      <td class="subject-cell"><span class="subject">{{.Subject}}</span>{{if .Overdue}} <span class="badge overdue" title="{{.Overdue}}">Forfalt</span>{{end}}{{if .High}} <span class="badge priority-high">Høy prioritet</span>{{end}}
        {{if .LatestLabel}}<p class="latest"><span class="latest-label">{{.LatestLabel}}:</span> {{.LatestText}}</p>{{end}}</td>
      <td data-label="Innsender">{{.Requester}}</td>
      <td data-label="Kommune">{{.Municipality}}</td>
      <td data-label="Etat">{{.Agency}}</td>
      <td data-label="Tildelt">{{if .Assignee}}{{.Assignee}}{{else}}<span class="muted">Ingen</span>{{end}}</td>
      <td data-label="Status"><span class="badge {{.StatusCSS}}">{{.StatusLabel}}</span></td>
      <td data-label="Oppdatert"><time datetime="{{.UpdatedISO}}">{{.Updated}}</time></td>
    </tr>
  {{end}}`

func TestInboxRowsHTMLLikeTemplate(t *testing.T) {
	tmpl := template.Must(template.New("rows").Parse(rowTemplate))
	hostile := `<script>alert("x")</script> & 'Ærlig' + æøå` + "\x00" + ` "quoted" <b>fet</b>`
	plain := inboxRow{ID: 42, Pick: "42:3", Ref: "DH-2026-0042", Subject: "Spørsmål om skattekort", Requester: "kari@lillehammer.kommune.no",
		Municipality: "Lillehammer", Agency: "Skatteetaten", StatusLabel: "Ny", StatusCSS: "status-ny", UpdatedISO: "2026-12-02T07:00:00Z", Updated: "2. des. 08:00"}
	every := inboxRow{ID: 18446744073709551615, Pick: hostile, Ref: hostile, Subject: hostile, High: true, Overdue: hostile,
		Marker: ticket.Marker(hostile), MarkerLabel: hostile, LatestLabel: hostile, LatestText: hostile, Requester: hostile,
		Municipality: hostile, Agency: hostile, Assignee: hostile, StatusLabel: hostile, StatusCSS: hostile, UpdatedISO: hostile, Updated: hostile}
	marked := plain
	marked.Marker, marked.MarkerLabel, marked.Assignee, marked.LatestLabel, marked.LatestText = ticket.MarkerReply, "Nytt svar", "Ola Nordmann", "Innkommende", "Hei! Takk for svaret …"
	for _, tc := range []struct {
		name string
		rows []inboxRow
		bulk bool
		list string
	}{
		{"no rows", nil, true, "vis=aktive"},
		{"plain", []inboxRow{plain}, false, ""},
		{"bulk and list", []inboxRow{plain, marked}, true, "etat=nav&fylke=34&vis=aktive"},
		{"hostile values", []inboxRow{every, marked}, true, hostile + "&vis=alle æ ~._-%20+"},
		{"hostile, no bulk, no list", []inboxRow{every}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want strings.Builder
			if err := tmpl.Execute(&want, struct {
				Rows []inboxRow
				Bulk bool
				List string
			}{tc.rows, tc.bulk, tc.list}); err != nil {
				t.Fatal(err)
			}
			if got := string(rowsHTML(tc.rows, tc.bulk, tc.list)); got != want.String() {
				t.Errorf("rowsHTML differs from the template:\n got %q\nwant %q", got, want.String())
			}
		})
	}
}
