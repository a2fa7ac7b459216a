// Where the printers (and so our simulator) differ from Prusa's specs, as data: each entry names the section of
// /work/shared/docs/prusalink-api.md that documents the difference, why it is allowed, and which of Prism's
// violations it explains. A violation that none of these explains fails the Prism test: either the simulator is
// wrong (fix it), or the facts document misses a difference (document it there first, then add it here).
'use strict';

const filesV1 = /^\/api\/v1\/files\//;
const has = (v, text) => String(v.message).includes(text);
const at = (v, where) => (v.location || [])[0] === where;
const isSummary = (v) => /must match (a|exactly one) schema in (anyOf|oneOf)/.test(String(v.message));

/**
 * Not a difference: the summary line Prism adds when no alternative of an anyOf matched. Each alternative's own
 * problems are reported beside it (at the same or a deeper location) and judged one by one, so the summary is
 * explained exactly when such details exist; alone it would mean an unexplained failure, and stays a problem.
 */
const SUMMARY = {
  section: '(Prism)',
  name: 'anyOf summary line; the alternatives’ own problems are judged separately',
  explains: (e, v) => {
    if (!isSummary(v)) return false;
    const loc = (v.location || []).join('.');
    return e.violations.some((o) => o !== v && !isSummary(o) && (o.location || []).join('.').startsWith(loc));
  },
};

const COMMON = [
  {
    section: '§10 error body',
    name: 'errors are {title, message} (Pi adds url); the spec wants Error {code, title, text, url}',
    explains: (e, v) => e.status >= 400 && at(v, 'response') && has(v, "required property 'text'"),
  },
  {
    section: '§10 error body',
    name: 'Buddy sends no Content-Location with an error',
    explains: (e, v) => e.tag !== 'pi' && e.status >= 400 && has(v, "required property 'content-location'"),
  },
];

/** openapi.yaml (v1), Buddy and Pi PrusaLink. */
const V1 = [
  SUMMARY,
  ...COMMON,
  {
    section: '§10 /api/version',
    name: 'Buddy (up to 6.4) sends no version, printer or firmware; Pi PrusaLink no version or printer',
    explains: (e, v) =>
      e.path === '/api/version' &&
      at(v, 'response') &&
      (e.tag === 'pi' ? /required property '(version|printer)'/ : /required property '(version|printer|firmware)'/).test(v.message),
  },
  {
    section: '§10 file read-only flag',
    name: 'Buddy calls the read-only flag `ro`, the spec `read_only`',
    explains: (e, v) => e.tag === 'buddy' && filesV1.test(e.path) && at(v, 'response') && has(v, "required property 'read_only'"),
  },
  {
    section: '§4.6 (Buddy folder body)',
    name: 'Buddy sends no m_timestamp for the /usb root',
    explains: (e, v) =>
      e.tag === 'buddy' && /^\/api\/v1\/files\/usb\/?$/.test(e.path) && v.location.join('.') === 'response.body' && has(v, "required property 'm_timestamp'"),
  },
  {
    section: '§10 upload Content-Type',
    name: 'uploads are sent as text/x.gcode (the Pi needs it, Buddy ignores it); the spec allows only application/octet-stream',
    explains: (e, v) =>
      e.method === 'PUT' && filesV1.test(e.path) && at(v, 'request') && has(v, 'Supported content types') && e.contentType !== 'application/octet-stream',
  },
  {
    section: '§4 (table: GET files, typical errors 404)',
    name: 'a missing file is 404; the spec lists only 200 and 401 for GET',
    explains: (e, v) => e.method === 'GET' && filesV1.test(e.path) && e.status === 404 && has(v, 'Unable to match the returned status code'),
  },
  {
    section: '§10 status.storage',
    name: 'Pi PrusaLink sends status.storage as an array',
    explains: (e, v) => e.tag === 'pi' && e.path === '/api/v1/status' && v.location.join('.') === 'response.body.storage' && has(v, 'must be object'),
  },
  {
    section: '§10 /api/v1/transfer size',
    name: 'Pi PrusaLink sends the transfer size as an integer',
    explains: (e, v) => e.tag === 'pi' && e.path === '/api/v1/transfer' && v.location.join('.') === 'response.body.size' && has(v, 'must be string'),
  },
  {
    section: '§10 info.port',
    name: 'Pi PrusaLink sends info.port as the HTTP port, an integer',
    explains: (e, v) => e.tag === 'pi' && e.path === '/api/v1/info' && v.location.join('.') === 'response.body.port' && has(v, 'must be string'),
  },
  {
    section: '§10 GET /api/v1/job',
    name: 'Pi PrusaLink reports the printer state (e.g. STOPPED → IDLE) in job.state',
    explains: (e, v) => e.tag === 'pi' && e.path === '/api/v1/job' && v.location.join('.') === 'response.body.state' && has(v, 'allowed values'),
  },
];

/** Only with Digest: the exchange that asks for the challenge, and Prism's syntax-only Digest check (§10 note). */
const V1_DIGEST = [
  {
    section: '§10 security',
    name: 'Digest starts with a request without credentials, answered 401 with the challenge',
    explains: (e, v) => e.auth === 'none' && e.status === 401 && (has(v, 'Invalid security scheme used') || has(v, 'Unable to match the returned status code')),
  },
  {
    section: '§2 (table: no credentials), §7',
    name: 'Pi PrusaLink answers the Digest challenge (401) with an HTML page; the spec has text/plain or JSON',
    explains: (e, v) => e.tag === 'pi' && e.status === 401 && has(v, 'The received media type "text/html'),
  },
  {
    section: '§10 note under the table',
    name: 'Prism checks Digest by syntax only and rejects the RFC 7616 form with unquoted qop/nc',
    explains: (e, v) => e.auth === 'digest' && e.status < 400 && has(v, 'Invalid security scheme used'),
  },
];

/** openapi-legacy.yaml: Buddy's and the Pi's legacy endpoints, and MINI 4.4.1 (which has only these). */
const LEGACY = [
  SUMMARY,
  ...COMMON,
  {
    section: '§6 GET /api/files, §4.6',
    name: 'Buddy and the MINI name their storage `usb` (/api/files/usb/...); the legacy spec allows local and sdcard',
    explains: (e, v) => e.tag !== 'pi' && /^\/api\/files\/usb(\/|$)/.test(e.path) && v.location.join('.') === 'request.path.target',
  },
  {
    section: '§6 POST /api/files/usb/<path>',
    name: 'Buddy and the MINI start a print with {"command":"start"} only (select → 400); the spec has select, copy, move',
    explains: (e, v) => e.tag !== 'pi' && e.method === 'POST' && v.location.join('.') === 'request.body.command',
  },
  {
    section: '§6 multipart POST /api/files/local',
    name: 'the MINI takes the parts file and print only (the name is the file part’s filename, `path` is ignored); the other alternative is a folder',
    explains: (e, v) =>
      e.tag === 'mini-legacy' && e.method === 'POST' && e.path === '/api/files/local' && at(v, 'request') && /required property '(path|foldername)'/.test(v.message),
  },
  {
    section: '§6 (last paragraph)',
    name: 'MINI 4.4.1 offers only version, printer, job, files and the upload: /api/transfer is 404',
    explains: (e, v) => e.tag === 'mini-legacy' && e.path === '/api/transfer' && e.status === 404 && has(v, 'Unable to match the returned status code'),
  },
];

module.exports = { V1, V1_DIGEST, LEGACY };
