package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"parc/internal/record"
)

// suggest answers a reference picker (static/picker.js) with JSON: the records a
// field may take (/ui/suggest/{type}/{field}), or records of a type
// (/ui/suggest/{type}, a ticket's asset), matching q, within the organisation org
// of the record being written and the user's rights.
func (u *UI) suggest(w http.ResponseWriter, r *http.Request) {
	c := u.newReq(w, r)
	if c.Actor == nil || c.Sess == nil {
		http.Error(w, "sign in first", http.StatusUnauthorized)
		return
	}
	t, ok := u.App.Reg.Type(r.PathValue("type"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := record.SuggestQuery{Text: r.URL.Query().Get("q")}
	q.Org, _ = strconv.ParseInt(r.URL.Query().Get("org"), 10, 64)
	var res []record.Suggestion
	var err error
	field := r.PathValue("field")
	if field != "" && r.URL.Query().Get("for") == "filter" {
		res, err = u.App.Records.SuggestFilter(r.Context(), c.Actor, t, field, q) // a list filter's value
	} else if field != "" {
		res, err = u.App.Records.SuggestRef(r.Context(), c.Actor, t, field, q)
	} else {
		res, err = u.App.Records.SuggestRecords(r.Context(), c.Actor, t, q)
	}
	if err != nil {
		status := http.StatusInternalServerError
		if e, ok := record.AsError(err); ok {
			status = e.Code.HTTPStatus()
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(res)
}

// pickerText is the suffix of a picker's visible input: the field's own name
// carries the chosen id, name+pickerText the text shown, name+pickerWas the text
// that id was shown as. Without JavaScript the id is not updated as the user
// types: a text that differs from pickerWas is resolved on the server.
const (
	pickerText = "__text"
	pickerWas  = "__was"
)

// pickedID turns a picker's posted values into the reference's id: the posted id
// when its text is unchanged, "" when the text was cleared, else the one record
// matching the text (exactly by label, or the only suggestion). ok is false when
// the text matches none or several: the form asks to choose in the list.
func pickedID(id, text, was string, org int64, resolve func(record.SuggestQuery) ([]record.Suggestion, error)) (string, bool, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", true, nil
	case text == strings.TrimSpace(was) && id != "":
		return id, true, nil
	}
	res, err := resolve(record.SuggestQuery{Text: text, Org: org, Limit: record.MaxSuggestions})
	if err != nil {
		return "", false, err
	}
	for _, s := range res {
		if strings.EqualFold(s.Label, text) {
			return strconv.FormatInt(s.ID, 10), true, nil
		}
	}
	if len(res) == 1 {
		return strconv.FormatInt(res[0].ID, 10), true, nil
	}
	return "", false, nil
}
