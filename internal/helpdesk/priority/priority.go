// Package priority turns a ticket's impact and urgency into its priority through a
// configurable matrix, as ITIL describes and GLPI does.
package priority

import (
	"encoding/json"
	"fmt"
)

// Levels of impact and urgency: 1 (very low) to 5 (very high).
const (
	MinLevel = 1
	MaxLevel = 5
	// Major (6) is above anything the matrix gives by default; a site may use it in
	// its own matrix for the "very high x very high" cell.
	Major = 6
)

// Matrix gives the priority of each (urgency, impact) pair: Matrix[urgency-1][impact-1].
type Matrix [MaxLevel][MaxLevel]int

// Default is GLPI's default matrix (its priority_matrix setting), which follows the
// ITIL table: priority grows with both axes, symmetric, 1..5.
func Default() Matrix {
	return Matrix{
		{1, 1, 2, 2, 2},
		{1, 2, 2, 3, 3},
		{2, 2, 3, 4, 4},
		{2, 3, 4, 4, 5},
		{2, 3, 4, 5, 5},
	}
}

// Compute gives the priority of an impact and an urgency; out-of-range levels give 0.
func (m Matrix) Compute(impact, urgency int) int {
	if !ValidLevel(impact) || !ValidLevel(urgency) {
		return 0
	}
	return m[urgency-1][impact-1]
}

// ValidLevel reports whether n is an impact or urgency level.
func ValidLevel(n int) bool { return n >= MinLevel && n <= MaxLevel }

// Validate checks that every cell holds a priority 1..6.
func (m Matrix) Validate() error {
	for u := range m {
		for i, p := range m[u] {
			if p < 1 || p > Major {
				return fmt.Errorf("urgency %d, impact %d: priority %d is not between 1 and %d", u+1, i+1, p, Major)
			}
		}
	}
	return nil
}

// Parse reads a matrix written as a JSON array of 5 rows (urgency 1..5) of 5 cells
// (impact 1..5), and validates it. Anything else (wrong shape, 25 cells missing) is
// refused rather than padded.
func Parse(s string) (Matrix, error) {
	var rows [][]int
	if err := json.Unmarshal([]byte(s), &rows); err != nil {
		return Matrix{}, fmt.Errorf("a priority matrix is a JSON array of 5 arrays of 5 integers: %v", err)
	}
	return FromRows(rows)
}

// FromRows checks the shape of rows and makes a matrix.
func FromRows(rows [][]int) (Matrix, error) {
	var m Matrix
	if len(rows) != MaxLevel {
		return m, fmt.Errorf("a priority matrix has %d rows (urgency 1 to %d), not %d", MaxLevel, MaxLevel, len(rows))
	}
	for u, row := range rows {
		if len(row) != MaxLevel {
			return m, fmt.Errorf("urgency %d: %d cells (impact 1 to %d) expected, not %d", u+1, MaxLevel, MaxLevel, len(row))
		}
		copy(m[u][:], row)
	}
	return m, m.Validate()
}

// Rows is the matrix as nested slices, its JSON form.
func (m Matrix) Rows() [][]int {
	out := make([][]int, MaxLevel)
	for u := range m {
		out[u] = append([]int(nil), m[u][:]...)
	}
	return out
}

// String is the matrix's JSON form, as stored.
func (m Matrix) String() string {
	b, _ := json.Marshal(m.Rows())
	return string(b)
}
