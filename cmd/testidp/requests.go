package main

import (
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// authRequest is a sign-in under way (op.AuthRequest): created by /authorize, finished by the
// login page, exchanged for tokens once.
type authRequest struct {
	id, clientID, redirectURI, state, nonce string
	scopes                                  []string
	responseType                            oidc.ResponseType
	responseMode                            oidc.ResponseMode
	challenge                               *oidc.CodeChallenge
	created                                 time.Time

	// set by the login page
	subject  string
	authTime time.Time
	done     bool
	// sid names the sign-in as Entra ID's optional claim sid does: the ID token carries it, so
	// the client can match the provider's front-channel logout to its sessions.
	sid string
}

func (r *authRequest) GetID() string                         { return r.id }
func (r *authRequest) GetACR() string                        { return "" }
func (r *authRequest) GetAMR() []string                      { return []string{"pwd"} }
func (r *authRequest) GetAudience() []string                 { return []string{r.clientID} }
func (r *authRequest) GetAuthTime() time.Time                { return r.authTime }
func (r *authRequest) GetClientID() string                   { return r.clientID }
func (r *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return r.challenge }
func (r *authRequest) GetNonce() string                      { return r.nonce }
func (r *authRequest) GetRedirectURI() string                { return r.redirectURI }
func (r *authRequest) GetResponseType() oidc.ResponseType    { return r.responseType }
func (r *authRequest) GetResponseMode() oidc.ResponseMode    { return r.responseMode }
func (r *authRequest) GetScopes() []string                   { return r.scopes }
func (r *authRequest) GetState() string                      { return r.state }
func (r *authRequest) GetSubject() string                    { return r.subject }
func (r *authRequest) Done() bool                            { return r.done }

// credentialsRequest is a client_credentials token request (op.TokenRequest). The subject is
// the client, as in an app-only token of Entra ID.
type credentialsRequest struct {
	clientID         string
	scopes, audience []string
}

func (r *credentialsRequest) GetSubject() string    { return r.clientID }
func (r *credentialsRequest) GetAudience() []string { return r.audience }
func (r *credentialsRequest) GetScopes() []string   { return r.scopes }
