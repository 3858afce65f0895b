package web

// routeTable is every route of the server, once: method, path, who may use it (access.go),
// the optional part of the server it belongs to (feature.go), its handler, and its place in
// the staff menus (menu.go). routes() in route.go registers it, TestEveryRouteChecksRole and
// TestRouteTable check it, and docs/ARCHITECTURE.md describes it. To add a route, add a line
// in its section; a line without an access fails Open, and a route registered any other way
// fails TestEveryRouteChecksRole.
//
// Order matters only where a path with a parameter could take a literal one
// (/admin/svarmaler/:id would take «ny» and «kvitteringer»): the literal comes first, and
// TestRouteTable checks that every route can be reached.
func (s *Server) routeTable() []route {
	return []route{
		// Machines and files: neither session nor CSRF.
		{get, "/healthz", anyone, always, s.handleHealth, noMenu},
		{get, "/readyz", anyone, always, s.handleReady, noMenu},
		{get, "/static/:hash/*", anyone, always, s.handleStatic, noMenu},
		{get, "/metrics", apiReader, always, s.handleMetrics, noMenu},

		// Signing in, the question form, and the status link of a ticket.
		{get, "/logg-inn", public, always, s.handleLoginForm, noMenu},
		{post, "/logg-inn", public, always, s.handleLogin, noMenu},
		{post, "/logg-ut", public, always, s.handleLogout, noMenu},
		{get, "/logg-inn/kode", public, always, s.handleLoginCodeForm, noMenu},
		{post, "/logg-inn/kode", public, always, s.handleLoginCode, noMenu},
		{get, "/logg-inn/sso", public, singleSignOn, s.handleSSOStart, noMenu},
		{get, ssoCallbackPath, public, singleSignOn, s.handleSSOCallback, noMenu},
		{get, "/glemt-passord", public, accounts, s.handleForgotForm, noMenu},
		{post, "/glemt-passord", public, accounts, s.handleForgot, noMenu},
		{get, "/nytt-passord/:token", public, accounts, s.handleResetForm, noMenu},
		{post, "/nytt-passord/:token", public, accounts, s.handleReset, noMenu},
		{get, "/", public, always, s.handleForm, noMenu},
		{post, "/", public, always, s.handleFormSubmit, noMenu},
		{get, "/kvittering", public, always, s.handleReceipt, noMenu},
		{get, "/skjema/kommune", public, always, s.handleMunicipalityLookup, noMenu},
		{get, "/sak/:token", statusLink, always, s.handleStatus, noMenu},
		{post, "/sak/:token", statusLink, always, s.handleStatusAdd, noMenu},
		{get, "/sak/:token/vedlegg/:seq/:n", statusLink, always, s.handleStatusAttachment, noMenu},
		{post, "/sak/:token/tilbakemelding", statusLink, feedback, s.handleFeedback, noMenu},

		// The signed-in user's own account: every role.
		{get, "/konto", reader, always, s.handleAccount, noMenu},
		{post, "/konto/navn", reader, always, s.handleAccountName, noMenu},
		{post, "/konto/passord", reader, always, s.handleAccountPassword, noMenu},
		{get, "/konto/tofaktor", reader, accounts, s.handleTwoFactorForm, noMenu},
		{post, "/konto/tofaktor", reader, accounts, s.handleTwoFactorEnable, noMenu},
		{post, "/konto/tofaktor/av", reader, accounts, s.handleTwoFactorDisable, noMenu},
		{post, "/konto/gjenopprettingskoder", reader, accounts, s.handleRecoveryCodes, noMenu},

		// The JSON API: a bearer token, never a session cookie.
		{get, "/api/v1/tickets", apiAgent, always, s.handleAPITickets, noMenu},
		{get, "/api/v1/tickets/:ref", apiAgent, always, s.handleAPITicket, noMenu},
		{post, "/api/v1/tickets/:ref/merge", apiAgent, always, s.handleAPIMerge, noMenu},
		{post, "/api/v1/tickets/:ref/replies", apiAgent, outgoingMail, s.handleAPIReply, noMenu},
		{post, "/api/v1/tickets/:ref/notes", apiAgent, outgoingMail, s.handleAPINote, noMenu},
		{post, "/api/v1/tickets/:ref/referrals", apiAgent, outgoingMail, s.handleAPIReferral, noMenu},
		{patch, "/api/v1/tickets/:ref", apiAgent, outgoingMail, s.handleAPIPatchTicket, noMenu},
		{get, "/api/v1/stats/weekly", apiReader, statistics, s.handleAPIStatsWeekly, noMenu},
		{get, "/api/v1/stats/period", apiReader, statistics, s.handleAPIStatsPeriod, noMenu},
		{get, "/api/v1/stats/tickets", apiAgent, statistics, s.handleAPIStatsTickets, noMenu},
		{get, "/api/v1/quarantine", apiAgent, quarantine, s.handleAPIQuarantine, noMenu},

		// The inbox and the ticket page.
		{get, "/innboks", agent, always, s.handleInbox, menuEntry{mainMenu, "Innboks", ""}},
		{post, "/innboks/sok", agent, always, s.handleInboxSearch, noMenu},
		{get, "/saker/:ref", agent, always, s.handleTicketView, noMenu},
		{get, "/saker/:ref/tilstede", agent, always, s.handlePresence, noMenu},
		{post, "/saker/:ref/tildel", agent, always, s.handleAssign, noMenu},
		{post, "/saker/:ref/status", agent, always, s.handleStatusChange, noMenu},
		{post, "/saker/:ref/etat", agent, always, s.handleAgency, noMenu},
		{post, "/saker/:ref/prioritet", agent, always, s.handlePriority, noMenu},
		{post, "/saker/:ref/stikkord", agent, always, s.handleTags, noMenu},
		{post, "/saker/:ref/kommune", agent, always, s.handleMunicipality, noMenu},
		{post, "/saker/:ref/slaa-sammen", agent, always, s.handleMergeAsk, noMenu},
		{post, "/saker/:ref/slaa-sammen/bekreft", agent, always, s.handleMerge, noMenu},
		{get, "/saker/:ref/vedlegg/:seq/:n", agent, always, s.handleAttachment, noMenu},
		{get, "/saker/:ref/kilde/:seq", agent, always, s.handleRawMessage, noMenu},
		{get, "/saker/:ref/html/:seq", agent, always, s.handleMessageHTML, noMenu},
		{post, "/saker/:ref/svar", agent, outgoingMail, s.handleReply, noMenu},
		{post, "/saker/:ref/notat", agent, outgoingMail, s.handleNote, noMenu},
		{post, "/saker/:ref/henvisning", agent, outgoingMail, s.handleReferral, noMenu},
		{get, "/saker/:ref/slett", admin, deletion, s.handleTicketDeleteForm, noMenu},
		{post, "/saker/:ref/slett", admin, deletion, s.handleTicketDelete, noMenu},
		{get, "/saker/:ref/slettet", admin, deletion, s.handleTicketDeleted, noMenu},

		// Referrals, mail out, mail that could not be read.
		{get, "/henvisninger", agent, referrals, s.handleReferrals, menuEntry{mainMenu, "Henvisninger", ""}},
		{get, "/utboks", agent, outgoingMail, s.handleOutbox,
			menuEntry{mainMenu | adminMenu, "Utboks", "Utgående e-post, og e-post som ikke kom fram."}},
		{post, "/utboks/:id/send-igjen", admin, outgoingMail, s.handleOutboxRetry, noMenu},
		{get, "/karantene", agent, quarantine, s.handleQuarantineList,
			menuEntry{mainMenu | adminMenu, "Karantene", "E-post som ikke kunne leses inn."}},
		{get, "/karantene/:id", agent, quarantine, s.handleQuarantineView, noMenu},
		{get, "/karantene/:id/kilde", agent, quarantine, s.handleQuarantineSource, noMenu},
		{post, "/karantene/:id/prov-igjen", agent, quarantine, s.handleQuarantineRetry, noMenu},
		{post, "/karantene/:id/opprett", agent, quarantine, s.handleQuarantineCreate, noMenu},
		{get, "/karantene/:id/forkast", agent, quarantine, s.handleQuarantineDiscardForm, noMenu},
		{post, "/karantene/:id/forkast", agent, quarantine, s.handleQuarantineDiscard, noMenu},

		// Statistics: readers see the figures and the report; the ticket export carries subjects.
		{get, "/statistikk", reader, statistics, s.handleStats, menuEntry{mainMenu, "Statistikk", ""}},
		{get, "/statistikk/rapport", reader, statistics, s.handleStatsDownload, noMenu},
		{get, "/statistikk/saker", agent, statistics, s.handleStatsTickets, noMenu},

		// The programme's overview (issue 16): the municipality register is for staff who work
		// tickets (notes, contacts, tickets by place); the map and the handbook are everyone's, staff
		// see more layers on the map (isStaff) and edit the handbook.
		{get, "/kommuner", agent, register, s.handleRegister,
			menuEntry{mainMenu, "Kommuner", ""}},
		{get, "/kommuner/eksport.csv", agent, register, s.handleRegisterExport, noMenu},
		{post, "/kommuner/import", admin, register, s.handleRegisterImport, noMenu},
		{get, "/kommuner/:nr", agent, register, s.handleRegisterEntry, noMenu},
		{post, "/kommuner/:nr", agent, register, s.handleRegisterSave, noMenu},
		{get, "/kart", public, register, s.handleMap, menuEntry{mainMenu, "Kart", ""}},
		{get, "/kart/:nr", public, register, s.handleMapEntry, noMenu},
		{get, "/handbok", public, handbook, s.handleHandbook, menuEntry{mainMenu, "Håndbok", ""}},
		{post, "/handbok", agent, handbook, s.handleArticleCreate, noMenu},
		{get, "/handbok/ny", agent, handbook, s.handleArticleNew, noMenu},
		{get, "/handbok/forslag", public, handbook, s.handleArticleSuggestions, noMenu},
		{get, "/handbok/:slug", public, handbook, s.handleArticle, noMenu},
		{post, "/handbok/:slug", agent, handbook, s.handleArticleSave, noMenu},
		{get, "/handbok/:slug/endre", agent, handbook, s.handleArticleEdit, noMenu},
		{post, "/handbok/:slug/slett", agent, handbook, s.handleArticleDelete, noMenu},
		{post, "/handbok/:slug/svarte", public, handbook, s.handleSelfHelp, noMenu},

		// Administration.
		{get, "/admin", admin, always, s.handleAdmin, menuEntry{mainMenu, "Administrasjon", ""}},
		{get, "/admin/brukere", admin, always, s.handleUsers,
			menuEntry{adminMenu, "Brukere", "Saksbehandlere, administratorer og lesere, roller, passord."}},
		{post, "/admin/brukere", admin, always, s.handleUserCreate, noMenu},
		{post, "/admin/brukere/:id/rolle", admin, always, s.handleUserRole, noMenu},
		{post, "/admin/brukere/:id/aktiv", admin, always, s.handleUserActive, noMenu},
		{post, "/admin/brukere/:id/passord", admin, always, s.handleUserPassword, noMenu},
		{post, "/admin/brukere/:id/tofaktor", admin, accounts, s.handleUserTwoFactorReset, noMenu},
		{post, "/admin/tofaktor", admin, accounts, s.handleRequireTwoFactor, noMenu},
		{get, "/admin/api-nokler", admin, always, s.handleTokens,
			menuEntry{adminMenu, "API-nøkler", "Nøkler for programmer som bruker JSON-API-et."}},
		{post, "/admin/api-nokler", admin, always, s.handleTokenCreate, noMenu},
		{post, "/admin/api-nokler/:id/slett", admin, always, s.handleTokenDelete, noMenu},
		{get, "/admin/etater", admin, always, s.handleAgencies,
			menuEntry{adminMenu, "Etater", "Etatene saker kan høre til eller henvises til."}},
		{get, "/admin/svarmaler", admin, outgoingMail, s.handleCanned,
			menuEntry{adminMenu, "Svarmaler og kvitteringer", "Ferdige svar, og kvitteringsmalene nye saker får (reglene velger mal)."}},
		{get, "/admin/svarmaler/kvitteringer/ny", admin, outgoingMail, s.handleAckNew, noMenu},
		{post, "/admin/svarmaler/kvitteringer", admin, outgoingMail, s.handleAckCreate, noMenu},
		{get, "/admin/svarmaler/kvitteringer/:name", admin, outgoingMail, s.handleAckEdit, noMenu},
		{post, "/admin/svarmaler/kvitteringer/:name", admin, outgoingMail, s.handleAckSave, noMenu},
		{get, "/admin/svarmaler/kvitteringer/:name/slett", admin, outgoingMail, s.handleAckDeleteConfirm, noMenu},
		{post, "/admin/svarmaler/kvitteringer/:name/slett", admin, outgoingMail, s.handleAckDelete, noMenu},
		{get, "/admin/svarmaler/ny", admin, outgoingMail, s.handleCannedNew, noMenu},
		{post, "/admin/svarmaler", admin, outgoingMail, s.handleCannedCreate, noMenu},
		{get, "/admin/svarmaler/:id", admin, outgoingMail, s.handleCannedEdit, noMenu},
		{post, "/admin/svarmaler/:id", admin, outgoingMail, s.handleCannedUpdate, noMenu},
		{post, "/admin/svarmaler/:id/slett", admin, outgoingMail, s.handleCannedDelete, noMenu},
		{get, "/admin/regler", admin, routingRules, s.handleRules,
			menuEntry{adminMenu, "Regelsett", "Reglene som fordeler nye saker, med prøvekjøring."}},
		{post, "/admin/regler/prov", admin, routingRules, s.handleRulesTry, noMenu},
		{post, "/admin/regler/lagre", admin, routingRules, s.handleRulesSave, noMenu},
		{get, "/admin/regler/standard", admin, routingRules, s.handleRulesDefault, noMenu},
		{get, "/admin/regler/versjoner/:version", admin, routingRules, s.handleRuleVersion, noMenu},
		{post, "/admin/regler/versjoner/:version/gjenopprett", admin, routingRules, s.handleRuleRestore, noMenu},
		{get, "/admin/sikkerhetskopi", admin, backup, s.handleBackupPage,
			menuEntry{adminMenu, "Sikkerhetskopi", "Last ned en kopi av hele databasen."}},
		{post, "/admin/sikkerhetskopi", admin, backup, s.handleBackupDownload, noMenu},
	}
}
