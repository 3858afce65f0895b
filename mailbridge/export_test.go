package mailbridge

// SetAfterCommit sets the hook that runs after each commit, before the mails are moved, so a
// test can end a session at the worst moment.
func SetAfterCommit(p *Poller, fn func() error) { p.afterCommit = fn }

// DecodeBase64 is the lenient base64 decoder of attachments.
var DecodeBase64 = decodeBase64
