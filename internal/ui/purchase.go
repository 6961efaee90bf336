package ui

import "net/http"

// registerPurchase adds purchasing's pages.
func (u *UI) registerPurchase(mux *http.ServeMux) {
	if u.Purchase == nil {
		return
	}
}
