package main

import (
	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/web"
)

// wireOverview gives the web the programme's overview (issue 16): the municipality register
// with its ticket counts, the handbook, and the requesters' answers to «Fikk du svar du kunne
// bruke?».
func wireOverview(a *app, srv *web.Server) {
	srv.Overview = web.Overview{Register: a.register, Counts: a.register, Units: a.places.RegisterUnits(), Handbook: a.handbook(),
		Feedback: data.NewFeedbackService(a.db)}
}

// handbook is the handbook of the database, taking the configured agencies.
func (a *app) handbook() *data.HandbookService {
	hb := data.NewHandbookService(a.db)
	hb.Known = func(key string) bool { _, ok := a.agencies.Find(key); return ok }
	return hb
}
