package ui

import (
	"net/http"
	"strconv"
)

// RefilePage shows what re-filing the software catalogue through the saved
// dictionary rules moves: the entries renamed, and those merged into another.
type RefilePage struct {
	Base
	Moves []RefileMove
	// RulesHref goes back to the dictionary.
	RulesHref string
}

// RefileMove is one entry that moves, as shown.
type RefileMove struct {
	Name, Publisher, NewName, NewPublisher, Into, IntoHref, Href, Version, Installations string
}

func (u *UI) refilePreview(c *req) error {
	moves, err := u.Inventory.PreviewRefile(c.R.Context(), c.Actor, nil)
	if err != nil {
		return err
	}
	p := &RefilePage{Base: u.base(c, c.T("ui.refile.title"), "/software-rules"), RulesHref: "/software-rules"}
	for _, m := range moves {
		v := RefileMove{Name: m.Name, Publisher: m.Publisher, NewName: m.NewName, NewPublisher: m.NewPublisher, Version: m.Version,
			Href: "/software/" + strconv.FormatInt(m.ID, 10), Installations: fmtInt(c.Lang, m.Installations)}
		if m.Into != 0 {
			v.Into, v.IntoHref = m.NewName, "/software/"+strconv.FormatInt(m.Into, 10)
		}
		p.Moves = append(p.Moves, v)
	}
	return u.renderPage(c, http.StatusOK, "refile", p)
}
