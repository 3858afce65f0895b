package ticket_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestCloneSharesNothing fills every field of a ticket, clones it, and checks that no slice of
// the clone shares its array with the original, and that no field is a kind Clone does not
// know how to copy (a map or a pointer added later would be shared).
func TestCloneSharesNothing(t *testing.T) {
	orig := &ticket.Ticket{ID: 7, Subject: "Skattekort", Tags: []string{"a"}, Participants: []string{"p@x.no"},
		MergedFrom: []uint64{3}, Articles: []string{"slug"}, Referrals: []ticket.Referral{{Agency: "nav", SentAt: time.Now()}},
		Requester: ticket.Requester{Name: "Kari"}, Latest: ticket.MessagePreview{Text: "Hei"}}
	c := orig.Clone()
	if !reflect.DeepEqual(orig, c) {
		t.Fatalf("clone differs: %+v", c)
	}
	ov, cv := reflect.ValueOf(orig).Elem(), reflect.ValueOf(c).Elem()
	for i := range ov.NumField() {
		f := ov.Type().Field(i)
		switch f.Type.Kind() {
		case reflect.Slice:
			if ov.Field(i).Len() == 0 {
				t.Errorf("field %s: give it a value in this test", f.Name)
			} else if ov.Field(i).Pointer() == cv.Field(i).Pointer() {
				t.Errorf("field %s: the clone shares the original's array", f.Name)
			}
			if el := f.Type.Elem(); el.Kind() == reflect.Struct {
				for j := range el.NumField() {
					if k := el.Field(j).Type.Kind(); k == reflect.Slice || k == reflect.Map || k == reflect.Pointer {
						t.Errorf("field %s.%s: Clone copies %s by value and would share it", f.Name, el.Field(j).Name, k)
					}
				}
			}
		case reflect.Struct:
			if f.Type == reflect.TypeFor[time.Time]() {
				continue // its *Location is shared and never changed
			}
			for j := range f.Type.NumField() {
				if k := f.Type.Field(j).Type.Kind(); k == reflect.Slice || k == reflect.Map || k == reflect.Pointer {
					t.Errorf("field %s.%s: Clone copies %s by value and would share it", f.Name, f.Type.Field(j).Name, k)
				}
			}
		case reflect.Map, reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
			t.Errorf("field %s: Clone does not copy a %s", f.Name, f.Type.Kind())
		}
	}
	c.Tags[0], c.Referrals[0].Agency = "b", "skatteetaten"
	if orig.Tags[0] != "a" || orig.Referrals[0].Agency != "nav" {
		t.Error("changing the clone changed the original")
	}
}
