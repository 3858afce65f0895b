package web

import (
	"strconv"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// staffScripts are the scripts of the inbox and the ticket page: keyboard shortcuts and the
// presence poll (progressive; the pages work without them).
var staffScripts = []string{"staff.js"}

// inboxScripts add the inbox's own: ticking for bulk work and the live list.
var inboxScripts = []string{"staff.js", "inbox.js"}

// Template functions of the staff pages, added to the shared set before templates are parsed.
func init() {
	templateFuncs["invalid"] = func(errs ticket.FieldErrors, field string) bool { return errs.ByField(field) != "" }
	templateFuncs["u64"] = func(v uint64) string { return strconv.FormatUint(v, 10) }
	templateFuncs["dueAt"] = func(t *ticket.Ticket) time.Time { return t.DueAt() }
}
