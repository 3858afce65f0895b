package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// jsonRows writes a JSON array, one ticket at a time.
type jsonRows struct {
	w        io.Writer
	enc      *json.Encoder
	agencies ticket.Agencies
	n        int
}

// ticketExportJSON is one ticket of the JSON export.
type ticketExportJSON struct {
	Ref                        string         `json:"ref"`
	CreatedAt                  time.Time      `json:"created_at"`
	Week                       string         `json:"week"`
	Status                     ticket.Status  `json:"status"`
	Agency                     string         `json:"agency"`
	Channel                    string         `json:"channel"`
	Category                   string         `json:"category"`
	Municipality               NumberJSON     `json:"municipality"`
	County                     NumberJSON     `json:"county"`
	FirstResponseAt            *time.Time     `json:"first_response_at"`
	FirstResponseHours         any            `json:"first_response_hours"`
	FirstResponseBusinessHours any            `json:"first_response_business_hours"`
	ResolvedAt                 *time.Time     `json:"resolved_at"`
	ResolutionHours            any            `json:"resolution_hours"`
	ResolutionBusinessHours    any            `json:"resolution_business_hours"`
	ReopenCount                int            `json:"reopen_count"`
	Referrals                  []ReferralJSON `json:"referrals"`
	MessageCount               int            `json:"message_count"`
	Subject                    string         `json:"subject"`
}

func newJSONRows(w io.Writer, agencies ticket.Agencies) (*jsonRows, error) {
	_, err := io.WriteString(w, "[\n")
	return &jsonRows{w: w, enc: json.NewEncoder(w), agencies: agencies}, err
}

// Row writes one ticket as an element of the array.
func (j *jsonRows) Row(t *ticket.Ticket) error {
	if j.n > 0 {
		if _, err := io.WriteString(j.w, ","); err != nil {
			return err
		}
	}
	j.n++
	return j.enc.Encode(ticketExportJSON{
		Ref: t.Ref.String(), CreatedAt: t.CreatedAt.UTC(), Week: ticket.WeekOf(t.CreatedAt).String(), Status: t.Status, Agency: t.Agency,
		Channel: string(t.Channel), Category: t.Category,
		Municipality: NumberJSON(t.Requester.Municipality), County: NumberJSON(t.Requester.County),
		FirstResponseAt: TimeJSON(t.FirstResponseAt), FirstResponseHours: exportHours(t.CreatedAt, t.FirstResponseAt, false),
		FirstResponseBusinessHours: exportHours(t.CreatedAt, t.FirstResponseAt, true), ResolvedAt: TimeJSON(t.ResolvedAt),
		ResolutionHours: exportHours(t.CreatedAt, t.ResolvedAt, false), ResolutionBusinessHours: exportHours(t.CreatedAt, t.ResolvedAt, true),
		ReopenCount: t.ReopenCount, Referrals: ReferralsJSON(t), MessageCount: t.MessageCount, Subject: t.Subject,
	})
}

// Discard leaves the array unclosed, so a cut file is invalid JSON rather than a short list.
func (j *jsonRows) Discard() {}

// Close ends the array.
func (j *jsonRows) Close() error {
	_, err := io.WriteString(j.w, "]\n")
	return err
}
