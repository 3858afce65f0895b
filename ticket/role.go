package ticket

// Roles lists the roles in the order an admin is offered them.
var Roles = []Role{RoleAgent, RoleAdmin, RoleReader}

// RoleChoice is the sentence for a role that is not one of Roles.
const RoleChoice = "Rollen må være «admin», «agent» eller «leser»."

// rank orders the roles by what they allow; 0 is no role at all.
func (r Role) rank() int {
	switch r {
	case RoleReader:
		return 1
	case RoleAgent:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Allows reports whether r may do what the role need may: an admin may do all an agent may,
// and an agent all a reader may. An unknown role allows nothing.
func (r Role) Allows(need Role) bool { return need.Valid() && r.rank() >= need.rank() }

// Label is the role as people read it.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administrator"
	case RoleAgent:
		return "Saksbehandler"
	case RoleReader:
		return "Leser (bare statistikk)"
	}
	return string(r)
}
