package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// WeeklyJSON is the weekly report as DESIGN.md fixes it ("Weekly report JSON"), with the extra
// fields of docs/STATISTICS.md. The names are a stable interface: add, never rename.
type WeeklyJSON struct {
	Week string `json:"week"`
	ReportJSON
}

// ReportJSON is the body of a report, a week's or a period's.
type ReportJSON struct {
	From                    time.Time                    `json:"from"`
	To                      time.Time                    `json:"to"`
	GeneratedAt             time.Time                    `json:"generated_at"`
	New                     int                          `json:"new"`
	Resolved                int                          `json:"resolved"`
	Referred                int                          `json:"referred"`
	Reopened                int                          `json:"reopened"`
	OpenAtStart             int                          `json:"open_at_start"`
	OpenAtEnd               int                          `json:"open_at_end"`
	WithoutResponse         int                          `json:"without_response"`
	ResolvedWithoutResponse int                          `json:"resolved_without_response"`
	ByAgency                map[string]agencyJSON        `json:"by_agency"`
	ByChannel               map[string]int               `json:"by_channel"`
	ByChannelDetail         map[string]breakdownJSON     `json:"by_channel_detail"`
	ByCounty                map[string]breakdownJSON     `json:"by_county"`
	ByMunicipality          map[string]breakdownJSON     `json:"by_municipality"`
	TopMunicipalities       []topJSON                    `json:"top_municipalities"`
	FirstResponseHours      hoursJSON                    `json:"first_response_hours"`
	ResolutionHours         hoursJSON                    `json:"resolution_hours"`
	Referrals               map[string]referralStatsJSON `json:"referrals"`
	ByTopic                 map[string]breakdownJSON     `json:"by_topic"`
	ByTag                   map[string]breakdownJSON     `json:"by_tag"`
	HandbookGaps            []gapJSON                    `json:"handbook_gaps"`
	Feedback                feedbackJSON                 `json:"feedback"`
	SelfHelp                selfHelpJSON                 `json:"self_help"`
}

type gapJSON struct {
	Kind           string `json:"kind"`
	Key            string `json:"key"`
	Name           string `json:"name"`
	WithoutArticle int    `json:"without_article"`
	Answered       int    `json:"answered"`
}

type feedbackCountJSON struct {
	Name      string `json:"name,omitempty"`
	Useful    int    `json:"useful"`
	NotUseful int    `json:"not_useful"`
}

type feedbackJSON struct {
	feedbackCountJSON
	ByAgency map[string]feedbackCountJSON `json:"by_agency"`
}

type selfHelpJSON struct {
	Questions int                `json:"questions"`
	ByArticle []articleCountJSON `json:"by_article"`
}

type articleCountJSON struct {
	Slug      string `json:"slug"`
	Title     string `json:"title"`
	Questions int    `json:"questions"`
}

type breakdownJSON struct {
	Name     string `json:"name"`
	New      int    `json:"new"`
	Resolved int    `json:"resolved"`
	Referred int    `json:"referred"`
	Reopened int    `json:"reopened"`
}

type agencyJSON struct {
	breakdownJSON
	OpenAtEnd          int       `json:"open_at_end"`
	FirstResponseHours hoursJSON `json:"first_response_hours"`
	ResolutionHours    hoursJSON `json:"resolution_hours"`
}

type topJSON struct {
	Number string `json:"number"`
	Name   string `json:"name"`
	New    int    `json:"new"`
}

// hoursJSON has null figures when nothing was measured.
type hoursJSON struct {
	Count          int      `json:"count"`
	Median         *float64 `json:"median"`
	P90            *float64 `json:"p90"`
	BusinessMedian *float64 `json:"business_median"`
	BusinessP90    *float64 `json:"business_p90"`
}

type referralStatsJSON struct {
	Name           string    `json:"name"`
	Sent           int       `json:"sent"`
	Answered       int       `json:"answered"`
	AnsweredOfSent int       `json:"answered_of_sent"`
	OpenAtEnd      int       `json:"open_at_end"`
	AnswerHours    hoursJSON `json:"answer_hours"`
}

func toHoursJSON(d ticket.DurationStats) hoursJSON {
	h := hoursJSON{Count: d.Count}
	if d.Count > 0 {
		h.Median, h.P90, h.BusinessMedian, h.BusinessP90 = &d.Median, &d.P90, &d.BusinessMedian, &d.BusinessP90
	}
	return h
}

func toBreakdownJSON(b *ticket.Breakdown) breakdownJSON {
	return breakdownJSON{Name: b.Name, New: b.New, Resolved: b.Resolved, Referred: b.Referred, Reopened: b.Reopened}
}

// NewWeeklyJSON is the weekly report r as JSON.
func NewWeeklyJSON(r *ticket.WeeklyReport, agencies ticket.Agencies) WeeklyJSON {
	return WeeklyJSON{Week: r.Week.String(), ReportJSON: NewReportJSON(r, agencies)}
}

// NewReportJSON is the body of the report r, a week's or a period's.
func NewReportJSON(r *ticket.WeeklyReport, agencies ticket.Agencies) ReportJSON {
	j := ReportJSON{From: r.From.In(ticket.Oslo), To: r.To.In(ticket.Oslo), GeneratedAt: r.GeneratedAt.In(ticket.Oslo),
		New: r.New, Resolved: r.Resolved, Referred: r.Referred, Reopened: r.Reopened, OpenAtStart: r.OpenAtStart, OpenAtEnd: r.OpenAtEnd,
		WithoutResponse: r.WithoutResponse, ResolvedWithoutResponse: r.ResolvedWithoutResponse,
		ByAgency: map[string]agencyJSON{}, ByChannel: map[string]int{}, ByChannelDetail: map[string]breakdownJSON{},
		ByCounty: map[string]breakdownJSON{}, ByMunicipality: map[string]breakdownJSON{}, TopMunicipalities: []topJSON{},
		FirstResponseHours: toHoursJSON(r.FirstResponse), ResolutionHours: toHoursJSON(r.Resolution), Referrals: map[string]referralStatsJSON{}}
	for _, key := range AgencyKeys(agencies, r.ByAgency) {
		b := r.ByAgency[key]
		if b == nil {
			b = &ticket.Breakdown{}
		}
		bj := toBreakdownJSON(b)
		bj.Name = agencies.Name(key)
		j.ByAgency[key] = agencyJSON{breakdownJSON: bj, OpenAtEnd: b.OpenAtEnd,
			FirstResponseHours: toHoursJSON(b.FirstResponse), ResolutionHours: toHoursJSON(b.Resolution)}
	}
	for _, ch := range []ticket.Channel{ticket.ChannelEmail, ticket.ChannelWeb} {
		b := r.ByChannel[ch]
		if b == nil {
			b = &ticket.Breakdown{Name: ticket.ChannelLabel(ch)}
		}
		j.ByChannel[string(ch)] = b.New
		j.ByChannelDetail[string(ch)] = toBreakdownJSON(b)
	}
	for k, b := range r.ByCounty {
		j.ByCounty[k] = toBreakdownJSON(b)
	}
	for k, b := range r.ByMunicipality {
		j.ByMunicipality[k] = toBreakdownJSON(b)
	}
	for _, b := range r.TopMunicipalities {
		j.TopMunicipalities = append(j.TopMunicipalities, topJSON{Number: b.Key, Name: b.Name, New: b.New})
	}
	for _, key := range AgencyKeys(agencies, r.Referrals) {
		s := r.Referrals[key]
		if s == nil {
			s = &ticket.ReferralStats{}
		}
		j.Referrals[key] = referralStatsJSON{Name: agencies.Name(key), Sent: s.Sent, Answered: s.Answered,
			AnsweredOfSent: s.AnsweredOfSent, OpenAtEnd: s.OpenAtEnd, AnswerHours: toHoursJSON(s.AnswerHours)}
	}
	addTopicsJSON(&j, r, agencies)
	return j
}

// addTopicsJSON adds what the questions teach (issue 16).
func addTopicsJSON(j *ReportJSON, r *ticket.WeeklyReport, agencies ticket.Agencies) {
	j.ByTopic, j.ByTag, j.HandbookGaps = map[string]breakdownJSON{}, map[string]breakdownJSON{}, []gapJSON{}
	for k, b := range r.ByTopic {
		j.ByTopic[k] = toBreakdownJSON(b)
	}
	for k, b := range r.ByTag {
		j.ByTag[k] = toBreakdownJSON(b)
	}
	for _, g := range r.HandbookGaps {
		j.HandbookGaps = append(j.HandbookGaps, gapJSON{Kind: g.Kind, Key: g.Key, Name: g.Name, WithoutArticle: g.WithoutArticle, Answered: g.Answered})
	}
	j.Feedback = feedbackJSON{feedbackCountJSON: feedbackCountJSON{Useful: r.Feedback.Useful, NotUseful: r.Feedback.NotUseful},
		ByAgency: map[string]feedbackCountJSON{}}
	for k, n := range r.Feedback.ByAgency {
		j.Feedback.ByAgency[k] = feedbackCountJSON{Name: agencies.Name(k), Useful: n.Useful, NotUseful: n.NotUseful}
	}
	j.SelfHelp = selfHelpJSON{Questions: r.SelfHelp.Total, ByArticle: []articleCountJSON{}}
	for _, a := range r.SelfHelp.ByArticle {
		j.SelfHelp.ByArticle = append(j.SelfHelp.ByArticle, articleCountJSON{Slug: a.Slug, Title: a.Title, Questions: a.Count})
	}
}

func writeReportJSON(w io.Writer, r *ticket.WeeklyReport, agencies ticket.Agencies) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewWeeklyJSON(r, agencies))
}
