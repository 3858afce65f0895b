package ticket

import "time"

// ReferralStatus follows a referral from sent to answered.
type ReferralStatus string

// The referral statuses.
const (
	ReferralSent     ReferralStatus = "sendt"
	ReferralAnswered ReferralStatus = "besvart"
)

// Referral is a ticket sent on to an agency, which answers by mail.
type Referral struct {
	Agency string
	Status ReferralStatus
	Note   string
	By     string // staff email
	// MessageID of the referral mail, so the agency's answer threads back.
	MessageID  string
	SentAt     time.Time
	AnsweredAt time.Time
	// RemindAt is when staff are reminded if the agency has not answered.
	RemindAt time.Time
}
