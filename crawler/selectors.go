package crawler

// Selectors are the CSS selectors of a site's own layer in the parser, kept as
// data in the site's profile. Each is tried in order; the first that matches
// something supplies the field.
type Selectors struct {
	Title     []string `json:"title,omitempty"`
	Lead      []string `json:"lead,omitempty"`
	Body      []string `json:"body,omitempty"`
	Caption   []string `json:"caption,omitempty"`
	Author    []string `json:"author,omitempty"`
	Published []string `json:"published,omitempty"`
	Modified  []string `json:"modified,omitempty"`
	Category  []string `json:"category,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	// Drop lists elements removed before any text is read (ads, players,
	// related-article boxes inside the body).
	Drop []string `json:"drop,omitempty"`
	// StopAt lists elements at which the body ends (comment widgets, "Tin mới").
	StopAt []string `json:"stop_at,omitempty"`
}
