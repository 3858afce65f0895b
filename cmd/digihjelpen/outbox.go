package main

import (
	"github.com/ks-no/digihjelpen/web"
)

// wireMail gives the web server what it needs of outgoing mail.
func (a *app) wireMail(srv *web.Server) {
	srv.Acknowledge = a.composer.Ack
}
