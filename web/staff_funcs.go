package web

import (
	"strconv"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Template functions of the staff pages, added to the shared set before templates are parsed.
func init() {
	templateFuncs["fieldErr"] = fieldErr
	templateFuncs["invalid"] = func(errs ticket.FieldErrors, field string) bool { return errs.ByField(field) != "" }
	templateFuncs["u64"] = func(v uint64) string { return strconv.FormatUint(v, 10) }
	templateFuncs["dueAt"] = func(t *ticket.Ticket) time.Time { return t.DueAt() }
	templateFuncs["channelLabel"] = channelLabel
	templateFuncs["priorityLabel"] = priorityLabel
}

// fieldErrorView is what the "fielderror" partial shows: the message and the id that the
// field's aria-describedby points to.
type fieldErrorView struct{ ID, Text string }

// fieldErr returns the error of field for the partial, or nil when the field is fine.
func fieldErr(errs ticket.FieldErrors, field string) *fieldErrorView {
	if msg := errs.ByField(field); msg != "" {
		return &fieldErrorView{ID: field, Text: msg}
	}
	return nil
}

func channelLabel(c ticket.Channel) string {
	if c == ticket.ChannelWeb {
		return "Skjema"
	}
	return "E-post"
}

func priorityLabel(p ticket.Priority) string {
	switch p {
	case ticket.PriorityLow:
		return "Lav"
	case ticket.PriorityHigh:
		return "Høy"
	}
	return "Normal"
}
