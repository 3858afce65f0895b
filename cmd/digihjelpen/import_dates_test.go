package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestImportKeepsTheMailsTime migrates mail written across weeks and years: every ticket and
// message is stored at its mail's Date (a reply filed before its question still joins it, the
// files being read in date order), mail without a usable Date is stored at the time of import
// and the summary says so, and the weekly report (digihjelpen export) counts each ticket in
// the week it was written, also the week 1 that starts in December.
func TestImportKeepsTheMailsTime(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "d.db")
	mails := filepath.Join(dir, "eksport")
	dated := func(name, from, subject, id, date, extra string) {
		if date != "" {
			extra = "Date: " + date + "\r\n" + extra
		}
		writeMail(t, filepath.Join(mails, name), mailText(from, subject, id, extra))
	}
	// named so that the order of the files is not the order of the mails
	dated("a-svar.eml", "kari@hamar.kommune.no", "SV: Kurs", "<svar@hamar>", "Thu, 16 Jan 2025 14:00:00 +0100", "In-Reply-To: <kurs@hamar>\r\n")
	dated("b-kurs.eml", "Kari <kari@hamar.kommune.no>", "Kurs", "<kurs@hamar>", "Mon, 6 Jan 2025 09:00:00 +0100", "")
	dated("c-nyttar.eml", "per@gran.kommune.no", "Nyttårsspørsmål", "<nyttar@gran>", "Tue, 31 Dec 2024 23:30:00 +0100", "")
	dated("d-jul.eml", "liv@bodo.kommune.no", "Romjul", "<jul@bodo>", "Sun, 29 Dec 2024 23:30:00 +0100", "")
	dated("e-gammel.eml", "ola@lillehammer.kommune.no", "Gammelt", "<gammel@lillehammer>", "Wed, 14 Jun 2023 10:00:00 +0200", "")
	dated("f-udatert.eml", "ida@molde.kommune.no", "Uten dato", "<udatert@molde>", "", "")
	dated("g-tull.eml", "ida@molde.kommune.no", "Rar dato", "<tull@molde>", "en gang i fjor", "")
	dated("h-fremtid.eml", "ida@molde.kommune.no", "Framtid", "<fremtid@molde>", "Fri, 1 Jan 2099 10:00:00 +0100", "")
	dated("i-1970.eml", "ida@molde.kommune.no", "Klokka var feil", "<epoch@molde>", "Thu, 1 Jan 1970 00:00:00 +0000", "")

	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath}
	cli := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, environ: environ})
		return code, out.String(), errOut.String()
	}
	before := time.Now()
	code, out, errOut := cli("import", mails)
	want := "Ferdig: 9 e-poster: 8 nye saker, 1 lagt til i saker, 0 duplikater, 0 i karantene.\n" +
		"4 e-poster er lagret med tidspunktet for innlesingen fordi de manglet dato (1), hadde en dato som ikke kunne leses (2) eller hadde en dato fram i tid (1)."
	if code != 0 || strings.TrimSpace(out) != want {
		t.Fatalf("import: code %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}

	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	tickets := data.NewTicketService(db)
	list, _, _ := tickets.FindTickets(ctx, ticket.TicketFilter{Sort: ticket.SortCreatedAsc, Limit: ticket.MaxLimit})
	got := map[string]*ticket.Ticket{}
	for _, tk := range list {
		got[tk.Subject] = tk
	}
	for subject, at := range map[string]string{"Gammelt": "2023-06-14T10:00:00+02:00", "Romjul": "2024-12-29T23:30:00+01:00",
		"Nyttårsspørsmål": "2024-12-31T23:30:00+01:00", "Kurs": "2025-01-06T09:00:00+01:00"} {
		want, _ := time.Parse(time.RFC3339, at)
		if tk := got[subject]; tk == nil || !tk.CreatedAt.Equal(want) || tk.Ref.Year != want.Year() {
			t.Errorf("%s: got %+v, want created %v with a reference of its year", subject, tk, want)
		}
	}
	for _, subject := range []string{"Uten dato", "Rar dato", "Framtid", "Klokka var feil"} {
		if tk := got[subject]; tk == nil || tk.CreatedAt.Before(before) || tk.CreatedAt.After(time.Now()) {
			t.Errorf("%s: got %+v, want created at the time of import", subject, tk)
		}
	}
	kurs := got["Kurs"]
	msgs, _ := tickets.FindMessages(ctx, kurs.ID)
	if reply, _ := time.Parse(time.RFC3339, "2025-01-16T14:00:00+01:00"); len(msgs) != 2 || !msgs[1].CreatedAt.Equal(reply) || !kurs.UpdatedAt.Equal(reply) {
		t.Errorf("the reply: %d messages, ticket updated %v; want the reply joined at its own date", len(msgs), kurs.UpdatedAt)
	}
	db.Close()

	thisWeek := ticket.WeekOf(time.Now()).String()
	for week, n := range map[string]int{"2023-W24": 1, "2024-W52": 1, "2025-W01": 1, "2025-W02": 1, "2025-W03": 0, thisWeek: 4} {
		code, out, errOut := cli("export", "-week", week, "-format", "json")
		var r struct {
			New            int
			ByMunicipality map[string]struct{ New int } `json:"by_municipality"`
		}
		if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil || r.New != n {
			t.Errorf("week %s: %d new (code %d, %v, %s), want %d", week, r.New, code, err, errOut, n)
		}
		if week == "2025-W02" && r.ByMunicipality["3403"].New != 1 {
			t.Errorf("week %s by municipality %v, want Hamar", week, r.ByMunicipality)
		}
	}
}
