package record

// RefuseCycles is a BeforeWrite hook for tree types (categories...): a record's
// parent, read through field, may be neither the record itself nor one of its
// descendants. It reports msg on the field; trees deeper than 64 are not followed.
func RefuseCycles(field, msg string) func(w *Write) error {
	return func(w *Write) error {
		parent := w.New.Int(field)
		if w.Create || parent == 0 || (w.Old != nil && Equal(w.Old.Values[field], w.New.Values[field])) {
			return nil
		}
		q := "SELECT " + field + " FROM " + w.Type.Table + " WHERE id = ?"
		for depth := 0; parent != 0 && depth < 64; depth++ {
			if parent == w.New.ID {
				w.Errors.Add(field, msg)
				return nil
			}
			var next *int64
			if err := w.Tx.QueryRowContext(w.Ctx, q, parent).Scan(&next); err != nil {
				return err
			}
			parent = 0
			if next != nil {
				parent = *next
			}
		}
		return nil
	}
}
