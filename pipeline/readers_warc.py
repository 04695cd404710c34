"""Web archives (WARC, as crawlers and Common Crawl write them) -> records, with warcio.

The file is read record by record, so memory does not grow with its size (CC-NEWS files
are about 1 GB). Every HTTP 200 response whose content is HTML is one article; every
other record (requests, images, redirects, metadata, revisits) is skipped and counted.
warcio reads a truncated file without a word, so the reader checks each record it reads
against the length the record declares, and the end of the last record against the end
of the file: what is lost becomes a reject, what was read is kept.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.readers import InputError, Record, Reject, Skipped, failure_reason
from pipeline.readers_html import MAX_HTML_BYTES, article_from_html, decode_page

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Characters of the readable part of a doc_id made from a URL; hex digits follow it.
_NOT_SLUG = re.compile(r"[^A-Za-z0-9]+")
SLUG_CHARS = 80
DIGEST_CHARS = 16  # 64 bits: no two URLs of a billion-page crawl are likely to share one


def url_doc_id(url: str) -> str:
    """A doc_id for a page's URL: readable (host and path), stable (the same URL always
    gives the same id), unique (a hash of the whole URL ends it) and a safe file name as
    it is (letters, digits and hyphens only; see pipeline.paths.safe_file_name)."""
    parts = urlsplit(url)
    readable = unicodedata.normalize("NFKD", unquote(parts.netloc + parts.path)).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", readable)[:SLUG_CHARS].strip("-")
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_CHARS]
    return f"{slug}-{digest}" if slug else digest


# What warcio raises for a damaged archive (a gzip member cut short raises nothing: see
# the module docstring).
_DAMAGED = (ArchiveLoadFailed, zlib.error, EOFError, ValueError)
# How much of a truncated tail is read to name the record lost there.
_LOST_HEAD_BYTES = 1 << 16
_TARGET_URI = re.compile(rb"^WARC-Target-URI:\s*<?([^\s>]+)", re.MULTILINE)


@dataclass(frozen=True)
class _Page:
    """An HTML response's payload, read but not yet extracted."""

    doc_id: str
    url: str
    payload: bytes
    charset: str | None


def read_warc_file(path: Path) -> Iterator[Record | Reject | Skipped]:
    size = path.stat().st_size
    end = 0  # where the last complete record ends
    damage = None  # what warcio said when it could read no further
    with path.open("rb") as handle:
        archive = ArchiveIterator(handle)
        records = iter(archive)
        while True:
            try:
                record = next(records, None)
                if record is None:
                    break
                if end == 0 and record.format != "warc":
                    raise InputError("not a readable WARC file (it does not start with a WARC record)")
                content = _content(record)
                # warcio knows where a record starts once it has read it to its end.
                archive.read_to_end(record)
                source = f"{path}@{archive.get_record_offset()}"
            except _DAMAGED as exc:
                damage = " ".join(str(exc).split())[:200]
                break
            missing = getattr(record.raw_stream, "limit", 0)
            if missing:
                what = record.rec_headers.get_header("WARC-Target-URI") or f"{record.rec_type} record"
                declared = int(record.length)
                yield Reject(source, f"truncated WARC record ({what}): {declared - missing} of {declared} bytes", doc_id=getattr(content, "doc_id", None))
            else:
                yield _article(content, source) if isinstance(content, _Page) else replace(content, source=source)
            end = archive.get_record_offset() + archive.get_record_length()
        handle.seek(end)
        left = handle.read(_LOST_HEAD_BYTES)
    # An uncompressed record's length leaves out the blank lines that close it.
    if not left.strip():
        return
    if end == 0:
        raise InputError(f"not a readable WARC file ({damage or 'no complete record'})")
    url = _target_uri(left)
    held = f", holding the record of {url}" if url else ""
    cause = f"; {damage}" if damage else ""
    yield Reject(
        f"{path}@{end}",
        f"WARC cut short or damaged here: the last {size - end} bytes{held} cannot be read (lost{cause})",
        doc_id=url_doc_id(url) if url else None,
    )


def _content(record) -> _Page | Reject | Skipped:
    """What a record holds for us: an HTML page to extract, or the reason it is none
    (a Skipped or Reject whose ``source`` the caller fills in)."""
    source = ""
    if not record.rec_type:
        return Reject(source, "malformed WARC record: no WARC-Type header")
    if record.rec_type != "response" or record.http_headers is None:
        return Skipped(source, f"WARC {record.rec_type} record")
    status = record.http_headers.get_statuscode()
    if status != "200":
        return Skipped(source, f"HTTP {status} response")
    mime, _, parameters = (record.http_headers.get_header("Content-Type") or "").partition(";")
    mime = mime.strip().lower()
    if mime not in HTML_TYPES:
        return Skipped(source, f"{mime or 'untyped'} response")
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:
        return Reject(source, "HTML response without a WARC-Target-URI: no URL to name the article by")
    doc_id = url_doc_id(url)
    try:
        payload = _read_at_most(record.content_stream(), MAX_HTML_BYTES + 1)
    except Exception as exc:  # warcio's content decoders (chunked, gzip, brotli) raise several types
        return Reject(source, f"cannot decode the response content ({type(exc).__name__}: {exc})"[:300], doc_id=doc_id)
    if len(payload) > MAX_HTML_BYTES:
        return Reject(source, f"HTML page is over the limit of {MAX_HTML_BYTES} bytes for a page", doc_id=doc_id)
    return _Page(doc_id, url, payload, _charset(parameters))


def _target_uri(head: bytes) -> str | None:
    """The WARC-Target-URI of the record that ``head`` (gzipped or not) starts, if readable."""
    try:
        head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head) if head[:2] == b"\x1f\x8b" else head
    except zlib.error:
        return None
    match = _TARGET_URI.search(head)
    return match[1].decode("utf-8", "replace") if match else None


def _read_at_most(stream, limit: int) -> bytes:
    """Up to ``limit`` bytes of ``stream``: warcio's reads return one buffer at a time."""
    chunks, total = [], 0
    while total < limit and (chunk := stream.read(min(1 << 16, limit - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _article(page: _Page, source: str) -> Record | Reject:
    try:
        html, warnings = decode_page(page.payload, page.charset)
        return article_from_html(html, doc_id=page.doc_id, source=source, url=page.url, warnings=warnings)
    except InputError as exc:
        return Reject(source, str(exc), doc_id=page.doc_id)
    except Exception as exc:  # the extractor's fault on a strange page costs this page, not the rest of the archive
        return Reject(source, failure_reason("reading failed", exc), doc_id=page.doc_id)


def _charset(parameters: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", parameters, re.IGNORECASE)
    return match[1] if match else None
