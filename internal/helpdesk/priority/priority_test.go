package priority

import "testing"

func TestDefaultMatrix(t *testing.T) {
	m := Default()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	// Spot checks against GLPI's default, and the ITIL shape: symmetric, monotonic.
	for _, c := range []struct{ impact, urgency, want int }{
		{1, 1, 1}, {2, 1, 1}, {3, 1, 2}, {5, 1, 2}, {3, 3, 3}, {4, 3, 4}, {4, 4, 4}, {5, 4, 5}, {5, 5, 5}, {1, 5, 2},
	} {
		if got := m.Compute(c.impact, c.urgency); got != c.want {
			t.Errorf("impact %d urgency %d: %d, want %d", c.impact, c.urgency, got, c.want)
		}
	}
	for u := 1; u <= 5; u++ {
		for i := 1; i <= 5; i++ {
			if m.Compute(i, u) != m.Compute(u, i) {
				t.Errorf("not symmetric at %d,%d", i, u)
			}
			if i < 5 && m.Compute(i+1, u) < m.Compute(i, u) {
				t.Errorf("priority falls when impact rises at %d,%d", i, u)
			}
		}
	}
	for _, bad := range [][2]int{{0, 3}, {6, 3}, {3, 0}, {3, 6}} {
		if m.Compute(bad[0], bad[1]) != 0 {
			t.Errorf("out of range %v gives a priority", bad)
		}
	}
}

func TestParse(t *testing.T) {
	m, err := Parse(Default().String())
	if err != nil || m != Default() {
		t.Fatalf("round trip: %v %v", m, err)
	}
	changed := Default()
	changed[4][4] = Major
	m, err = Parse(changed.String())
	if err != nil || m.Compute(5, 5) != 6 {
		t.Fatalf("changed matrix: %v %v", m, err)
	}
	for _, bad := range []string{
		``, `{}`, `[]`, `[[1,1,1,1,1]]`,
		`[[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1]]`,
		`[[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1,1]]`,
		`[[0,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1]]`,
		`[[7,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1]]`,
		`[[1.5,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1]]`,
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
