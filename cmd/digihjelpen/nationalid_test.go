package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestImportMasksNationalIDs reads real mail the way IMAP does (parse, then intake): a
// fødselsnummer in the subject and in a quoted-printable body is masked before it is stored,
// with no source kept, and a phone number and an account number are left as they are.
func TestImportMasksNationalIDs(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "db", "d.db")
	writeMail(t, filepath.Join(dir, "fnr.eml"), "From: Kari <kari@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\n"+
		"Subject: =?utf-8?q?Innbygger_f=C3=B8dt_01019012480?=\r\nMessage-ID: <fnr@hamar>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+
		"Fnr 410190 12474, tlf 99887766, konto 12345678903. Hilsen Kari p=C3=A5 biblioteket\r\n")
	if code, _, errOut := runCmd(t, dbPath, "", "import", filepath.Join(dir, "fnr.eml")); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	s := data.NewTicketService(db)
	list, _, err := s.FindTickets(ctx, ticket.TicketFilter{Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("no ticket: %v", err)
	}
	tk := list[0]
	msgs, _ := s.FindMessages(ctx, tk.ID)
	if tk.Subject != "Innbygger født 010190*****" || !strings.HasPrefix(msgs[0].Text, "Fnr 410190 *****, tlf 99887766, konto 12345678903.") || msgs[0].HasRaw {
		t.Fatalf("stored subject %q, text %q, source kept %v", tk.Subject, msgs[0].Text, msgs[0].HasRaw)
	}
}
