package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func writeMail(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mailText(from, subject, id, extra string) string {
	return "From: " + from + "\r\nTo: kontakt@digihjelpen.test\r\nSubject: " + subject + "\r\nMessage-ID: " + id + "\r\n" + extra +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nHei! Et spørsmål om kurs.\r\n"
}

// TestImport reads a folder the way a migration would: .eml files in sub-folders, a Maildir, a
// reply to an earlier mail, an unreadable file and one over the size limit; files that are no
// mail are left alone. A second import of the same folder stores nothing twice.
func TestImport(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "db", "d.db")
	mails := filepath.Join(dir, "eksport")
	writeMail(t, filepath.Join(mails, "2026", "a.eml"), mailText("Kari <kari@hamar.kommune.no>", "Kurs", "<a@hamar>", ""))
	writeMail(t, filepath.Join(mails, "2026", "b.EML"), mailText("kari@hamar.kommune.no", "SV: Kurs", "<b@hamar>", "In-Reply-To: <a@hamar>\r\n"))
	writeMail(t, filepath.Join(mails, "Maildir", "cur", "1700000000.M1P2.host:2,S"), mailText("per@gran.kommune.no", "Skjema", "<c@gran>", ""))
	writeMail(t, filepath.Join(mails, "ødelagt.eml"), "\x00\x01 ikke en e-post")
	writeMail(t, filepath.Join(mails, "stor.eml"), mailText("liv@bodo.kommune.no", "Stort vedlegg", "<d@bodo>", "")+strings.Repeat("x", 4000))
	writeMail(t, filepath.Join(mails, "notater.txt"), "ikke e-post")
	writeMail(t, filepath.Join(mails, ".skjult.eml"), mailText("x@y.no", "Skjult", "<e@y>", ""))

	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath, "DIGIHJELPEN_IMAP_MAX_MESSAGE_BYTES=2048"}
	importRun := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"import"}, args...), env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, environ: environ})
		return code, out.String(), errOut.String()
	}
	code, out, errOut := importRun(mails)
	if want := "Ferdig: 5 e-poster: 2 nye saker, 1 lagt til i saker, 0 duplikater, 2 i karantene.\n" +
		"3 e-poster er lagret med tidspunktet for innlesingen fordi de manglet dato (3)."; code != 0 || strings.TrimSpace(out) != want {
		t.Fatalf("first import: code %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}
	if !strings.Contains(errOut, "Leser inn: 5 av 5 filer") {
		t.Errorf("no progress line: %q", errOut)
	}
	code, out, _ = importRun(mails, "-ack")
	if want := "Ferdig: 5 e-poster: 0 nye saker, 0 lagt til i saker, 5 duplikater, 0 i karantene."; code != 0 || strings.TrimSpace(out) != want {
		t.Fatalf("second import: code %d, stdout %q; want %q", code, out, want)
	}

	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	list, _, err := data.NewIntakeService(db).FindQuarantine(ctx, ticket.QuarantineFilter{})
	if err != nil || len(list) != 2 || !list[1].Truncated || list[1].Source != "import stor.eml" || list[0].Reason != ticket.QuarantineUnreadable {
		t.Errorf("quarantine got %+v %v", list, err)
	}
	tickets, _, _ := data.NewTicketService(db).FindTickets(ctx, ticket.TicketFilter{Sort: ticket.SortCreatedAsc})
	if len(tickets) != 2 || tickets[0].MessageCount != 2 || tickets[0].Requester.Name != "Kari" || tickets[0].Agency != "kompetanse-norge" {
		t.Errorf("tickets got %+v", tickets)
	}
}
