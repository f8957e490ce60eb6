package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Readability scores blocks by their text, so boilerplate that sits inside
// the article's container (an ad between two paragraphs, a share bar, a
// paywall notice) or that looks like prose (a cookie banner, a comment)
// survives it. prune removes such blocks beforehand by what the markup says
// they are: their element, ARIA role, or a word of their class or id.
//
// Measured on the fixtures in testdata/pages: readability alone leaked 15
// planted boilerplate snippets, with pruning 0 (see extract_test.go).

// pruneTags are elements that never hold the article's text.
var pruneTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Button: true,
	atom.Dialog: true, atom.Noscript: true, atom.Iframe: true, atom.Template: true, atom.Svg: true,
	atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Label: true, atom.Figcaption: true,
}

// pruneCustom are AMP and web-component elements for ads, consent and menus.
var pruneCustom = map[string]bool{"amp-ad": true, "amp-consent": true, "amp-sidebar": true, "amp-social-share": true, "amp-embed": true, "amp-sticky-ad": true}

// pruneRoles are ARIA roles of page furniture.
var pruneRoles = map[string]bool{"navigation": true, "banner": true, "contentinfo": true, "complementary": true, "dialog": true, "alertdialog": true, "search": true}

// pruneWords are class or id words (split at spaces, "-" and "_") naming
// boilerplate, in English and French; a word starting with one counts.
var pruneWords = []string{
	"ad", "ads", "adslot", "advert", "pub", "publicite", "sponsor", "promo", "outbrain", "taboola", "inread", "encart",
	"share", "sharing", "partage", "social", "newsletter", "signup", "subscribe", "abonnement", "paywall", "premium",
	"cookie", "consent", "gdpr", "cmp", "didomi", "rgpd", "comment", "commentaire", "reagir", "respond",
	"related", "recommend", "most", "plus", "rail", "sidebar", "widget", "breadcrumb", "tags", "bio", "ticker",
	"popup", "modal", "skip", "teaser", "cta", "prehome", "menu", "topbar", "pied", "footer", "header", "masthead",
}

// prune removes boilerplate elements from the tree rooted at n. An element
// that holds the article itself (an <article>, an <h1>, an articleBody) is
// never removed, whatever its class says: "content has-sidebar" wrappers
// must survive.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && isBoilerplate(c) && !holdsArticle(c) {
			n.RemoveChild(c)
		} else {
			prune(c)
		}
		c = next
	}
}

// isBoilerplate reports whether the element's markup names it furniture.
func isBoilerplate(n *html.Node) bool {
	if pruneTags[n.DataAtom] || pruneCustom[n.Data] {
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			if pruneRoles[strings.ToLower(a.Val)] {
				return true
			}
		case "aria-modal":
			if a.Val == "true" {
				return true
			}
		case "class", "id":
			if hasPruneWord(a.Val) {
				return true
			}
		}
	}
	return false
}

// hasPruneWord splits a class or id value into words and matches them.
func hasPruneWord(v string) bool {
	words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
	})
	for _, w := range words {
		for _, p := range pruneWords {
			// Short words must match whole ("ad" is not "adresse");
			// longer ones may start a word ("sharedaddy", "relatedposts").
			if w == p || (len(p) >= 4 && strings.HasPrefix(w, p)) {
				return true
			}
		}
	}
	return false
}

// holdsArticle reports whether n is or contains the article's container.
func holdsArticle(n *html.Node) bool {
	if n.DataAtom == atom.Article || n.DataAtom == atom.H1 || n.DataAtom == atom.Main || n.DataAtom == atom.Body {
		return true
	}
	for _, a := range n.Attr {
		if a.Key == "itemprop" && a.Val == "articleBody" {
			return true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && holdsArticle(c) {
			return true
		}
	}
	return false
}
