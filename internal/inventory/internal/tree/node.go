// Package tree reads agent documents, XML or JSON, into one small element tree under
// the limits of inventory.Limits, so that the protocols that share a structure (the
// FusionInventory sections, found again in OCS XML and GLPI JSON) share the code that
// maps it.
//
// The tree follows the XML shape: an element has a name, a trimmed text and children;
// a list is a run of siblings with the same name. JSON is read into the same shape:
// object keys become upper-case element names, and the elements of an array become
// siblings named after the array's key.
package tree

import "iter"

// Node is one element.
type Node struct {
	Name     string
	Text     string
	Children []*Node
}

// Child returns the first child with the given name, or nil.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Value returns the text of the first of the named children that has some, or "".
// Several names serve fields that the formats spell differently.
func (n *Node) Value(names ...string) string {
	if n == nil {
		return ""
	}
	for _, name := range names {
		for _, c := range n.Children {
			if c.Name == name && c.Text != "" {
				return c.Text
			}
		}
	}
	return ""
}

// Field is Value that also tells which of the names held the value (the first name
// when none did).
func (n *Node) Field(names ...string) (name, value string) {
	if n != nil {
		for _, name := range names {
			for _, c := range n.Children {
				if c.Name == name && c.Text != "" {
					return name, c.Text
				}
			}
		}
	}
	if len(names) > 0 {
		name = names[0]
	}
	return name, ""
}

// Each iterates over the children with the given name.
func (n *Node) Each(name string) iter.Seq[*Node] {
	return func(yield func(*Node) bool) {
		if n == nil {
			return
		}
		for _, c := range n.Children {
			if c.Name == name && !yield(c) {
				return
			}
		}
	}
}

// Empty reports whether the element carries nothing: no text, and no child that
// carries anything.
func (n *Node) Empty() bool {
	if n == nil || n.Text != "" {
		return n == nil
	}
	for _, c := range n.Children {
		if !c.Empty() {
			return false
		}
	}
	return true
}
