package main

import (
	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/web"
)

// wireStaffWeb gives the web server what the staff pages need beyond the stores: similar
// questions from the full-text index, the routing model's suggestions, notifications and
// webhooks, the inbox's markers, saved views and searches, and its change counter.
func wireStaffWeb(a *app, srv *web.Server) {
	srv.Similar = a.tickets
	srv.Learning = a.rules // «Forslag» and the model's accuracy (issue 15)
	srv.Notifications = data.NewNotifyService(a.db)
	srv.Webhooks, srv.Planner = data.NewWebhookService(a.db), a.notifyPlanner()
	srv.Seen = data.NewSeenService(a.db)
	srv.SavedViews, srv.Searches = data.NewSavedViewService(a.db), data.NewSearchService(a.db)
	srv.Changes = a.db.TicketsChanged
}
