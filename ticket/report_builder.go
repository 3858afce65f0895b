package ticket

import "time"

// ReportBuilder computes a WeeklyReport from the facts of the week or period (in any order)
// and the backlog counts, which storage keeps as running totals. Facts outside it are ignored.
type ReportBuilder struct {
	r           *WeeklyReport
	resolved    map[uint64]Fact // the last resolution in the week, per ticket
	reopened    map[uint64]bool
	referred    map[uint64]Fact
	referredTo  map[string]map[uint64]bool
	answeredNew int // created in the week and answered in it
	fr, res     DurationSamples
	agencyFR    map[string]*DurationSamples
	agencyRes   map[string]*DurationSamples
	answers     map[string]*DurationSamples
	articles    map[string]*ArticleCount // self-help by slug
}

// NewReportBuilder starts the report of week w.
func NewReportBuilder(w Week) *ReportBuilder {
	b := NewPeriodReportBuilder(w.Start(), w.End())
	b.r.Week = w
	return b
}

// NewPeriodReportBuilder starts the report of the period [from, to): any span, usually whole
// days in Oslo (ParsePeriod).
func NewPeriodReportBuilder(from, to time.Time) *ReportBuilder {
	return &ReportBuilder{
		r: &WeeklyReport{From: from, To: to,
			ByAgency: map[string]*Breakdown{}, ByChannel: map[Channel]*Breakdown{}, ByCounty: map[string]*Breakdown{},
			ByMunicipality: map[string]*Breakdown{}, Referrals: map[string]*ReferralStats{},
			ByTopic: map[string]*Breakdown{}, ByTag: map[string]*Breakdown{},
			Feedback: FeedbackStats{ByAgency: map[string]*FeedbackCount{}}},
		resolved: map[uint64]Fact{}, reopened: map[uint64]bool{}, referred: map[uint64]Fact{},
		referredTo: map[string]map[uint64]bool{}, agencyFR: map[string]*DurationSamples{},
		agencyRes: map[string]*DurationSamples{}, answers: map[string]*DurationSamples{},
		articles: map[string]*ArticleCount{},
	}
}

// Add counts one fact.
func (b *ReportBuilder) Add(f Fact) {
	if f.At.Before(b.r.From) || !f.At.Before(b.r.To) {
		return
	}
	switch f.Kind {
	case FactCreated:
		b.r.New++
		b.each(f, func(x *Breakdown) { x.New++ })
	case FactFirstResponse:
		b.fr.AddMeasured(f.Wall, f.Business)
		samples(b.agencyFR, f.Agency).AddMeasured(f.Wall, f.Business)
		if !f.Start.Before(b.r.From) {
			b.answeredNew++
		}
	case FactResolved:
		if prev, ok := b.resolved[f.TicketID]; !ok || f.At.After(prev.At) {
			b.resolved[f.TicketID] = f
		}
	case FactReopened:
		if !b.reopened[f.TicketID] {
			b.reopened[f.TicketID] = true
			b.each(f, func(x *Breakdown) { x.Reopened++ })
		}
	case FactReferred:
		b.addReferred(f)
	case FactAnswered:
		b.referral(f.Agency).Answered++
		samples(b.answers, f.Agency).AddMeasured(f.Wall, f.Business)
	}
}

func (b *ReportBuilder) addReferred(f Fact) {
	ref := b.referral(f.Agency)
	ref.Sent++
	if !f.Answered.IsZero() && f.Answered.Before(b.r.To) {
		ref.AnsweredOfSent++
	}
	if b.referredTo[f.Agency] == nil {
		b.referredTo[f.Agency] = map[uint64]bool{}
	}
	if !b.referredTo[f.Agency][f.TicketID] {
		b.referredTo[f.Agency][f.TicketID] = true
		bump(b.r.ByAgency, f.Agency).Referred++
	}
	if _, ok := b.referred[f.TicketID]; !ok {
		b.referred[f.TicketID] = f
		b.places(f, func(x *Breakdown) { x.Referred++ })
	}
}

// each applies fn to the fact's agency, channel, municipality and county.
func (b *ReportBuilder) each(f Fact, fn func(*Breakdown)) {
	fn(bump(b.r.ByAgency, f.Agency))
	b.places(f, fn)
}

// places applies fn to the fact's channel, municipality and county, topic and tags.
func (b *ReportBuilder) places(f Fact, fn func(*Breakdown)) {
	ch := b.r.ByChannel[f.Channel]
	if ch == nil {
		ch = &Breakdown{Key: string(f.Channel), Name: ChannelLabel(f.Channel)}
		b.r.ByChannel[f.Channel] = ch
	}
	fn(ch)
	fn(bump(b.r.ByMunicipality, placeKey(f.Municipality)))
	fn(bump(b.r.ByCounty, placeKey(f.County)))
	b.topics(f, fn)
}

func placeKey(number string) string {
	if number == "" {
		return UnknownPlace
	}
	return number
}

func bump(m map[string]*Breakdown, key string) *Breakdown {
	x := m[key]
	if x == nil {
		x = &Breakdown{Key: key}
		m[key] = x
	}
	return x
}

func samples(m map[string]*DurationSamples, key string) *DurationSamples {
	s := m[key]
	if s == nil {
		s = &DurationSamples{}
		m[key] = s
	}
	return s
}

func (b *ReportBuilder) referral(agency string) *ReferralStats {
	r := b.r.Referrals[agency]
	if r == nil {
		r = &ReferralStats{Agency: agency}
		b.r.Referrals[agency] = r
	}
	return r
}

// SetBacklog sets the open tickets at the start and at the end of the week by agency, and the
// unanswered referrals at the end by the agency referred to.
func (b *ReportBuilder) SetBacklog(atStart, atEnd, referralsOpen map[string]int) {
	for _, n := range atStart {
		b.r.OpenAtStart += n
	}
	for agency, n := range atEnd {
		b.r.OpenAtEnd += n
		if n != 0 {
			bump(b.r.ByAgency, agency).OpenAtEnd = n
		}
	}
	for agency, n := range referralsOpen {
		if n != 0 {
			b.referral(agency).OpenAtEnd = n
		}
	}
}

// Report finishes the report. Names of municipalities and counties are left for the caller.
func (b *ReportBuilder) Report() *WeeklyReport {
	r := b.r
	gaps := map[[2]string]*HandbookGap{}
	for _, f := range b.resolved {
		addGap(gaps, f)
		r.Resolved++
		b.each(f, func(x *Breakdown) { x.Resolved++ })
		b.res.AddMeasured(f.Wall, f.Business)
		samples(b.agencyRes, f.Agency).AddMeasured(f.Wall, f.Business)
		if !f.Responded {
			r.ResolvedWithoutResponse++
		}
	}
	r.Referred = len(b.referred)
	r.Reopened = len(b.reopened)
	r.WithoutResponse = r.New - b.answeredNew
	r.FirstResponse, r.Resolution = b.fr.Stats(), b.res.Stats()
	for key, s := range b.agencyFR {
		bump(r.ByAgency, key).FirstResponse = s.Stats()
	}
	for key, s := range b.agencyRes {
		bump(r.ByAgency, key).Resolution = s.Stats()
	}
	for key, s := range b.answers {
		b.referral(key).AnswerHours = s.Stats()
	}
	r.TopMunicipalities = rankMunicipalities(r.ByMunicipality)
	r.HandbookGaps = rankGaps(gaps)
	for k, x := range r.ByTopic {
		x.Name = TopicName(k)
	}
	for k, x := range r.ByTag {
		x.Name = k
	}
	r.SelfHelp.ByArticle = r.SelfHelp.ByArticle[:0]
	for _, a := range b.articles {
		r.SelfHelp.ByArticle = append(r.SelfHelp.ByArticle, a)
	}
	sortArticles(r.SelfHelp.ByArticle)
	return r
}
