package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// searchFinds searches the running server's inbox until ref turns up (the background indexer
// runs every second), and fails after five seconds.
func searchFinds(t *testing.T, client *http.Client, base, q, ref string) {
	t.Helper()
	page := get(t, client, base+"/innboks")
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if token == nil {
		t.Fatal("no CSRF token on the inbox")
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		resp, err := client.PostForm(base+"/innboks/sok", url.Values{"csrf": {token[1]}, "q": {q}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), ref) {
			return
		}
	}
	t.Fatalf("a search for %q never found %s: is the search indexer running?", q, ref)
}
