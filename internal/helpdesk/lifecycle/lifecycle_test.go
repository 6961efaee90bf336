package lifecycle

import "testing"

// TestEveryPair checks every (from, to) pair against the documented table.
func TestEveryPair(t *testing.T) {
	const (
		y = true
		n = false
	)
	// Rows: from; columns: to, in the order of All.
	want := map[Status][6]bool{
		//          new assigned planned pending solved closed
		New:      {y, y, y, y, y, n},
		Assigned: {y, y, y, y, y, n},
		Planned:  {y, y, y, y, y, n},
		Pending:  {y, y, y, y, y, n},
		Solved:   {y, y, n, n, y, y},
		Closed:   {n, n, n, n, n, y},
	}
	if len(want) != len(All) {
		t.Fatal("table does not cover every status")
	}
	for _, from := range All {
		for i, to := range All {
			if got := Allowed(from, to); got != want[from][i] {
				t.Errorf("%s -> %s: allowed=%v, want %v", from, to, got, want[from][i])
			}
		}
	}
	for _, bad := range []Status{"", "open", "NEW"} {
		for _, s := range All {
			if Allowed(bad, s) || Allowed(s, bad) {
				t.Errorf("unknown status %q allowed with %s", bad, s)
			}
		}
	}
}

func TestHelpers(t *testing.T) {
	if len(Names()) != 6 || !Valid("pending") || Valid("open") {
		t.Fatal("names")
	}
	if got := Next(Solved); len(got) != 3 || got[0] != New || got[1] != Assigned || got[2] != Closed {
		t.Fatalf("next of solved: %v", got)
	}
	if len(Next(Closed)) != 0 {
		t.Fatal("closed is final")
	}
	if !IsOpen(Pending) || IsOpen(Solved) || IsOpen(Closed) {
		t.Fatal("IsOpen")
	}
	if !NeedsOwner(Planned) || NeedsOwner(Pending) || NeedsOwner(New) {
		t.Fatal("NeedsOwner")
	}
	if Reopened(true) != Assigned || Reopened(false) != New {
		t.Fatal("Reopened")
	}
}
