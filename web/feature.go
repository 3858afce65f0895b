package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// feature is an optional part of the server: on when the Server fields it needs are set. Its
// routes are registered either way; while it is off they answer featureOff and the menus leave
// them out. It is read per request, not at Open, since a field may be set after Open (tests).
type feature int

const (
	always        feature = iota
	statistics            // Stats
	quarantine            // Quarantine
	outgoingMail          // Composer, Outbox and Templates
	referrals             // Referrals
	routingRules          // Rules
	deletion              // Deleter
	backup                // Backup
	accounts              // Accounts: two-factor, «Glemt passord?»
	singleSignOn          // SSO.Issuer and Accounts: sign-in with the organisation's account
	agencyEdits           // AgencyStore: agencies edited at /admin/etater
	drafts                // Drafts and outgoing mail: reply drafts kept on the server
	notifications         // Notifications: each user's settings
	webhooks              // Webhooks and Planner: the team webhooks
	savedViews            // SavedViews
	liveInbox             // Changes
	retention             // Retention: the retention setting and its preview
	persons               // Persons: a person's data, access and erasure
	auditLog              // Audit: the audit log
	register              // Overview.Register and Overview.Units: the municipality register and the map
	handbook              // Overview.Handbook
	feedback              // Overview.Feedback: «Fikk du svar du kunne bruke?»
)

// featureNames name the features in the sentence a visitor gets while one is off.
var featureNames = map[feature]string{
	statistics: "statistikk", quarantine: "karantene", outgoingMail: "utgående e-post",
	referrals: "henvisninger", routingRules: "rutingsregler", deletion: "sletting av saker",
	backup: "sikkerhetskopi", accounts: "tofaktor og nytt passord", singleSignOn: "innlogging med KS-konto",
	agencyEdits: "endring av etater", drafts: "utkast til svar",
	notifications: "varsler", webhooks: "webhooker", savedViews: "lagrede visninger", liveInbox: "oppdatering av innboksen",
	retention: "oppbevaring av personopplysninger", persons: "innsyn og sletting for en person", auditLog: "revisjonslogg",
	register: "kommuneregisteret", handbook: "håndboken",
	feedback: "tilbakemelding på svar",
}

// has reports whether feature f is on.
func (s *Server) has(f feature) bool {
	switch f {
	case always:
		return true
	case statistics:
		return s.Stats != nil
	case quarantine:
		return s.Quarantine != nil
	case outgoingMail:
		return s.Composer != nil && s.Outbox != nil && s.Templates != nil
	case referrals:
		return s.Referrals != nil
	case routingRules:
		return s.Rules != nil
	case deletion:
		return s.Deleter != nil
	case backup:
		return s.Backup != nil
	case accounts:
		return s.Accounts != nil
	case singleSignOn:
		return s.sso != nil && s.Accounts != nil
	case agencyEdits:
		return s.AgencyStore != nil
	case drafts:
		return s.Drafts != nil && s.has(outgoingMail)
	case notifications:
		return s.Notifications != nil
	case webhooks:
		return s.Webhooks != nil && s.Planner != nil
	case savedViews:
		return s.SavedViews != nil
	case liveInbox:
		return s.Changes != nil
	case retention:
		return s.Retention != nil
	case persons:
		return s.Persons != nil
	case auditLog:
		return s.Audit != nil
	case register:
		return s.Overview.Register != nil && s.Overview.Units != nil
	case handbook:
		return s.Overview.Handbook != nil
	case feedback:
		return s.Overview.Feedback != nil
	}
	return false
}

// requireFeature answers for a route whose feature is off. 404 rather than 501 or 503: the
// page is not on this server, as if it were not there, and nothing will change until the
// server is set up anew; a 5xx would be logged and alarmed on as a fault of the server, and 503
// invites retrying. The sentence tells people it is switched off, not mistyped.
func (s *Server) requireFeature(f feature) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !s.has(f) {
			return ticket.Errorf(ticket.ENOTFOUND, "Denne funksjonen (%s) er ikke slått på på denne serveren.", featureNames[f])
		}
		return c.Next()
	}
}
