package compose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

func at(min int) time.Time { return time.Date(2026, 11, 23, 8, min, 0, 0, time.UTC) }

func TestReplyThreading(t *testing.T) {
	tk := composeTicket()
	ack := &ticket.OutboundMail{Kind: ticket.MailAck, To: []string{"kari@lillehammer.kommune.no"}, MessageID: "<ack@ks>",
		InReplyTo: "<q1@l>", References: []string{"<q1@l>"}, CreatedAt: at(1)}
	q1 := &ticket.Message{Seq: 1, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", MessageID: "<q1@l>", CreatedAt: at(0)}
	tests := []struct {
		name       string
		thread     []*ticket.Message
		sent       []*ticket.OutboundMail
		wantParent string
		wantRefs   string
	}{
		{"nothing to answer", []*ticket.Message{{Seq: 1, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no"}}, nil, "", ""},
		{"web form: answers the acknowledgement",
			[]*ticket.Message{{Seq: 1, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", CreatedAt: at(0)}},
			[]*ticket.OutboundMail{{To: []string{"kari@lillehammer.kommune.no"}, MessageID: "<ack@ks>", CreatedAt: at(1)}}, "<ack@ks>", "<ack@ks>"},
		{"mail: answers the question", []*ticket.Message{q1}, []*ticket.OutboundMail{ack}, "<q1@l>", "<q1@l>"},
		{"answers the latest mail from the requester, with its chain", []*ticket.Message{q1,
			{Seq: 2, Direction: ticket.DirectionOut, To: []string{"kari@lillehammer.kommune.no"}, MessageID: "<r1@ks>", References: []string{"<q1@l>"}, CreatedAt: at(10)},
			{Seq: 3, Direction: ticket.DirectionIn, From: "KARI@lillehammer.kommune.no", MessageID: "<q2@l>", InReplyTo: "<r1@ks>",
				References: []string{"<q1@l>", "<r1@ks>"}, CreatedAt: at(20)},
			{Seq: 4, Direction: ticket.DirectionIn, From: "nav@nav.no", MessageID: "<nav@nav>", CreatedAt: at(30)},
			{Seq: 5, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", MessageID: "<ooo@l>", Auto: "auto-replied", CreatedAt: at(40)},
		}, []*ticket.OutboundMail{ack}, "<q2@l>", "<q1@l> <r1@ks> <q2@l>"},
		{"parent without References uses In-Reply-To", []*ticket.Message{
			{Seq: 1, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", MessageID: "<q3@l>", InReplyTo: "<ack@ks>", CreatedAt: at(5)},
		}, nil, "<q3@l>", "<ack@ks> <q3@l>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, refs := compose.ReplyThreading(tk, tt.thread, tt.sent)
			if parent != tt.wantParent || strings.Join(refs, " ") != tt.wantRefs {
				t.Fatalf("got %q %v, want %q [%s]", parent, refs, tt.wantParent, tt.wantRefs)
			}
		})
	}
	t.Run("long chains keep the root and the latest", func(t *testing.T) {
		var refs []string
		for i := range 30 {
			refs = append(refs, "<"+string(rune('a'+i%26))+strings.Repeat("x", i)+"@l>")
		}
		q := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", MessageID: "<last@l>", References: refs}
		_, got := compose.ReplyThreading(tk, []*ticket.Message{q}, nil)
		if len(got) != compose.MaxReferences || got[0] != refs[0] || got[len(got)-1] != "<last@l>" {
			t.Fatalf("got %d refs %v", len(got), got)
		}
	})
}

func TestReply(t *testing.T) {
	c := newComposer(t)
	tk := composeTicket()
	q1 := &ticket.Message{Seq: 1, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", FromName: "Kari Nordmann",
		MessageID: "<q1@l>", Text: "Hvor finner vi kursmateriell?\nMvh Kari", CreatedAt: at(0)}
	m, out, err := c.Reply(tk, []*ticket.Message{q1}, nil, compose.Draft{Text: "  Se håndboken, side 4.  ", Author: "ola@ks.no"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Direction != ticket.DirectionOut || m.Text != "Se håndboken, side 4." || m.Author != "ola@ks.no" || m.MessageID != out.MessageID ||
		m.InReplyTo != "<q1@l>" || out.InReplyTo != "<q1@l>" || out.Kind != ticket.MailReply || out.AutoReply {
		t.Fatalf("got message %+v mail %+v", m, out)
	}
	for _, want := range []string{"Se håndboken, side 4.\n\n-- \nDigihjelpen kontaktpunkt\nSak DH-2026-0042",
		"https://digihjelpen.ks.no/sak/tok-123", "Kari Nordmann <kari@lillehammer.kommune.no> skrev 23.11.2026 kl. 09:00:\n> Hvor finner vi kursmateriell?\n> Mvh Kari"} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("mail text lacks %q:\n%s", want, out.Text)
		}
	}
	errs := []struct {
		name  string
		email string
		text  string
		want  string
	}{
		{"ErrEmpty", "kari@lillehammer.kommune.no", " \n", "Skriv et svar."},
		{"ErrNoAddress", "", "Hei", "ingen e-postadresse"},
		{"ErrOurselves", "kontaktpunkt@digihjelpen.ks.no", "Hei", "i ring"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			tk := composeTicket()
			tk.Requester.Email = tt.email
			_, _, err := c.Reply(tk, nil, nil, compose.Draft{Text: tt.text})
			if ticket.ErrorCode(err) != ticket.EINVALID || !strings.Contains(ticket.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReferral(t *testing.T) {
	c := newComposer(t)
	tk := composeTicket()
	nav := ticket.Agency{Key: "nav", Name: "NAV", Email: "Digihjelp@NAV.no"}
	thread := []*ticket.Message{
		{Seq: 1, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", Text: "Hvordan søker man dagpenger digitalt?", CreatedAt: at(0),
			Attachments: []ticket.Attachment{{Name: "skjerm.png", Type: "image/png", Size: 10, SHA256: "ab"}, {Name: "logo.png", Inline: true, SHA256: "cd"}}},
		{Seq: 2, Direction: ticket.DirectionNote, From: "ola@ks.no", Text: "Internt: ikke send dette"},
		{Seq: 3, Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", Text: "Glemte å si: det gjelder en innbygger over 80.", CreatedAt: at(30)},
	}
	m, out, ref, err := c.Referral(tk, thread, nav, "Gjelder dagpenger; kan dere svare?", compose.Draft{Author: "ola@ks.no"})
	if err != nil {
		t.Fatal(err)
	}
	if out.To[0] != "digihjelp@nav.no" || out.Kind != ticket.MailReferral || out.InReplyTo != "" || m.MessageID != out.MessageID ||
		out.Subject != "[DH-2026-0042] Henvisning: Kurs i BankID for eldre på biblioteket" || ref.Agency != "nav" || ref.By != "ola@ks.no" {
		t.Fatalf("got message %+v mail %+v referral %+v", m, out, ref)
	}
	for _, want := range []string{"Gjelder dagpenger; kan dere svare?", "Kommune: Lillehammer (Innlandet)", "Innsender: Kari Nordmann",
		"Spørsmålet:\nHvordan søker man dagpenger digitalt?", "det gjelder en innbygger over 80", "saksnummeret DH-2026-0042"} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("referral lacks %q:\n%s", want, out.Text)
		}
	}
	if strings.Contains(out.Text, "Internt") {
		t.Errorf("referral leaks an internal note:\n%s", out.Text)
	}
	if len(out.Attachments) != 1 || out.Attachments[0].SHA256 != "ab" {
		t.Errorf("attachments %+v, want skjerm.png only", out.Attachments)
	}
	if _, _, _, err := c.Referral(tk, thread, ticket.Agency{Key: "nb", Name: "Nasjonalbiblioteket"}, "", compose.Draft{}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("agency without address: got %v, want EINVALID", err)
	}
	notice, err := c.ReferralNotice(tk, thread, nil, nav)
	if err != nil || notice.Kind != ticket.MailNotice || notice.To[0] != "kari@lillehammer.kommune.no" || !strings.Contains(notice.Text, "NAV") {
		t.Fatalf("notice %+v %v", notice, err)
	}
}

// TestReplyCopiesFilesSignature: a reply carries its Cc (the requester and repeats dropped, our
// own address refused), its files on both the message and the mail, and the author's
// signature after the text and before the footer.
func TestReplyCopiesFilesSignature(t *testing.T) {
	c, err := compose.New("Digihjelpen <kontakt@ks.no>", "https://digihjelpen.ks.no")
	if err != nil {
		t.Fatal(err)
	}
	tk := composeTicket()
	file := ticket.Attachment{Name: "plan.pdf", Type: "application/pdf", Data: []byte("%PDF")}
	d := compose.Draft{Text: "Her er planen.", Author: "agent@ks.no", Signature: "Vennlig hilsen\nOla i KS",
		Cc: []string{"Per@Hamar.kommune.no", "per@hamar.kommune.no", "kari@lillehammer.kommune.no"}, Attachments: []ticket.Attachment{file}}
	m, out, err := c.Reply(tk, nil, nil, d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(out.Cc, ",") != "per@hamar.kommune.no" || strings.Join(m.Cc, ",") != "per@hamar.kommune.no" {
		t.Errorf("cc %v / %v, want per only", out.Cc, m.Cc)
	}
	if len(m.Attachments) != 1 || len(out.Attachments) != 1 || &m.Attachments[0] == &out.Attachments[0] {
		t.Errorf("files: message %v, mail %v, want one each, apart", m.Attachments, out.Attachments)
	}
	sig := strings.Index(out.Text, "Ola i KS")
	if m.Text != "Her er planen.\n\nVennlig hilsen\nOla i KS" || sig < 0 || sig > strings.Index(out.Text, "Sak "+tk.Ref.String()) {
		t.Errorf("text %q, mail %q: want the signature after the text and before the footer", m.Text, out.Text)
	}
	errs := []struct {
		name string
		cc   []string
		want string
	}{
		{"ErrOurOwn", []string{"kontakt@ks.no"}, "kontaktpunktets egen adresse"},
		{"ErrTooMany", strings.Split("a@x.no,b@x.no,c@x.no,d@x.no,e@x.no,f@x.no,g@x.no,h@x.no,i@x.no,j@x.no,k@x.no", ","), "høyst 10"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := c.Reply(tk, nil, nil, compose.Draft{Text: "Hei", Cc: tt.cc})
			if fe := ticket.FieldErrorsOf(err); fe.ByField("cc") == "" || !strings.Contains(fe.ByField("cc"), tt.want) {
				t.Errorf("got %v, want an error on cc with %q", err, tt.want)
			}
		})
	}
}

// TestReplyAsksFeedback: a reply that resolves the ticket asks whether the answer was of use,
// with the link to answer on the status page; the stored message does not.
func TestReplyAsksFeedback(t *testing.T) {
	c := newComposer(t)
	m, out, err := c.Reply(composeTicket(), nil, nil, compose.Draft{Text: "Se håndboken.", AskFeedback: true})
	if err != nil {
		t.Fatal(err)
	}
	want := "Se håndboken.\n\nFikk du svar du kunne bruke? Svar ja eller nei her: https://digihjelpen.ks.no/sak/tok-123#tilbakemelding\n\n-- "
	if !strings.Contains(out.Text, want) || !strings.Contains(out.HTML, "#tilbakemelding") {
		t.Errorf("mail lacks the question:\n%s", out.Text)
	}
	if m.Text != "Se håndboken." {
		t.Errorf("the thread keeps the reply as written: %q", m.Text)
	}
	_, plain, _ := c.Reply(composeTicket(), nil, nil, compose.Draft{Text: "Se håndboken."})
	if strings.Contains(plain.Text, ticket.FeedbackQuestion) {
		t.Error("a reply that does not resolve must not ask")
	}
}
