// Package warc writes and reads WARC files (WARC/1.1, ISO 28500:2017), the
// archive in which the crawler keeps every HTTP exchange it makes. The archive
// is the source of truth: `baotinh reindex` rebuilds everything else from it.
//
// # Writing
//
// A Writer writes into a directory, one file at a time, named
//
//	<prefix>-<UTC yyyymmddhhmmss>-<5-digit sequence>.warc.gz
//
// Each file starts with a warcinfo record (application/warc-fields: software,
// format, conformsTo, then Options.Info; WARC-Filename gives the file's name).
// Each record is compressed as its own gzip member, so that a record can be read
// by the offset of its member alone (ReadAt), and each member is written to the
// file by a single write before the call that wrote it returns: if the process
// dies, the file holds every record written before, and at most the exchange
// being written is lost, as a partial last member the Reader reports. With
// Options.Sync each write is also fsynced, which survives a machine crash too.
// A write that fails is cut back out of the file. Once a file holds
// Options.MaxSize bytes, the next write closes it (fsynced) and starts the next
// file: the exchange that crossed the limit stays whole in the old one. A Writer
// opened on a directory that already holds files numbers its files after
// them and never writes into an existing file.
//
// WriteExchange writes one fetch as a request record, a response record and,
// when given, a metadata record (application/json), with one WARC-Date and one
// WARC-Target-URI, the request and the metadata naming the response in
// WARC-Concurrent-To. Every record gets a WARC-Record-ID (a random version 4
// UUID as <urn:uuid:...>), WARC-Warcinfo-ID, Content-Length and
// WARC-Block-Digest; request and response records get WARC-Payload-Digest.
// Choices this package makes where the standard leaves room or tools differ:
//
//   - WARC-Date is written in UTC to the second (2006-01-02T15:04:05Z), the form
//     WARC 1.0 requires and every reader accepts; fractions of a second are read.
//   - Digests are SHA-1 in base32, "sha1:" followed by 32 letters and digits, as
//     GNU Wget, Heritrix and warcprox write them. The reader also checks sha256,
//     sha512 and md5 digests, in base32 or hex (warcio.js writes sha256 in hex).
//   - The payload digested is the HTTP message body as transferred: every byte
//     after the blank line that ends the HTTP headers, still chunked if the
//     server sent it chunked. WARC 1.1's text says to remove transfer encodings
//     first; Wget and warcio digest the raw bytes as this package does, and for
//     the usual response with a Content-Length the two readings agree.
//   - WARC-Target-URI is the fetched URL percent-encoded per RFC 3986 as the
//     standard requires (see EscapeURI): a Vietnamese path such as /tin-tức
//     is written /tin-t%E1%BB%A9c, the form GNU Wget and warcio write too. It is
//     written without angle brackets; the reader accepts both.
//
// # Reading
//
// A Reader reads plain WARC files and gzip-compressed ones, whether each record
// is its own member, several records share one, or the whole file is one gzip
// stream. Record.Offset is the offset of a record's gzip member (or, in a plain
// file, of its first byte), as ReadAt takes it and as CDX indexes record it.
// Reading a record's Body to its end checks its WARC-Block-Digest (ErrDigest).
// Headers keep the order and the case of their fields; Header.Get is
// case-insensitive. The reader never allocates by a length the file declares,
// so a damaged or hostile file cannot make it run out of memory.
//
// When a file ends inside a record, as after a crash, the Reader returns every
// complete record before it and then an error wrapping ErrTruncated that names
// the record and its offset; input that is not WARC, or gzip data that fails its
// checks, gives an error wrapping ErrCorrupt. ReadHTTPResponse parses a response
// record's block, leaving the body's bytes as they were recorded.
package warc
