package web

import (
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// MailState is what keeps mail from flowing: why the mailbox cannot be read (Intake) and why
// mail cannot be sent (Outbox), each "" when nothing does, and OutboxOff while outgoing mail is
// not set up at all (smtp.addr is empty), so mail only waits. The mail loops report it (in
// Norwegian); the admin front page, the outbox page and the ticket page show it.
type MailState struct {
	Intake, Outbox string
	OutboxOff      bool
}

// mailOffText says why nothing is sent while smtp.addr is empty.
const mailOffText = "Utgående e-post er ikke satt opp (smtp.addr i konfigurasjonen er tom). Svar, henvisninger og kvitteringer venter i utboksen og sendes først når det er gjort."

// mailProblems are the sentences to show, none when mail flows or nothing reports.
func (s *Server) mailProblems() []string {
	if s.MailboxState == nil {
		return nil
	}
	st := s.MailboxState()
	var problems []string
	if st.Intake != "" {
		problems = append(problems, "Innboksen kan ikke leses: "+st.Intake)
	}
	if st.OutboxOff {
		problems = append(problems, mailOffText)
	} else if st.Outbox != "" {
		problems = append(problems, "Utgående e-post kan ikke sendes: "+st.Outbox)
	}
	return problems
}

// mailOff reports whether outgoing mail is not set up, so nothing queued goes out.
func (s *Server) mailOff() bool { return s.MailboxState != nil && s.MailboxState().OutboxOff }

// sendState is where one of our mails is, as the thread says it: «Sendt» only once the SMTP
// server took it.
type sendState struct {
	Sent, Problem bool
	Text          string
	At            time.Time // when it was sent, or when it is tried next
}

func newSendState(m *ticket.OutboundMail, mailOff bool) *sendState {
	switch {
	case m.State == ticket.OutboxSent:
		return &sendState{Sent: true, Text: "Sendt", At: m.SentAt}
	case m.State == ticket.OutboxParked && !m.ReturnedAt.IsZero():
		return &sendState{Problem: true, Text: "Kom i retur: " + m.LastError}
	case m.State == ticket.OutboxParked:
		return &sendState{Problem: true, Text: "Stoppet, ikke sendt: " + m.LastError}
	case mailOff:
		return &sendState{Problem: true, Text: "Ikke sendt: utgående e-post er ikke satt opp, så e-posten venter i utboksen."}
	case m.Attempts > 0 || m.LastError != "":
		return &sendState{Problem: true, Text: "Ikke sendt ennå: " + m.LastError + ". Nytt forsøk", At: m.NextTry}
	}
	return &sendState{Text: "I utboksen, sendes nå"}
}
