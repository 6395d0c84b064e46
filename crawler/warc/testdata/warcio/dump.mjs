// Prints, as JSON, how Webrecorder's warcio (warcio.js) reads a WARC file:
// node dump.mjs FILE
//
// The file is parsed twice with warcio's WARCParser: once without HTTP parsing,
// for each record's whole content block, offset and length; once with it, for
// the HTTP status line and the payload after the HTTP headers. Digests here are
// SHA-1 in hex, computed by node over the bytes warcio hands back.
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { WARCParser } from "warcio";

const file = process.argv[2];
if (!file) {
  console.error("usage: node dump.mjs FILE");
  process.exit(2);
}

const sha1 = (bytes) => createHash("sha1").update(bytes).digest("hex");

async function blocks() {
  const out = [];
  const parser = new WARCParser(createReadStream(file), { parseHttp: false, keepHeadersCase: true });
  for await (const record of parser) {
    const block = await record.readFully(false);
    out.push({
      type: record.warcType,
      targetURI: record.warcTargetURI ?? "",
      recordID: record.warcHeader("WARC-Record-ID") ?? "",
      warcinfoID: record.warcHeader("WARC-Warcinfo-ID") ?? "",
      concurrentTo: record.warcConcurrentTo ?? [],
      date: record.warcDate ?? "",
      contentType: record.warcContentType ?? "",
      contentLength: record.warcContentLength,
      blockLength: block.length,
      blockSHA1: sha1(block),
      blockDigest: record.warcBlockDigest ?? "",
      payloadDigest: record.warcPayloadDigest ?? "",
      offset: parser.offset,
      length: parser.recordLength,
    });
  }
  return out;
}

async function payloads(records) {
  const parser = new WARCParser(createReadStream(file), { parseHttp: true, keepHeadersCase: true });
  let i = 0;
  for await (const record of parser) {
    const rec = records[i++];
    if (!rec || rec.recordID !== (record.warcHeader("WARC-Record-ID") ?? "")) {
      throw new Error(`second pass out of step at record ${i}`);
    }
    if (record.httpHeaders) {
      const payload = await record.readFully(false);
      rec.http = {
        statusLine: record.httpHeaders.statusline,
        status: record.warcType === "request" ? 0 : Number(record.httpHeaders.statusCode),
        method: record.warcType === "request" ? record.httpHeaders.method : "",
        payloadLength: payload.length,
        payloadSHA1: sha1(payload),
      };
    } else {
      await record.skipFully();
    }
  }
  if (i !== records.length) {
    throw new Error(`second pass read ${i} records, first ${records.length}`);
  }
}

const records = await blocks();
await payloads(records);
process.stdout.write(JSON.stringify({ records }, null, 1) + "\n");
