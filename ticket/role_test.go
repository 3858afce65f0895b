package ticket

import "testing"

func TestRoleAllows(t *testing.T) {
	tests := []struct {
		name string
		have Role
		need Role
		want bool
	}{
		{"AdminAll", RoleAdmin, RoleAdmin, true},
		{"AdminAgent", RoleAdmin, RoleAgent, true},
		{"AdminReader", RoleAdmin, RoleReader, true},
		{"AgentAgent", RoleAgent, RoleAgent, true},
		{"AgentReader", RoleAgent, RoleReader, true},
		{"ErrAgentAdmin", RoleAgent, RoleAdmin, false},
		{"ReaderReader", RoleReader, RoleReader, true},
		{"ErrReaderAgent", RoleReader, RoleAgent, false},
		{"ErrReaderAdmin", RoleReader, RoleAdmin, false},
		{"ErrUnknownHave", Role("sjef"), RoleReader, false},
		{"ErrEmptyHave", Role(""), RoleReader, false},
		{"ErrUnknownNeed", RoleAdmin, Role("sjef"), false},
		{"ErrEmptyNeed", RoleAdmin, Role(""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.have.Allows(tt.need); got != tt.want {
				t.Errorf("%q.Allows(%q) = %v, want %v", tt.have, tt.need, got, tt.want)
			}
		})
	}
}

func TestRoleValid(t *testing.T) {
	for _, r := range Roles {
		if !r.Valid() {
			t.Errorf("%q is listed in Roles but not valid", r)
		}
	}
	for _, r := range []Role{"", "sjef", "Leser", "reader"} {
		if r.Valid() {
			t.Errorf("%q is valid, want not", r)
		}
	}
	u := &User{Email: "les@ks.no", Name: "Les", Role: RoleReader}
	if err := u.Validate(); err != nil {
		t.Errorf("a reader: %v", err)
	}
	u.Role = "sjef"
	if err := u.Validate(); err == nil || ErrorMessage(err) == "" {
		t.Error("an unknown role was accepted")
	}
}
