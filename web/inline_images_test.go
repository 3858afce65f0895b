package web_test

import (
	"context"
	"encoding/base64"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

var imgTag = regexp.MustCompile(`<img[^>]*>`)

// screenshotMail is a question with a screenshot in its HTML (twice), an SVG drawing and a cid:
// link to a part that is not there.
func screenshotMail() string {
	pixel, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
	b64 := base64.StdEncoding.EncodeToString
	return "From: Kari <kari@lillehammer.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nSubject: Skjermbilde\r\n" +
		"Message-ID: <skjerm@lillehammer.kommune.no>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		`<p>Se feilen:</p><img src="cid:skjerm&amp;1@x" alt="skjermbilde"><img src="cid:skjerm&amp;1@x" alt="igjen">` +
		`<img src="cid:tegning@x" alt="tegning"><img src="cid:borte@x" alt="mangler">` + "\r\n" +
		"--b\r\nContent-Type: image/png\r\nContent-ID: <skjerm&1@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(pixel) + "\r\n" +
		"--b\r\nContent-Type: image/svg+xml\r\nContent-ID: <tegning@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		b64([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)) + "\r\n--b--\r\n"
}

func (e *testEnv) takeMail(raw []byte) *ticket.Ref {
	e.t.Helper()
	res, err := e.intake.Take(context.Background(), []mailbridge.Incoming{{Raw: raw}})
	if err != nil || res[0].Outcome != ticket.IntakeCreated {
		e.t.Fatalf("intake: %+v %v", res, err)
	}
	return &res[0].Ref
}

// TestMessageHTMLShowsInlineImages: images a mail's HTML refers to by cid: (a screenshot in an
// Outlook mail, a logo in a signature) show in the mail's frame as data: URLs, typed by their
// bytes; anything else referred to by cid: shows its alt text and nothing is fetched.
func TestMessageHTMLShowsInlineImages(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	corpus, err := os.ReadFile("../mailbridge/testdata/corpus/inline-images/php-mime-mail-parser__m0008.eml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		raw      []byte
		wantImgs []string // per <img>, what its tag must hold
	}{
		{"CorpusMislabelledJPEG", corpus, []string{`src="data:image/jpeg;base64,/9j/`}},
		{"ScreenshotAndRefused", []byte(screenshotMail()), []string{
			`src="data:image/png;base64,iVBOR`, `src="data:image/png;base64,iVBOR`, `alt="tegning"`, `alt="mangler"`}},
	}
	b := e.browser()
	b.login("agent@ks.no")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := e.takeMail(tt.raw)
			resp, frame := b.get("/saker/" + ref.String() + "/html/1")
			if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "img-src data:;") {
				t.Fatalf("status %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
			}
			imgs := imgTag.FindAllString(frame, -1)
			if len(imgs) != len(tt.wantImgs) {
				t.Fatalf("got %d images, want %d: %s", len(imgs), len(tt.wantImgs), frame)
			}
			for i, want := range tt.wantImgs {
				if !strings.Contains(imgs[i], want) {
					t.Errorf("image %d is %.120s, want %q", i, imgs[i], want)
				}
				if strings.Contains(imgs[i], "cid:") || strings.Contains(imgs[i], "svg") {
					t.Errorf("image %d keeps %.120s", i, imgs[i])
				}
			}
		})
	}
}

// TestBrowserInlineImage: Chromium draws the screenshot under the frame's CSP.
func TestBrowserInlineImage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	ref := e.takeMail([]byte(screenshotMail()))
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.visit("/saker/" + ref.String() + "/html/1")
	c.waitFor(`document.images.length === 4 && [...document.images].every(i => i.complete)`)
	widths, err := chromedp.Run(c.ctx, chromedp.Evaluate[[]int](`[...document.images].map(i => i.naturalWidth)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(widths) != 4 || widths[0] != 1 || widths[1] != 1 || widths[2] != 0 || widths[3] != 0 {
		t.Fatalf("natural widths %v, want the screenshot drawn twice and nothing else", widths)
	}
}
