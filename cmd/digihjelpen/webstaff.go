package main

import (
	"github.com/ks-no/digihjelpen/web"
)

// wireStaffWeb gives the web server what the staff pages need beyond the stores: similar
// questions from the full-text index, and the routing model's suggestions.
func wireStaffWeb(a *app, srv *web.Server) {
	srv.Similar = a.tickets
	srv.Learning = a.rules // «Forslag» and the model's accuracy (issue 15)
}
