package data

import (
	"github.com/ks-no/digihjelpen/ticket"
)

// Every kind of personal data the file holds is registered here, with how it is forgotten:
// the retention anonymiser, a person's erasure and a person's export all walk this one list,
// so a new kind of stored personal data (drafts, notifications, handbook feedback) is forgotten
// and exported by registering one personalData in the file that owns its bucket:
//
//	func init() { registerPersonalData(personalData{name: "utkast", buckets: ..., forgetTicket: ...}) }
//
// TestEveryBucketIsClassified fails for a bucket that neither a personalData names nor
// noPersonalData lists with its reason, so a bucket cannot be added and forgotten about.
// docs/SECURITY.md («Personal data: where it lives and how it is forgotten») points here.

// personalData is one kind of stored personal data.
type personalData struct {
	name    string
	buckets [][]byte
	// forgetTicket removes what this kind holds of one ticket: everything personal when
	// ft.whole (retention, or the erasure of the ticket's requester), else what names ft.who
	// (the erasure of someone else who took part or is mentioned). It runs in the transaction
	// that rewrites the ticket, before the ticket record itself (forget.go).
	forgetTicket func(tx *Tx, ft *ticketForgetting) error
	// findPerson adds what this kind holds about a person outside their tickets to the export.
	findPerson func(tx *Tx, who *people, out *ticket.PersonData) error
	// forgetPerson removes what this kind holds about a person outside their tickets, and
	// returns how many entries it removed or changed.
	forgetPerson func(tx *Tx, who *people, f *forgetting) (int, error)
	// kept, when set, refuses the erasure of a person this kind holds anything about (a staff
	// account), and says why: it is the sentence the admin gets.
	kept string
}

// personalKinds are the registered kinds, in registration order.
var personalKinds []personalData

func registerPersonalData(d personalData) { personalKinds = append(personalKinds, d) }

// noPersonalData lists the buckets that hold no personal data, each with why, so that
// TestEveryBucketIsClassified can tell a bucket left out on purpose from one forgotten.
var noPersonalData = map[string]string{
	"meta":                      "schema version, server secrets, counters, settings",
	"chunked":                   "hashes and sizes of files and sources stored in chunks (the chunks are personal data)",
	"chunk_pending":             "hashes of files and sources stored ahead of their mail, and when",
	"raw_ref":                   "message keys and the hash of their source stored in chunks",
	"counts":                    "numbers of tickets per status and agency",
	"idx_status_agency_updated": "status, agency, time and ticket id",
	"idx_status_updated":        "status, time and ticket id",
	"idx_updated":               "time and ticket id",
	"idx_created":               "time and ticket id",
	"idx_ref":                   "references",
	"idx_token":                 "status-link secrets, pointing at a ticket",
	"idx_outbox_due":            "times and mail ids",
	"idx_outbox_parked":         "mail ids",
	"idx_outbox_ticket":         "ticket and mail ids",
	"idx_referral_open":         "agency, time and ticket id",
	"idx_facet_updated":         "assignee (staff), municipality, county, channel, time, id",
	"facet_counts":              "numbers per facet",
	"idx_due":                   "deadlines and ticket ids",
	"due_counts":                "numbers per facet",
	"idx_message_id":            "Message-IDs of stored mail, kept so late answers thread (not addresses)",
	"tombstones":                "Message-IDs of deleted mail and a reason without personal data",
	"intake":                    "the IMAP checkpoint",
	"rulesets":                  "routing rules written by admins",
	"ack_template_versions":     "acknowledgement templates written by admins",
	"canned":                    "canned responses written by admins",
	"stats_tickets":             "statistics per ticket: agency, channel, municipality, county, times",
	"idx_stats_facts":           "statistics facts: kind, time, ticket id",
	"stats_counts":              "weekly counters",
	"stats_names":               "municipality and county names",
	"stats_mail":                "which weekly report mail went out",
	"quarantine_counts":         "numbers per reason",
	"idx_quarantine_reason":     "reason and entry id",
	"idx_event_time":            "time, event id, ticket id and kind of audit events",
	"agencies":                  "agency names, referral addresses (the agencies' mailboxes) and descriptions written by admins",
	"notify_due":                "ticket ids and the first-response deadline warned about",
	"webhooks":                  "team webhook addresses and secrets set by admins",
	"idx_webhook_due":           "times and ids of queued webhook posts (the posts are outbox records)",
	"idx_feedback":              "time and ticket id of answers to «Fikk du svar du kunne bruke?»",
	"handbook":                  "handbook articles written by staff for the public",
	"handbook_versions":         "earlier versions of the handbook's articles",
	"handbook_selfhelp":         "when an article answered a question before it was sent, and which (no text)",
	"idx_routing_label":         "ids of tickets whose agency staff confirmed (the routing model learns from their text, read anew)",
}
