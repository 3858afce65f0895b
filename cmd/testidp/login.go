package main

import (
	"context"
	"html/template"
	"net/http"
)

// loginPath is the login page every sign-in is sent to (client.LoginURL).
const loginPath = "/login"

// loginPage is plain HTML with the ids the browser tests use: username, password, login.
var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>Logg inn – testleverandør</title></head>
<body>
<main>
<h1>Logg inn</h1>
{{if .Error}}<p role="alert" id="error">{{.Error}}</p>{{end}}
<form method="post" action="` + loginPath + `">
<input type="hidden" name="authRequestID" value="{{.ID}}">
<p><label for="username">Brukernavn</label> <input id="username" name="username" type="email" autocomplete="username" value="{{.Username}}" required></p>
<p><label for="password">Passord</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button id="login" type="submit">Logg inn</button></p>
</form>
</main>
</body>
</html>
`))

type loginData struct{ ID, Username, Error string }

// login shows the login page and checks what is posted to it. A correct password finishes the
// sign-in and sends the browser back to the provider's callback, which redirects to the client
// with the code.
type login struct {
	storage  *storage
	callback func(ctx context.Context, requestID string) string
}

func (l *login) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.Method {
	case http.MethodGet:
		l.render(w, http.StatusOK, loginData{ID: r.URL.Query().Get("authRequestID")})
	case http.MethodPost:
		id, email := r.PostFormValue("authRequestID"), r.PostFormValue("username")
		if err := l.storage.signIn(id, email, r.PostFormValue("password"), browserOf(w, r)); err != nil {
			l.render(w, http.StatusUnauthorized, loginData{ID: id, Username: email, Error: err.Error()})
			return
		}
		http.Redirect(w, r, l.callback(r.Context(), id), http.StatusFound)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (l *login) render(w http.ResponseWriter, status int, d loginData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	loginPage.Execute(w, d)
}
