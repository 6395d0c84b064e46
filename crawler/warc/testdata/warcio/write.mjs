// Writes a WARC file with Webrecorder's warcio (warcio.js), for crawler/warc's
// reader to read: node write.mjs SPEC.json OUT.warc.gz
//
// SPEC.json: {"base": "https://...", "date": "2026-...Z",
//             "pages": [{"path": "/...", "contentType": "...", "body": "<base64>"}]}
// Output: a warcinfo record, then per page a response and a request record
// (the request WARC-Concurrent-To the response), then a metadata record; each
// record one gzip member, digests as warcio makes them (sha256, hex).
import { readFileSync, writeFileSync } from "node:fs";
import { WARCRecord, WARCSerializer } from "warcio";

const [specFile, outFile] = process.argv.slice(2);
if (!specFile || !outFile) {
  console.error("usage: node write.mjs SPEC.json OUT.warc.gz");
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specFile, "utf8"));
const warcVersion = "WARC/1.1";

async function* chunks(bytes) {
  // Hand the body over in pieces, as a stream would.
  for (let i = 0; i < bytes.length; i += 1000) {
    yield bytes.subarray(i, i + 1000);
  }
}

const records = [
  WARCRecord.createWARCInfo(
    { filename: outFile.split("/").pop(), warcVersion, date: spec.date },
    { software: "warcio.js (crawler/warc interop test)", format: "WARC File Format 1.1" },
  ),
];
for (const page of spec.pages) {
  const body = Buffer.from(page.body, "base64");
  const url = spec.base + page.path;
  const response = WARCRecord.create(
    {
      url,
      date: spec.date,
      type: "response",
      warcVersion,
      statusline: "HTTP/1.1 200 OK",
      httpHeaders: { "Content-Type": page.contentType, "Content-Length": String(body.length) },
    },
    chunks(body),
  );
  const request = WARCRecord.create(
    {
      url,
      date: spec.date,
      type: "request",
      warcVersion,
      statusline: `GET ${new URL(url).pathname} HTTP/1.1`,
      httpHeaders: { Host: new URL(url).host, "User-Agent": "warcio.js" },
      warcHeaders: { "WARC-Concurrent-To": response.warcHeader("WARC-Record-ID") },
    },
    chunks(new Uint8Array()),
  );
  records.push(response, request);
}
records.push(
  WARCRecord.create(
    {
      url: spec.base + "/",
      date: spec.date,
      type: "metadata",
      warcVersion,
      warcHeaders: { "Content-Type": "application/json" },
    },
    chunks(new TextEncoder().encode(JSON.stringify({ ghi_chú: "Tệp thử nghiệm do warcio.js ghi" }))),
  ),
);

const parts = [];
for (const record of records) {
  parts.push(await WARCSerializer.serialize(record, { gzip: true }));
}
writeFileSync(outFile, Buffer.concat(parts));
