package main

import (
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// session is one staff member's browser: its own cookies and CSRF token.
type session struct {
	base   string
	client *http.Client
	csrf   string
	rng    *rand.Rand
}

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	ticketRef = regexp.MustCompile(`href="/saker/(DH-\d{4}-\d+)`)
	nextPage  = regexp.MustCompile(`href="(/innboks\?[^"]*etter=[^"]*)" rel="next"`)
	version   = regexp.MustCompile(`name="version" value="(\d+)"`)
	seenEvent = regexp.MustCompile(`name="seen" value="(\d+)"`)
)

func newSession(base string, transport http.RoundTripper, seed uint64) *session {
	jar, _ := cookiejar.New(nil)
	return &session{base: base, rng: rand.New(rand.NewPCG(seed, seed*7919)),
		client: &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second,
			// a redirect after a form is the answer measured; the page it leads to is not
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends req and reads the whole answer; an error is a failed request, with the status.
func (s *session) do(req *http.Request, want int) (string, error) {
	resp, err := s.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != want {
		return string(body), fmt.Errorf("%s %s: status %d, want %d", req.Method, req.URL.Path, resp.StatusCode, want)
	}
	return string(body), nil
}

func (s *session) get(path string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		return "", err
	}
	return s.do(req, http.StatusOK)
}

func (s *session) post(path string, form url.Values, want int) (string, error) {
	form.Set("csrf", s.csrf)
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req, want)
}

// search posts a search and follows the redirect to its own address (/innboks?sok=…), as a
// browser does: the cost of a search is both requests.
func (s *session) search(q string) error {
	form := url.Values{"q": {q}, "csrf": {s.csrf}}
	req, err := http.NewRequest(http.MethodPost, s.base+"/innboks/sok", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	where := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(where, "/innboks") {
		return fmt.Errorf("POST /innboks/sok: status %d to %q, want 303 to the search's address", resp.StatusCode, where)
	}
	_, err = s.get(where)
	return err
}

// login signs in and keeps the session's CSRF token (one per browser, in its cookie).
func (s *session) login(email, password string) error {
	page, err := s.get("/logg-inn")
	if err != nil {
		return err
	}
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("no CSRF token on /logg-inn")
	}
	s.csrf = m[1]
	if _, err := s.post("/logg-inn", url.Values{"email": {email}, "password": {password}}, http.StatusSeeOther); err != nil {
		return fmt.Errorf("login as %s: %w", email, err)
	}
	page, err = s.get("/innboks") // signing in plants a new CSRF seed
	if err != nil {
		return err
	}
	if m = csrfField.FindStringSubmatch(page); m == nil {
		return fmt.Errorf("no CSRF token on /innboks")
	}
	s.csrf = m[1]
	return nil
}

// collectRefs walks the first pages of a few views and returns the references they list.
func (s *session) collectRefs(views []string, pages int) ([]string, error) {
	seen := map[string]bool{}
	var refs []string
	for _, v := range views {
		path := v
		for range pages {
			page, err := s.get(path)
			if err != nil {
				return nil, err
			}
			for _, m := range ticketRef.FindAllStringSubmatch(page, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					refs = append(refs, m[1])
				}
			}
			next := nextPage.FindStringSubmatch(page)
			if next == nil {
				break
			}
			path = html.UnescapeString(next[1])
		}
	}
	return refs, nil
}

// reply opens a ticket (timed as a ticket page) and answers it from its form.
func (s *session) reply(ref string, record func(kind string, d time.Duration, err error)) {
	start := time.Now()
	page, err := s.get("/saker/" + ref)
	record("ticket", time.Since(start), err)
	if err != nil {
		return
	}
	v, seen := version.FindStringSubmatch(page), seenEvent.FindStringSubmatch(page)
	if v == nil || seen == nil {
		record("reply", 0, fmt.Errorf("%s: no reply form", ref))
		return
	}
	form := url.Values{"version": {v[1]}, "seen": {seen[1]}, "text": {"Takk for spørsmålet. Se Digihjelpen-håndboken, kapittel 3."},
		"status": {"venter"}, "handling": {"send"}}
	start = time.Now()
	_, err = s.post("/saker/"+ref+"/svar", form, http.StatusSeeOther)
	record("reply", time.Since(start), err)
}
