package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// mailpitMail is a mail as Mailpit's API shows it, with its header.
type mailpitMail struct {
	ID, MessageID, Subject, Text, HTML string
	From                               struct{ Name, Address string }
	To                                 []struct{ Name, Address string }
	Header                             map[string][]string `json:"-"`
}

// header is the value of a header field (its occurrences joined by a space).
func (m *mailpitMail) header(name string) string { return strings.Join(m.Header[name], " ") }

// mailpitGet reads a JSON answer of the Mailpit API into v.
func mailpitGet(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// mailpitMessage returns the mail with Mailpit's id, with its header.
func mailpitMessage(t *testing.T, api, id string) *mailpitMail {
	t.Helper()
	var m mailpitMail
	mailpitGet(t, api+"/api/v1/message/"+id, &m)
	mailpitGet(t, api+"/api/v1/message/"+id+"/headers", &m.Header)
	return &m
}

// mailpitSearch returns the Mailpit ids of the mails matching query, newest first.
func mailpitSearch(t *testing.T, api, query string) []string {
	t.Helper()
	var list struct{ Messages []struct{ ID string } }
	mailpitGet(t, api+"/api/v1/search?query="+url.QueryEscape(query), &list)
	var ids []string
	for _, m := range list.Messages {
		ids = append(ids, m.ID)
	}
	return ids
}

// mailpitWait waits until n mails match query and returns them, newest first.
func mailpitWait(t *testing.T, api, query string, n int) []*mailpitMail {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		ids := mailpitSearch(t, api, query)
		if len(ids) > n {
			t.Fatalf("%d mails match %s, want %d", len(ids), query, n)
		}
		if len(ids) == n {
			var list []*mailpitMail
			for _, id := range ids {
				list = append(list, mailpitMessage(t, api, id))
			}
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails match %s after 15 s, want %d", len(ids), query, n)
		}
	}
}
