// Package kb is the knowledge base: articles in Markdown with categories, an
// audience (public FAQ for requesters, internal notes for technicians, per
// organisation), full revisions that can be restored, and links to tickets.
package kb

import (
	"parc/internal/helpdesk"
	"parc/internal/record"
)

// Visibilities of an article: public ones are the requesters' FAQ.
const (
	Public   = "public"
	Internal = "internal"
)

// MaxBody is the largest article body, in characters.
const MaxBody = 200000

// Types returns the knowledge-base record types.
func Types() []*record.Type {
	return []*record.Type{
		{Name: "kb-categories", Table: "kb_categories", Singular: "kb_category", Area: record.AreaSettings, Scope: record.OrgScoped, NameField: "name",
			Fields: []*record.Field{
				{Name: "name", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "parent_id", Kind: record.Ref, Ref: "kb-categories", Sort: true, List: true},
				{Name: "comment", Kind: record.LongText},
			},
			Hooks: record.Hooks{BeforeWrite: categoryBeforeWrite}},
		{Name: "kb-articles", Table: "kb_articles", Singular: "kb_article", Area: helpdesk.Area, Scope: record.OrgScoped, NameField: "title",
			Fields: []*record.Field{
				{Name: "title", Kind: record.Text, Required: true, Search: true, Sort: true, List: true},
				{Name: "body", Kind: record.LongText, Max: MaxBody, Label: "field.kb_body"},
				{Name: "category_id", Kind: record.Ref, Ref: "kb-categories", Sort: true, List: true},
				{Name: "visibility", Kind: record.Enum, Options: []string{Internal, Public}, Required: true, Default: Internal, Sort: true, List: true},
				// recursive: readers of the sub-organisations see the article too.
				{Name: "recursive", Kind: record.Bool, Default: false, Label: "field.kb_recursive", List: true},
				{Name: "language", Kind: record.Enum, Options: []string{"fr", "en"}, Sort: true, List: true},
				{Name: "published", Kind: record.Bool, Default: false, Sort: true, List: true},
				// Not user_id: that would make "own records" rights key on the author.
				{Name: "author_id", Kind: record.Ref, Ref: "users", Label: "field.author", ReadOnly: true, Sort: true},
				{Name: "views", Kind: record.Int, ReadOnly: true, NoHistory: true, Default: int64(0), Sort: true},
			},
			ReadScope: readScope,
			Hooks:     record.Hooks{BeforeWrite: articleBeforeWrite, AfterWrite: articleAfterWrite}},
		{Name: "kb-article-tickets", Table: "kb_article_tickets", Singular: "kb_article_ticket", Scope: record.OrgScoped, NoTrash: true,
			NameField: "article_id", DefaultSort: "id", LabelSQL: "'#' || CAST(article_id AS TEXT) || ' / #' || CAST(ticket_id AS TEXT)",
			OrgFrom: "ticket_id",
			Fields: []*record.Field{
				{Name: "article_id", Kind: record.Ref, Ref: "kb-articles", Required: true, Sort: true, List: true},
				{Name: "ticket_id", Kind: record.Ref, Ref: "tickets", Required: true, Sort: true, List: true},
			},
			Hooks: record.Hooks{BeforeWrite: linkBeforeWrite}},
	}
}
