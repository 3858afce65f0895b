package ticket

// Label is the kind of mail as staff read it.
func (k MailKind) Label() string {
	switch k {
	case MailAck:
		return "Kvittering"
	case MailReply:
		return "Svar"
	case MailReferral:
		return "Henvisning"
	case MailNotice:
		return "Melding til innsender"
	case MailReport:
		return "Ukerapport"
	case MailPasswordReset:
		return "Nytt passord"
	case MailAlarm:
		return "Driftsvarsel"
	case MailNotification:
		return "Varsel til saksbehandler"
	case MailDigest:
		return "Daglig oppsummering"
	case MailWebhook:
		return "Webhook"
	}
	return string(k)
}

// StateLabel is where the mail is as staff read it: its state, or "kom i retur" for parked
// mail a bounce reported.
func (m *OutboundMail) StateLabel() string {
	if m.State == OutboxParked && !m.ReturnedAt.IsZero() {
		return "kom i retur"
	}
	return m.State.Label()
}

// Label is the state of a mail as staff read it.
func (s OutboxState) Label() string {
	switch s {
	case OutboxQueued:
		return "i kø"
	case OutboxSent:
		return "sendt"
	case OutboxParked:
		return "stoppet"
	}
	return string(s)
}
