package main

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
)

// Front-channel logout (OpenID Connect Front-Channel Logout 1.0), the way Entra ID does it:
// the login page gives the browser a cookie that stands for the provider's own sign-in session,
// and every sign-in in it is remembered with its sid and the origin of its redirect URI. When
// the browser ends that session at /end_session, the provider answers with a page that loads
// each client's front-channel logout URL (that origin + -web-frontchannel-path, with iss and
// sid) in a hidden iframe, and goes on to where end_session sends it once they have loaded.
// Entra ID sends sid alone; this provider follows the specification and sends iss too.

// browserCookie names the browser's session at the provider.
const browserCookie = "testidp_browser"

// signedIn is one sign-in of a client in a browser's session at the provider.
type signedIn struct{ sid, origin string }

// browserOf returns the browser's session at the provider, giving it one if it has none.
func browserOf(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(browserCookie); err == nil && c.Value != "" {
		return c.Value
	}
	id := randomID()
	http.SetCookie(w, &http.Cookie{Name: browserCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return id
}

// rememberSignIn notes a finished sign-in in the browser's session at the provider; s.mu is held.
func (s *storage) rememberSignIn(browser string, req *authRequest) {
	u, err := url.Parse(req.redirectURI)
	if err != nil || browser == "" {
		return
	}
	s.browsers[browser] = append(s.browsers[browser], signedIn{sid: req.sid, origin: u.Scheme + "://" + u.Host})
}

// endBrowser ends the browser's session at the provider and returns the sign-ins it had.
func (s *storage) endBrowser(browser string) []signedIn {
	s.mu.Lock()
	defer s.mu.Unlock()
	ins := s.browsers[browser]
	delete(s.browsers, browser)
	return ins
}

var frontChannelPage = template.Must(template.New("frontchannel").Parse(`<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>Logger ut – testleverandør</title></head>
<body>
<main>
<h1>Logger ut</h1>
{{range .Frames}}<iframe src="{{.}}" title="Utlogging" hidden></iframe>
{{end}}</main>
<script>
const next = {{.Next}};
let left = document.querySelectorAll("iframe").length;
document.querySelectorAll("iframe").forEach(f => f.addEventListener("load", () => { if (--left === 0) location.replace(next); }));
setTimeout(() => location.replace(next), 5000);
</script>
</body>
</html>
`))

// frontChannel wraps end_session: when it ends a browser's session that had sign-ins, the
// browser gets the page of iframes first.
type frontChannel struct {
	storage *storage
	issuer  string
	path    string // the client's front-channel logout path, on the origin of its redirect URI
	next    http.Handler
}

func (f *frontChannel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	f.next.ServeHTTP(rec, r)
	to := rec.Header().Get("Location")
	var ins []signedIn
	if c, err := r.Cookie(browserCookie); err == nil && rec.Code == http.StatusFound && to != "" {
		ins = f.storage.endBrowser(c.Value)
	}
	if len(ins) == 0 {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	frames := make([]string, 0, len(ins))
	for _, in := range ins {
		frames = append(frames, in.origin+f.path+"?"+url.Values{"iss": {f.issuer}, "sid": {in.sid}}.Encode())
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	frontChannelPage.Execute(w, struct {
		Frames []string
		Next   string
	}{frames, to})
}
