package store

// Rebind is rebind, for the tests of package store_test.
var Rebind = rebind
