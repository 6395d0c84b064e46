package sitegen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ContentType returns the Content-Type the fixture server sends for a file:
// by extension; an HTML page whose <meta> declares a charset other than
// UTF-8 gets "text/html" with no charset, so that the client must read the meta.
func ContentType(name string, content []byte) string {
	switch {
	case strings.HasSuffix(name, ".gz"):
		return "application/octet-stream"
	case strings.HasSuffix(name, ".html"), strings.HasSuffix(name, ".amp"), strings.HasSuffix(name, ".htm"):
		if cs := MetaCharset(content); cs != "" && !strings.EqualFold(cs, "utf-8") {
			return "text/html"
		}
		return "text/html; charset=utf-8"
	case strings.HasSuffix(name, ".xml"):
		return "application/xml"
	case strings.HasSuffix(name, ".rss"):
		return "application/rss+xml"
	case strings.HasSuffix(name, ".txt"):
		return "text/plain; charset=utf-8"
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	case strings.HasSuffix(name, ".pdf"):
		return "application/pdf"
	case strings.HasSuffix(name, ".jpg"):
		return "image/jpeg"
	}
	return "application/octet-stream"
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset=["']?([A-Za-z0-9_-]+)`)

// MetaCharset returns the charset an HTML page declares in its head, or "".
func MetaCharset(b []byte) string {
	if len(b) > 2048 {
		b = b[:2048]
	}
	if m := metaCharset.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// fixedModTime is the Last-Modified base of files with no time of their own;
// serve derives a stable per-file time from the content.
var fixedModTime = time.Date(2026, 1, 10, 8, 0, 0, 0, time.UTC)

// serveContent writes one file's response with ETag and Last-Modified
// computed from its content, answering conditional requests with 304.
func serveContent(w http.ResponseWriter, r *http.Request, name string, content []byte) {
	sum := sha256.Sum256(content)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	mod := fixedModTime.Add(-time.Duration(uint64(sum[8])<<8|uint64(sum[9])) * time.Minute).Truncate(time.Second)
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Last-Modified", mod.Format(http.TimeFormat))
	h.Set("Content-Type", ContentType(name, content))
	h.Set("Cache-Control", "max-age=60")
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == etag || t == "W/"+etag || t == "*" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !mod.After(t) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(content)
	}
}

// Handler serves a generated site directory (e.g. testdata/sites/baohatinh):
// the URL path maps to a file as FileFor says ("/" is index.html,
// "/chinh-tri/" is chinh-tri/index.html, the query is ignored). Content
// types go by extension (see ContentType): .xml.gz is sent as raw gzip bytes,
// application/octet-stream, with no Content-Encoding. ETag and Last-Modified
// are computed from the content; If-None-Match and If-Modified-Since get
// 304. Anything missing, and anything but GET or HEAD, is an error (404, 405).
func Handler(root string) http.Handler {
	return serve(func(name string) ([]byte, bool) {
		if strings.Contains(name, "..") {
			return nil, false
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		return b, err == nil
	})
}

// FSHandler serves a site from a file system (an embedded mirror) exactly
// as Handler serves it from disk.
func FSHandler(fsys fs.FS) http.Handler {
	return serve(func(name string) ([]byte, bool) {
		if !fs.ValidPath(name) {
			return nil, false
		}
		b, err := fs.ReadFile(fsys, name)
		return b, err == nil
	})
}

// TreeHandler serves one site of an in-memory Tree (paths prefixed by
// site+"/") exactly as Handler serves it from disk.
func TreeHandler(t Tree, site string) http.Handler {
	return serve(func(name string) ([]byte, bool) {
		b, ok := t[site+"/"+name]
		return bytes.Clone(b), ok
	})
}

// serve answers GET and HEAD with the file lookup finds for the request's
// path (FileFor), 404 when there is none.
func serve(lookup func(name string) ([]byte, bool)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
			p += "/"
		}
		name := FileFor(p)
		b, ok := lookup(name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		serveContent(w, r, name, b)
	})
}
