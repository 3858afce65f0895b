package mailbridge

// SetAfterCommit sets the hook that runs after each commit, before the mails are moved, so a
// test can end a session at the worst moment.
func SetAfterCommit(p *Poller, fn func() error) { p.afterCommit = fn }
