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
	}
	return string(k)
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
