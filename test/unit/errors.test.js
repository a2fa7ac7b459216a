'use strict';
// Error mapping (src/client/errors.ts): table tests. Inputs are the error bodies and messages the facts document
// quotes (§4.6 upload errors, §6, §7 error bodies and codes, PrusaLinkPy's MINI "Can't start print now"); the
// expected code is what §7 says the answer means. No server.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const e = require('../../dist/client/errors');

const CTX = { method: 'PUT', path: '/api/v1/files/usb/a.gcode', printer: '192.0.2.1:80' };
const buf = (s) => Buffer.from(s, 'utf8');

describe('errors: the printer\'s words (§7 error bodies)', () => {
  const table = [
    ['Buddy JSON', '{"title":"409: Conflict","message":"File already exists"}', 'application/json', 'File already exists'],
    ['Buddy text/plain', '409: Conflict\n\nFile already exists\n', 'text/plain', 'File already exists'],
    ['Pi JSON with url', '{"title":"Not Found","message":"File not found","url":"https://help.prusa3d.com/x"}', 'application/json', 'File not found'],
    ['Pi text/plain with See:', 'FileAlreadyExists\nFile already exists.\n\nSee: https://help.prusa3d.com/x', 'text/plain', 'FileAlreadyExists File already exists.'],
    ['MINI 4.4.1 (PrusaLinkPy README)', "409: Conflict\n\nCan't start print now\n", undefined, "Can't start print now"],
    ['Buddy 401 body', '401: Unauthorized', 'text/plain', '401: Unauthorized'],
    ['Pi 403', 'Bad X-Api-Key.', 'text/plain', 'Bad X-Api-Key.'],
    ['CRLF lines, status line "404 Not Found"', '404 Not Found\r\n\r\nno file\r\n', 'text/plain', 'no file'],
    ['JSON with text only', '{"title":"t","text":"the text"}', 'application/json', 'the text'],
    ['JSON with title only', '{"title":" only title "}', 'application/json', 'only title'],
    ['JSON whose message is blank → the raw text', '{"message":"  "}', 'application/json', '{"message":"  "}'],
    ['JSON message not a string', '{"message":5}', 'application/json', '{"message":5}'],
    ['not JSON after all', '{oops', 'text/plain', '{oops'],
    ['HTML by content type', '<h1>401</h1><p>Unauthorized  access</p>', 'text/html; charset=utf-8', '401 Unauthorized access'],
    ['HTML by doctype', '<!DOCTYPE html><html><head><title>Error page</title><style>p { }</style></head><body><script>x()</script>Body text</body></html>', 'text/plain', 'Body text'],
    ['HTML: a removed block leaves a space between words', '<p>a<style>x</style>b</p>', 'text/html', 'a b'],
    ['plain text that mentions <html> later is not HTML', 'see <html> here', 'text/plain', 'see <html> here'],
    ['JSON after leading whitespace', '  \n{"message":"m"}', 'application/json', 'm'],
    ['indented lines are trimmed', '409: Conflict\n\n   File already exists   \n', 'text/plain', 'File already exists'],
    ['only a line starting with "See:" is dropped', 'Title\nDetails. See: the manual', 'text/plain', 'Title Details. See: the manual'],
    ['a first line with a status later in it is kept', 'Error 409: Conflict\nsecond', 'text/plain', 'Error 409: Conflict second'],
    ['HTML by <html>', '<HTML><TITLE>t</TITLE>hi</HTML>', undefined, 'hi'],
  ];
  for (const [title, body, type, want] of table) {
    it(`${title} → ${JSON.stringify(want)}`, () => assert.equal(e.extractPrinterMessage(buf(body), type), want));
  }
  it('no body, an empty body or only whitespace → no words', () => {
    assert.equal(e.extractPrinterMessage(undefined, 'text/plain'), undefined);
    assert.equal(e.extractPrinterMessage(Buffer.alloc(0), 'text/plain'), undefined);
    assert.equal(e.extractPrinterMessage(buf(' \n '), 'text/plain'), undefined);
    assert.equal(e.extractPrinterMessage(buf('<p> </p>'), 'text/html'), undefined);
    assert.equal(e.extractPrinterMessage(buf('See: https://x'), 'text/plain'), undefined);
  });
  it('a long text is cut at 300 characters; only the first 4096 bytes are read', () => {
    assert.equal(e.extractPrinterMessage(buf('x'.repeat(500)), 'text/plain'), 'x'.repeat(300));
    assert.equal(e.extractPrinterMessage(buf('<p>' + 'y'.repeat(500) + '</p>'), 'text/html'), 'y'.repeat(300));
    assert.equal(e.extractPrinterMessage(buf('a'.repeat(4096) + 'TAIL'), 'text/plain'), 'a'.repeat(300));
    assert.equal(e.extractPrinterMessage(buf(' '.repeat(4096) + 'TAIL'), 'text/plain'), undefined);
  });
  it('a single line that starts with a status is kept whole', () => {
    assert.equal(e.extractPrinterMessage(buf('409: Conflict'), 'text/plain'), '409: Conflict');
  });
});

describe('errors: codeForStatus (§7; 409 told apart by the words of §4.6)', () => {
  const table = [
    [401, undefined, 'AUTH_FAILED'],
    [403, 'Bad X-Api-Key.', 'FORBIDDEN'],
    [404, 'Destination directory does not exist', 'NOT_FOUND'],
    [408, 'Connection timeout', 'TIMEOUT'],
    [409, 'Another transfer in progress', 'TRANSFER_IN_PROGRESS'],
    [409, 'Is a directory or ongoing transfer', 'TRANSFER_IN_PROGRESS'],
    [409, 'Only one file at a time', 'TRANSFER_IN_PROGRESS'],
    [409, 'File already exists', 'FILE_EXISTS'],
    [409, 'FileAlreadyExists', 'FILE_EXISTS'],
    [409, "Directory can't be deleted, because it's not empty.", 'FOLDER_NOT_EMPTY'],
    [409, 'File is busy', 'FILE_BUSY'],
    [409, 'File is being printed', 'FILE_BUSY'],
    [409, 'File is currently printed', 'FILE_BUSY'],
    [409, 'File is being transferred', 'FILE_BUSY'],
    [409, "Can't print right now", 'NOT_READY'],
    [409, "Can't start print now", 'NOT_READY'],
    [409, 'Cannot print', 'NOT_READY'],
    [409, 'Printer not ready', 'NOT_READY'],
    [409, 'NotStateToPrint', 'NOT_READY'],
    [409, 'Conflicting upload path', 'PRINTER_BUSY'],
    [409, undefined, 'PRINTER_BUSY'],
    [405, undefined, 'UNSUPPORTED'],
    [410, 'Gone', 'UNSUPPORTED'],
    [501, undefined, 'UNSUPPORTED'],
    [413, undefined, 'NAME_TOO_LONG'],
    [414, undefined, 'NAME_TOO_LONG'],
    [431, 'File name too long', 'NAME_TOO_LONG'],
    [415, 'Not a GCODE', 'UNSUPPORTED_FILE'],
    [422, 'Filename contains invalid characters', 'INVALID_PATH'],
    [422, undefined, 'INVALID_PATH'],
    [400, 'Name too long', 'NAME_TOO_LONG'],
    [400, 'Forbidden characters in name', 'INVALID_PATH'],
    [400, 'Invalid characters', 'INVALID_PATH'],
    [400, 'Truncated body', 'PROTOCOL'],
    [400, undefined, 'PROTOCOL'],
    [411, undefined, 'PROTOCOL'],
    [500, undefined, 'SERVER_ERROR'],
    [503, 'Upload stopped from connect', 'SERVER_ERROR'],
    [507, 'USB write error or USB full', 'SERVER_ERROR'],
    [499, undefined, 'PROTOCOL'],
    [302, undefined, 'PROTOCOL'],
  ];
  for (const [status, msg, want] of table) it(`${status} ${JSON.stringify(msg ?? '')} → ${want}`, () => assert.equal(e.codeForStatus(status, msg), want));
});

describe('errors: httpError', () => {
  it('Buddy 409 JSON: code, status, the printer\'s words and the request in the error', () => {
    const err = e.httpError(409, buf('{"title":"409: Conflict","message":"File already exists"}'), 'application/json', CTX);
    assert.ok(err instanceof e.PrusaLinkError);
    assert.equal(err.name, 'PrusaLinkError');
    assert.equal(err.code, 'FILE_EXISTS');
    assert.equal(err.status, 409);
    assert.equal(err.printerMessage, 'File already exists');
    assert.equal(err.method, 'PUT');
    assert.equal(err.path, '/api/v1/files/usb/a.gcode');
    assert.equal(err.printer, '192.0.2.1:80');
    assert.equal(err.message, 'PrusaLink 192.0.2.1:80: the printer refused the request in its current state: File already exists (HTTP 409)');
  });
  it('no body: the status text alone; an unknown status: "unexpected answer"', () => {
    const err = e.httpError(507, undefined, undefined, CTX);
    assert.equal(err.message, 'PrusaLink 192.0.2.1:80: the printer storage is full or could not be written (HTTP 507)');
    assert.equal(err.printerMessage, undefined);
    assert.equal(e.httpError(418, undefined, undefined, CTX).message, 'PrusaLink 192.0.2.1:80: unexpected answer (HTTP 418)');
  });
  it('each status of §7 has its own words', () => {
    const words = {
      400: 'the printer rejected the request as malformed',
      401: 'wrong password or API key',
      403: 'access forbidden',
      404: 'not found',
      405: 'method not allowed by this printer',
      408: 'the printer timed out waiting for data',
      409: 'the printer refused the request in its current state',
      410: 'not supported by this printer firmware',
      411: 'the printer needs a Content-Length',
      413: 'request too large for the printer',
      414: 'the request URL is too long for the printer',
      415: 'not a printable file type for this printer',
      422: 'the file name contains characters the printer does not accept',
      431: 'the file name is too long for the printer',
      500: 'the printer reported an internal error',
      501: 'the printer does not implement this (an empty upload?)',
      503: 'the printer is not ready (starting up or its serial link is down)',
      507: 'the printer storage is full or could not be written',
    };
    for (const [status, text] of Object.entries(words)) {
      assert.equal(e.httpError(Number(status), undefined, undefined, { method: 'GET', path: '/', printer: 'p' }).message, `PrusaLink p: ${text} (HTTP ${status})`);
    }
  });
});

describe('errors: PrusaLinkError and its cause', () => {
  const optional = (err) => [err.status, err.printerMessage, err.method, err.path, err.printer];
  it('without details: the bare message and no optional values', () => {
    const err = new e.PrusaLinkError('NO_JOB', 'no job');
    assert.equal(err.message, 'no job');
    assert.equal(err.code, 'NO_JOB');
    assert.deepEqual(optional(err), [undefined, undefined, undefined, undefined, undefined]);
    assert.equal(err.cause, undefined);
  });
  it('status 0 is kept; empty strings are not', () => {
    const err = new e.PrusaLinkError('PROTOCOL', 'm', { status: 0, printerMessage: '', method: '', path: '', printer: '' });
    assert.deepEqual(optional(err), [0, undefined, undefined, undefined, undefined]);
    assert.equal(err.message, 'm');
  });
  it('a cause keeps only its words, name and code: no request config, no headers', () => {
    const axiosLike = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', config: { headers: { 'X-Api-Key': 's3cret' } }, request: { x: 1 } });
    axiosLike.name = 'AxiosError';
    const err = new e.PrusaLinkError('UNREACHABLE', 'down', { cause: axiosLike });
    assert.equal(Object.getOwnPropertyDescriptor(err, 'cause').enumerable, false);
    assert.equal(err.cause.message, 'socket hang up');
    assert.equal(err.cause.name, 'AxiosError');
    assert.equal(err.cause.code, 'ECONNRESET');
    assert.deepEqual(Object.keys(err.cause), ['name', 'code']);
    assert.ok(!util.inspect(err, { depth: 10 }).includes('s3cret'));
  });
  it('a cause that is no object: its string; a cause with a non-string code or name: left out', () => {
    assert.equal(new e.PrusaLinkError('UNREACHABLE', 'x', { cause: 'boom' }).cause.message, 'boom');
    const c = new e.PrusaLinkError('UNREACHABLE', 'x', { cause: { message: 7, code: 7, name: 7 } }).cause;
    assert.equal(c.message, '[object Object]');
    assert.equal(c.name, 'Error');
    assert.equal('code' in c, false);
    assert.equal(new e.PrusaLinkError('UNREACHABLE', 'x', { cause: null }).cause.message, 'null');
  });
  it('isPrusaLinkError with and without a code', () => {
    const err = new e.PrusaLinkError('NOT_FOUND', 'x');
    assert.equal(e.isPrusaLinkError(err), true);
    assert.equal(e.isPrusaLinkError(err, 'NOT_FOUND'), true);
    assert.equal(e.isPrusaLinkError(err, 'TIMEOUT'), false);
    assert.equal(e.isPrusaLinkError(Object.assign(new Error('x'), { code: 'NOT_FOUND' })), false);
  });
  it('ifNotFound: the result, the fallback on NOT_FOUND, any other error passed on', async () => {
    assert.equal(await e.ifNotFound(Promise.resolve(1), 'fb'), 1);
    assert.equal(await e.ifNotFound(Promise.reject(new e.PrusaLinkError('NOT_FOUND', 'x')), 'fb'), 'fb');
    const other = new e.PrusaLinkError('TIMEOUT', 'x');
    await assert.rejects(e.ifNotFound(Promise.reject(other), 'fb'), (x) => x === other);
  });
});

describe('errors: networkError (no HTTP answer)', () => {
  const table = [
    [{ code: 'ETIMEDOUT' }, 'TIMEOUT', 'the printer did not answer in time'],
    [{ code: 'ECONNABORTED' }, 'TIMEOUT', 'the printer did not answer in time'],
    [{ code: 'ESOCKETTIMEDOUT' }, 'TIMEOUT', 'the printer did not answer in time'],
    [{ cause: { code: 'ETIMEDOUT' } }, 'TIMEOUT', 'the printer did not answer in time'],
    [
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      'TLS',
      'TLS certificate not accepted (DEPTH_ZERO_SELF_SIGNED_CERT); if the printer uses a self-signed certificate, enable the allowSelfSigned option',
    ],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'TLS', undefined],
    [{ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'TLS', undefined],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'TLS', undefined],
    [{ code: 'ECONNREFUSED' }, 'UNREACHABLE', 'printer unreachable: connection refused (is the printer on and PrusaLink enabled?)'],
    [{ code: 'EHOSTUNREACH' }, 'UNREACHABLE', 'printer unreachable: host unreachable'],
    [{ code: 'ENETUNREACH' }, 'UNREACHABLE', 'printer unreachable: network unreachable'],
    [{ code: 'ENOTFOUND' }, 'UNREACHABLE', 'printer unreachable: host name not found'],
    [{ code: 'EAI_AGAIN' }, 'UNREACHABLE', 'printer unreachable: host name could not be resolved'],
    [{ code: 'ECONNRESET' }, 'UNREACHABLE', 'printer unreachable: connection reset by the printer'],
    [{ code: 'EPIPE' }, 'UNREACHABLE', 'printer unreachable: connection closed by the printer'],
    [{ code: 'ECONNABORTED_SOCKET' }, 'UNREACHABLE', 'printer unreachable: ECONNABORTED_SOCKET'],
    [{ code: 'EWEIRD' }, 'UNREACHABLE', 'request failed: EWEIRD'],
    [{ message: 'something broke' }, 'UNREACHABLE', 'request failed: something broke'],
    [{}, 'UNREACHABLE', 'request failed: unknown error'],
    [null, 'UNREACHABLE', 'request failed: unknown error'],
  ];
  for (const [err, code, message] of table) {
    it(`${JSON.stringify(err)} → ${code}`, () => {
      const out = e.networkError(err, CTX);
      assert.equal(out.code, code);
      if (message) assert.equal(out.message, `PrusaLink 192.0.2.1:80: ${message}`);
      assert.equal(out.method, 'PUT');
      assert.equal(out.path, '/api/v1/files/usb/a.gcode');
      assert.equal(out.status, undefined);
      assert.ok(out.cause instanceof Error);
    });
  }
});

describe('errors: ABORTED, built in one place (abortedError)', () => {
  // The words each place said before they were gathered here (issue 15): scheduler and transport on close, the
  // transport on a caller's abort, the upload on a caller's abort before and during the transfer.
  const table = [
    ['closed', 'the client was closed'],
    ['request', 'the request was aborted'],
    ['upload', 'the upload was aborted'],
    ['upload-not-started', 'the upload was aborted before it started'],
  ];
  for (const [cause, words] of table) {
    it(`${cause} → ABORTED "${words}", with the request and printer it is given`, () => {
      const out = e.abortedError(cause, CTX);
      assert.ok(out instanceof e.PrusaLinkError);
      assert.equal(out.code, 'ABORTED');
      assert.equal(out.message, `PrusaLink 192.0.2.1:80: ${words}`);
      assert.equal(out.method, 'PUT');
      assert.equal(out.path, '/api/v1/files/usb/a.gcode');
    });
  }
  it('without details: the words alone, no printer', () => {
    const out = e.abortedError('closed');
    assert.equal(out.message, 'the client was closed');
    assert.equal(out.printer, undefined);
  });
});
