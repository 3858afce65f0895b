package web_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's headless Chromium with chromedp against the real server on
// 127.0.0.1, and audit every page type with axe-core. One Chromium serves the whole package;
// each test gets its own browser context (own cookies) in it.

const chromiumPath = "/usr/bin/chromium"

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
	browserDir    string
)

// startBrowser launches the shared Chromium; stopBrowser (from TestMain) ends it.
func startBrowser() {
	if _, err := os.Stat(chromiumPath); err != nil {
		browserErr = fmt.Errorf("chromium not installed at %s (apt-get install chromium)", chromiumPath)
		return
	}
	browserDir, browserErr = os.MkdirTemp("", "digihjelpen-chromium-")
	if browserErr != nil {
		return
	}
	tmp := filepath.Join(browserDir, "tmp")
	os.MkdirAll(tmp, 0o700)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Env("TMPDIR=" + tmp),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(browserDir, "profile")),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true), chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,AutofillServerCommunication"),
		chromedp.Flag("no-pings", true), chromedp.Flag("password-store", "basic"), chromedp.Flag("use-mock-keychain", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	browserCtx = ctx
	browserCancel = func() { cancel(); cancelAlloc() }
	browserErr = chromedp.Do(ctx) // binds the browser's life to ctx
}

func stopBrowser() {
	if browserCancel != nil {
		browserCancel()
	}
	if browserDir != "" {
		os.RemoveAll(browserDir)
	}
}

// chrome is one test's browser tab, against a real server for e.
type chrome struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newChrome serves e on a free port and opens a tab in a fresh browser context. Without
// Chromium the test is skipped, unless DIGIHJELPEN_TEST_REQUIRE_BROWSER=1 (make test) says it
// must run.
func newChrome(t *testing.T, e *testEnv) *chrome {
	t.Helper()
	return newChromeWithin(t, e, 60*time.Second)
}

// newChromeWithin is newChrome for a test that needs the tab for longer than a minute (one
// that walks every page at every size).
func newChromeWithin(t *testing.T, e *testEnv, limit time.Duration) *chrome {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return newChromeOnWithin(t, e, ln, limit)
}

// newChromeOn is newChrome on a listener of the test's own (a server whose base URL must be
// its real address, as for sign-in at an OpenID provider).
func newChromeOn(t *testing.T, e *testEnv, ln net.Listener) *chrome {
	t.Helper()
	return newChromeOnWithin(t, e, ln, 60*time.Second)
}

func newChromeOnWithin(t *testing.T, e *testEnv, ln net.Listener, limit time.Duration) *chrome {
	t.Helper()
	browserOnce.Do(startBrowser)
	if browserErr != nil {
		ln.Close()
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("browser test cannot run: %v", browserErr)
		}
		t.Skipf("browser test skipped: %v", browserErr)
	}
	go e.srv.Serve(ln)
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancel() })
	return &chrome{t: t, ctx: ctx, base: "http://" + ln.Addr().String()}
}

// do runs actions and fails the test on error.
func (c *chrome) do(actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	if err := chromedp.Do(c.ctx, actions...); err != nil {
		c.t.Fatalf("browser: %v", err)
	}
}

func (c *chrome) visit(path string) {
	c.t.Helper()
	c.do(chromedp.Navigate(c.base+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// clickLoad clicks sel and waits until the page it leads to has loaded. Waiting for an element
// instead is a race when the old page has one like it (a status line, a heading): the old page
// is marked, and the wait ends only on a document without the mark.
func (c *chrome) clickLoad(sel string) {
	c.t.Helper()
	if _, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.stale = "1"; true`)); err != nil {
		c.t.Fatal(err)
	}
	c.do(chromedp.Click(chromedp.CSS(sel)))
	for range 200 {
		loaded, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.stale === undefined && document.readyState === "complete"`))
		if err == nil && loaded {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	c.t.Fatalf("clicking %s loaded no new page within 5 s", sel)
}

func (c *chrome) text(sel string) string {
	c.t.Helper()
	s, err := chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		c.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (c *chrome) location() string {
	c.t.Helper()
	s, err := chromedp.Run(c.ctx, chromedp.Location())
	if err != nil {
		c.t.Fatal(err)
	}
	return strings.TrimPrefix(s, c.base)
}

// login fills in the login form like a person would.
func (c *chrome) login(email string) {
	c.t.Helper()
	c.visit("/logg-inn")
	c.do(chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	c.clickLoad(`button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS("form.logout")))
	if !strings.HasPrefix(c.location(), "/innboks") {
		c.t.Fatalf("after login at %s", c.location())
	}
}

// axeResult is what axe.run reports, cut to what a failure message needs.
type axeResult struct {
	Violations []struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []any }
	}
	Passes int
}

// audit saves a screenshot of the page as name.png and runs axe-core on it (WCAG 2.0/2.1 A and
// AA, and best practices); any violation fails the test.
func (c *chrome) audit(name string) {
	c.t.Helper()
	png, err := chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Fatal(err)
	}
	dir := filepath.Join("testdata", "screenshots")
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		c.t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](string(script)+";true")); err != nil {
		c.t.Fatalf("inject axe: %v", err)
	}
	res, err := chromedp.Run(c.ctx, chromedp.Evaluate[axeResult](
		`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','best-practice']}})
		   .then(r => ({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
		       nodes: v.nodes.map(n => ({target: n.target}))})), passes: r.passes.length}))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		c.t.Fatalf("axe.run: %v", err)
	}
	for _, v := range res.Violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		c.t.Errorf("%s: axe %s (%s): %s at %v", name, v.ID, v.Impact, v.Help, targets)
	}
	if res.Passes == 0 {
		c.t.Errorf("%s: axe passed no rules; did it run?", name)
	}
}

func TestBrowserLoginInboxTicket(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs i BankID for seniorer på biblioteket", "kari@lillehammer.kommune.no")
	c := newChrome(t, e)

	c.visit("/logg-inn")
	c.audit("logg-inn")
	c.login("agent@ks.no")
	if got := c.text("main h1"); got != "Innboks" {
		t.Fatalf("heading %q", got)
	}
	c.audit("innboks")

	c.clickLoad(`a[href^="/saker/` + tk.Ref.String() + `"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".thread")))
	if got := c.text("main h1"); !strings.Contains(got, "Kurs i BankID for seniorer") || !strings.Contains(got, tk.Ref.String()) {
		t.Fatalf("ticket heading %q", got)
	}
	c.audit("sak")

	c.visit("/saker/DH-2026-9999")
	c.audit("ikke-funnet")
}

func TestBrowserLoginFailureIsAnnounced(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	c := newChrome(t, e)
	c.visit("/logg-inn")
	c.do(chromedp.SendKeys(chromedp.ID("email"), "agent@ks.no"), chromedp.SendKeys(chromedp.ID("password"), "feil-passord-her"))
	c.clickLoad(`button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(`[role="alert"]`)))
	if got := c.text(`[role="alert"]`); !strings.Contains(got, "Feil e-postadresse eller passord") {
		t.Fatalf("alert %q", got)
	}
	c.audit("logg-inn-feil")
}
