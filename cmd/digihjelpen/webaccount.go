package main

import (
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/web"
)

// wireAccounts gives the web server sign-in beyond the password: the account store (two-factor,
// reset links, SSO users), the OpenID provider of [sso] and server.password_login.
func wireAccounts(a *app, srv *web.Server) {
	srv.Accounts = data.NewAccountService(a.db)
	srv.PasswordLoginOff = !a.cfg.Server.PasswordLogin
	c := a.cfg.SSO
	srv.SSO = web.SSOConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: c.ClientSecret, GroupsClaim: c.GroupsClaim,
		AdminGroups: c.AdminGroups, AgentGroups: c.AgentGroups, ReaderGroups: c.ReaderGroups,
		MaxSession: time.Duration(c.MaxSession), ButtonLabel: c.ButtonLabel}
}
