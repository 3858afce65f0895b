package web

import (
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// The routing model on /admin/regler (_model_status.html): what it may do, when it was last
// trained and on how many of staff's choices, and how often the rules, the model and both
// chose staff's agency on the tickets held out of training. The replay adds the same
// comparison for the candidate rules (_rules_staff.html).

func init() {
	templateFuncs["share"] = shareText
	templateFuncs["percent"] = func(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }
}

// shareText is "12 av 20 (60 %)", or "–" when there is nothing to count.
func shareText(right, total int) string {
	if total == 0 {
		return "–"
	}
	return fmt.Sprintf("%d av %d (%.0f %%)", right, total, 100*float64(right)/float64(total))
}

// modelStatus returns the routing model's status for the rules page; nil without learning.
func (s *Server) modelStatus() *ticket.ModelStatus {
	if s.Learning == nil {
		return nil
	}
	st := s.Learning.ModelStatus()
	return &st
}
