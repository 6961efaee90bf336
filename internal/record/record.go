package record

import (
	"bytes"
	"encoding/json"
	"sort"
	"time"
)

// Record is one row of any type.
type Record struct {
	Type      *Type
	ID        int64
	OrgID     int64 // 0 for global types
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt *time.Time
	// Values holds each field's Go value (see Kind); nil is empty.
	Values map[string]any
	// Display holds the labels of referenced records, by field name.
	Display map[string]string
}

// Get returns a field's value.
func (r *Record) Get(field string) any { return r.Values[field] }

// String returns a field's value as text.
func (r *Record) String(field string) string { return Format(r.Values[field]) }

// Int returns an integer or reference field, 0 when empty.
func (r *Record) Int(field string) int64 {
	n, _ := r.Values[field].(int64)
	return n
}

// Bool returns a boolean field, false when empty.
func (r *Record) Bool(field string) bool {
	b, _ := r.Values[field].(bool)
	return b
}

// Label is the record's display name.
func (r *Record) Label() string {
	if l := r.Display["_self"]; l != "" {
		return l
	}
	return r.String(r.Type.NameField)
}

func (r *Record) clone() *Record {
	c := *r
	c.Values = make(map[string]any, len(r.Values))
	for k, v := range r.Values {
		c.Values[k] = v
	}
	c.Display = nil
	return &c
}

// MarshalJSON writes the record as a flat snake_case object in field order.
func (r *Record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"id":`)
	b.WriteString(Format(r.ID))
	if r.Type.Scope == OrgScoped {
		b.WriteString(`,"organization_id":`)
		b.WriteString(Format(r.OrgID))
	} else if r.Type.Scope == OrgShared {
		b.WriteString(`,"organization_id":`)
		if r.OrgID == 0 {
			b.WriteString("null") // shared by every organisation
		} else {
			b.WriteString(Format(r.OrgID))
		}
	}
	w := func(k string, v any) {
		b.WriteString(`,"`)
		b.WriteString(k)
		b.WriteString(`":`)
		j, _ := json.Marshal(v)
		b.Write(j)
	}
	w("version", r.Version)
	w("created_at", r.CreatedAt.UTC().Format(time.RFC3339))
	w("updated_at", r.UpdatedAt.UTC().Format(time.RFC3339))
	if r.DeletedAt != nil {
		w("deleted_at", r.DeletedAt.UTC().Format(time.RFC3339))
	}
	for _, f := range r.Type.Fields {
		if f.Hidden {
			continue
		}
		v := r.Values[f.Name]
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(time.RFC3339)
		}
		w(f.Name, v)
	}
	if len(r.Display) > 0 {
		keys := make([]string, 0, len(r.Display))
		for k := range r.Display {
			if k != "_self" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		b.WriteString(`,"display":{`)
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kj, _ := json.Marshal(k)
			vj, _ := json.Marshal(r.Display[k])
			b.Write(kj)
			b.WriteByte(':')
			b.Write(vj)
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
