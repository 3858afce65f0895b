package web_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

var pdfFile = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

// TestReplyWithFilesAndCc: a reply with a file and a copy to a colleague in the municipality
// queues one mail with both; the colleague becomes a participant; the ticket nobody had is
// assigned to whoever answered; the thread shows the copy and the file, and that the mail is
// in the outbox, not «Sendt».
func TestReplyWithFilesAndCc(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Kursplan")
	resp, body := br.postMultipart("/saker/"+tk.Ref.String()+"/svar",
		with(form, "text", "Hei Kari, her er planen.", "status", "venter", "kopi", "Per Hansen <Per@Lillehammer.kommune.no>; leder@lillehammer.kommune.no", "handling", "send"),
		upload{"vedlegg", "kursplan.pdf", pdfFile})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	mails := e.outbox(tk)
	if len(mails) != 1 || strings.Join(mails[0].Cc, ",") != "per@lillehammer.kommune.no,leder@lillehammer.kommune.no" ||
		len(mails[0].Attachments) != 1 || mails[0].Attachments[0].Name != "kursplan.pdf" {
		t.Fatalf("outbox %+v", mails)
	}
	got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
	if !got.IsParticipant("per@lillehammer.kommune.no") || got.Assignee != "agent@ks.no" {
		t.Errorf("ticket after: participants %v, assignee %q", got.Participants, got.Assignee)
	}
	a, err := e.tickets.FindAttachment(context.Background(), tk.ID, 2, 0)
	if err != nil || !bytes.Equal(a.Data, pdfFile) {
		t.Fatalf("the stored file: %v", err)
	}
	_, body = br.get(resp.Header.Get("Location"))
	for _, w := range []string{"Kopi: per@lillehammer.kommune.no, leder@lillehammer.kommune.no", "kursplan.pdf", "I utboksen, sendes nå",
		"Tildelt Test agent."} {
		if !strings.Contains(html.UnescapeString(body), w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(body, `class="send-state send-sent"`) {
		t.Error("the thread says «Sendt» before the SMTP server took the mail")
	}
}

// TestReplyRefusals: a file too large or of the wrong kind, and a copy address that is not an
// address, are refused beside their field, with the text kept and nothing queued; files chosen
// with a refused reply are kept in the draft, ticked, so they are not lost.
func TestReplyRefusals(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Kursplan")
	path := "/saker/" + tk.Ref.String() + "/svar"
	tests := []struct {
		name, cc string
		files    []upload
		field    string
		want     string
	}{
		{"ErrFileTooLarge", "", []upload{{"vedlegg", "stor.pdf", append([]byte("%PDF-"), bytes.Repeat([]byte("x"), 10<<20)...)}}, "svar-vedlegg", "større enn 10 MB"},
		{"ErrFileType", "", []upload{{"vedlegg", "program.exe", []byte("MZ")}}, "svar-vedlegg", "filtype vi ikke tar imot"},
		{"ErrCcNotAnAddress", "per@lillehammer.kommune.no, ikke en adresse", nil, "svar-kopi", "«ikke en adresse» er ikke en e-postadresse"},
		{"ErrCcOurOwn", "kontaktpunkt@digihjelpen.test", nil, "svar-kopi", "kontaktpunktets egen adresse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := br.postMultipart(path, with(form, "text", "Teksten min – æøå", "status", "venter", "kopi", tt.cc, "handling", "send"), tt.files...)
			page := html.UnescapeString(body)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, tt.want) || !strings.Contains(body, `id="`+tt.field+`-feil"`) {
				t.Fatalf("status %d, want 422 with %q beside %s", resp.StatusCode, tt.want, tt.field)
			}
			if m := replyArea.FindStringSubmatch(body); m == nil || html.UnescapeString(m[1]) != "Teksten min – æøå" {
				t.Errorf("text not kept: %v", m)
			}
		})
	}
	// a file with a refused reply stays with the draft
	resp, body := br.postMultipart(path, with(form, "text", "Med fil", "status", "venter", "kopi", "ikke@", "handling", "send"),
		upload{"vedlegg", "kursplan.pdf", pdfFile})
	kept := regexp.MustCompile(`name="fil" value="([0-9a-f]{64})" checked`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusUnprocessableEntity || kept == nil {
		t.Fatalf("status %d; the file is not offered again", resp.StatusCode)
	}
	if len(e.outbox(tk)) != 0 {
		t.Fatal("a refused reply was queued")
	}
	// sent again with the kept file ticked and the address corrected: the file goes with it
	resp, _ = br.postMultipart(path, with(form, "text", "Med fil", "status", "venter", "kopi", "per@lillehammer.kommune.no", "fil", kept[1], "handling", "send"))
	mails := e.outbox(tk)
	if resp.StatusCode != http.StatusSeeOther || len(mails) != 1 || len(mails[0].Attachments) != 1 || mails[0].Attachments[0].SHA256 != kept[1] {
		t.Fatalf("status %d, mails %+v", resp.StatusCode, mails)
	}
	if d, err := e.srv.Drafts.FindDraft(context.Background(), tk.ID, "agent@ks.no"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("the draft outlived the reply: %+v", d)
	}
}

// TestReplyDrafts: «Lagre utkast» without JavaScript keeps text, copies and files; the page
// brings them back; a colleague sees that a draft exists; the autosave answers JSON; «Forkast
// utkast» deletes it.
func TestReplyDrafts(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Kursplan")
	ref := tk.Ref.String()
	resp, _ := br.postMultipart("/saker/"+ref+"/svar", with(form, "text", "Halvferdig svar", "kopi", "per@lillehammer.kommune.no", "status", "løst", "handling", "utkast"),
		upload{"vedlegg", "kursplan.pdf", pdfFile})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "utkast=utkast") {
		t.Fatalf("save: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := br.get(resp.Header.Get("Location"))
	for _, w := range []string{">Halvferdig svar</textarea>", ">per@lillehammer.kommune.no</textarea>", `name="fil" value="`, "kursplan.pdf",
		`name="status" value="løst" checked`, "Utkastet ditt er lagret", "Utkastet er lagret. Kollegene dine ser", "Forkast utkast"} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if len(e.outbox(tk)) != 0 {
		t.Fatal("a draft was queued")
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	if _, body := admin.get("/saker/" + ref); !strings.Contains(body, "Utkast til svar fra Test agent (lagret") || strings.Contains(body, "Halvferdig svar") {
		t.Error("the colleague is not told of the draft, or sees its text in the form")
	}

	// the autosave of compose.js: JSON in and out; the file stays
	req := newForm(http.MethodPost, "/saker/"+ref+"/utkast", url.Values{"csrf": {form.Get("csrf")}, "text": {"Nesten ferdig svar"}})
	req.Header.Set("Accept", "application/json")
	resp = br.do(req)
	if out := readAll(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(out, `"saved":"Utkastet er lagret`) {
		t.Fatalf("autosave: %d %s", resp.StatusCode, out)
	}
	d, err := e.srv.Drafts.FindDraft(context.Background(), tk.ID, "agent@ks.no")
	if err != nil || d.Text != "Nesten ferdig svar" || len(d.Attachments) != 1 {
		t.Fatalf("after the autosave: %+v %v", d, err)
	}
	req = newForm(http.MethodPost, "/saker/"+ref+"/utkast", url.Values{"csrf": {form.Get("csrf")}, "text": {strings.Repeat("x", ticket.MaxTextLen+1)}})
	req.Header.Set("Accept", "application/json")
	if resp = br.do(req); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a draft too long: %d, want 422", resp.StatusCode)
	}

	resp, _ = br.post("/saker/"+ref+"/svar", with(form, "handling", "forkast"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("discard: %d", resp.StatusCode)
	}
	if _, err := e.srv.Drafts.FindDraft(context.Background(), tk.ID, "agent@ks.no"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("the discarded draft is still there: %v", err)
	}
}

// TestReplyPreview: «Forhåndsvis» shows the mail exactly as the composer writes it (sender,
// recipients, subject with the reference, the text with the signature, the footer with the
// status link) and sends nothing.
func TestReplyPreview(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Kursplan")
	sig := "Vennlig hilsen\nTest agent, KS"
	if resp, _ := br.post("/konto/signatur", url.Values{"csrf": {form.Get("csrf")}, "signatur": {sig}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signature: %d", resp.StatusCode)
	}
	resp, body := br.postMultipart("/saker/"+tk.Ref.String()+"/svar", with(form, "text", "Her er svaret.", "kopi", "per@lillehammer.kommune.no", "status", "venter", "handling", "forhandsvis"),
		upload{"vedlegg", "kursplan.pdf", pdfFile})
	page := html.UnescapeString(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, w := range []string{"Forhåndsvisning: slik sendes svaret", "Digihjelpen kontaktpunkt <kontaktpunkt@digihjelpen.test>",
		"kari@lillehammer.kommune.no", "per@lillehammer.kommune.no", "[" + tk.Ref.String() + "] Kursplan",
		"Her er svaret.\n\n" + sig, "/sak/" + tk.StatusToken, "kursplan.pdf", ">Her er svaret.</textarea>"} {
		if !strings.Contains(page, w) {
			t.Errorf("preview lacks %q", w)
		}
	}
	if len(e.outbox(tk)) != 0 {
		t.Fatal("the preview sent the reply")
	}
	resp, _ = br.post("/saker/"+tk.Ref.String()+"/svar", with(form, "text", "Her er svaret.", "status", "venter", "handling", "send"))
	mails := e.outbox(tk)
	if resp.StatusCode != http.StatusSeeOther || len(mails) != 1 || !strings.Contains(mails[0].Text, "Her er svaret.\n\n"+sig+"\n\n-- ") {
		t.Fatalf("sent: %d %+v", resp.StatusCode, mails)
	}
}

// TestReplyAssignMe: «tildel meg» takes a ticket someone else has; without it the assignee
// stays.
func TestReplyAssignMe(t *testing.T) {
	for _, tt := range []struct {
		name     string
		assignMe string
		want     string
	}{{"kept", "", "admin@ks.no"}, {"taken", "ja", "agent@ks.no"}} {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080")
			tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
			if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Assignee: ptr("admin@ks.no")}); err != nil {
				t.Fatal(err)
			}
			br := e.browser()
			br.login("agent@ks.no")
			form := br.replyForm(tk)
			if _, body := br.get("/saker/" + tk.Ref.String()); !strings.Contains(body, "Tildel saken til meg (nå: Test admin)") {
				t.Fatal("«tildel meg» is not offered")
			}
			resp, _ := br.post("/saker/"+tk.Ref.String()+"/svar", with(form, "text", "Svar", "status", "venter", "tildel-meg", tt.assignMe, "handling", "send"))
			got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
			if resp.StatusCode != http.StatusSeeOther || got.Assignee != tt.want {
				t.Errorf("status %d, assignee %q, want %q", resp.StatusCode, got.Assignee, tt.want)
			}
		})
	}
}

// TestSendAndNext: «Send og gå til neste» goes to the ticket after this one in the inbox view
// it was opened from, carrying the view on; at the end of the view, back to the view.
func TestSendAndNext(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	first := e.createTicket("Første", "a@lillehammer.kommune.no")
	second := e.createTicket("Andre", "b@lillehammer.kommune.no")
	third := e.createTicket("Tredje", "c@lillehammer.kommune.no")
	if _, err := e.tickets.UpdateTicket(context.Background(), second.ID, ticket.TicketUpdate{Agency: ptr("nav")}); err != nil {
		t.Fatal(err)
	}
	br := e.browser()
	br.login("agent@ks.no")
	_, inbox := br.get("/innboks?etat=ks")
	link := `href="/saker/` + third.Ref.String() + `?liste=etat%3dks%26vis%3daktive"`
	if !strings.Contains(strings.ToLower(inbox), strings.ToLower(link)) {
		t.Fatalf("inbox links do not carry the view: want %s", link)
	}
	form := br.replyForm(third)
	list := "etat=ks&vis=aktive"
	resp, _ := br.post("/saker/"+third.Ref.String()+"/svar", with(form, "text", "Svar", "status", "venter", "liste", list, "handling", "send-neste"))
	want := "/saker/" + first.Ref.String() + "?ok=neste&fra=" + third.Ref.String() + "&liste=" + url.QueryEscape(list)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("status %d to %q, want %q (the next ks ticket, not NAV's)", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if _, body := br.get(want); !strings.Contains(body, "Her er neste sak i visningen.") || !strings.Contains(body, `name="liste" value="etat=ks&amp;vis=aktive"`) {
		t.Error("the next ticket does not say so, or lost the view")
	}
	form = br.replyForm(first)
	resp, _ = br.post("/saker/"+first.Ref.String()+"/svar", with(form, "text", "Svar", "status", "venter", "liste", list, "handling", "send-neste"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/innboks?"+list {
		t.Errorf("at the end: %d to %q, want the view", resp.StatusCode, resp.Header.Get("Location"))
	}
}
