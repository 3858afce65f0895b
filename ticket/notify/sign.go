package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// The headers of a webhook post. The signature is HMAC-SHA256 with the webhook's secret over
// the timestamp, a full stop and the body, so a receiver can check that the post is ours and
// refuse an old one replayed (see docs/INBOX.md).
const (
	HeaderSignature = "X-Digihjelpen-Signature" // "sha256=" and the hex HMAC
	HeaderTimestamp = "X-Digihjelpen-Timestamp" // Unix seconds when this try was sent
	HeaderDelivery  = "X-Digihjelpen-Delivery"  // the post's id in the outbox: the same on every try
)

// Sign returns the signature header value of body sent at ts with secret.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a post's signature and that its timestamp lies within skew of now: what a
// receiver written in Go does with the headers.
func Verify(secret, signature, timestamp string, body []byte, now time.Time, skew time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errors.New("webhook post: no timestamp")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > skew || d < -skew {
		return errors.New("webhook post: timestamp too far from now")
	}
	if !hmac.Equal([]byte(signature), []byte(Sign(secret, ts, body))) {
		return errors.New("webhook post: signature does not match")
	}
	return nil
}
