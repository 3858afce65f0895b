package main

import "github.com/ks-no/digihjelpen/web"

// wireOverview gives the web the programme's overview (issue 16): the municipality register
// with its ticket counts.
func wireOverview(a *app, srv *web.Server) {
	srv.Overview = web.Overview{Register: a.register, Counts: a.register, Units: a.places.RegisterUnits()}
}
