// Package crawler collects the articles of Vietnamese provincial newspapers
// politely and keeps them verbatim.
//
// A site is described by a Profile (embedded JSON files for Báo Hà Tĩnh and
// Báo Sơn La; users add papers with a file of the same shape). Discovery reads
// robots.txt, sitemaps, feeds and listing pages; fetching is per-host polite
// (robots.txt obeyed, Crawl-delay, Retry-After, retries with backoff,
// conditional GET); every exchange is archived in WARC files (package
// crawler/warc), which are the source of truth; the crawl state (bbolt) makes
// crawls resumable and incremental; and ParseArticle turns a page into an
// extract.Article, field by field from the first layer that has it: JSON-LD,
// meta tags, the site's selectors, a generic fallback. Replay reads the
// archived articles back, parsed again by the parser of the day, for
// `baotinh reindex`; ArchivedAt reads one by where the crawl state says it is.
//
// This is the only package that imports colly and goquery.
package crawler
