package web

// MailState is what keeps mail from flowing: why the mailbox cannot be read (Intake) and why
// mail cannot be sent (Outbox), each "" when nothing does. The mail loops report it (in
// Norwegian); the admin front page and the outbox page show it.
type MailState struct {
	Intake, Outbox string
}

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
	if st.Outbox != "" {
		problems = append(problems, "Utgående e-post kan ikke sendes: "+st.Outbox)
	}
	return problems
}
