'use strict';
// User paths (src/client/files/paths.ts): table tests. Expected values from the facts document: printable types (§1),
// percent-encoding each segment and `+` as %2B, `..` refused, the 103-byte upload target and 167/103-character names (§9).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const p = require('../../dist/client/files/paths');
const { PrusaLinkError } = require('../../dist/client/errors');

function throwsCode(fn, code, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof PrusaLinkError, `a PrusaLinkError, got ${e}`);
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

describe('paths: parseUserPath', () => {
  const PI = ['local', 'sdcard'];
  const table = [
    ['/usb/a.gcode', ['usb'], 'usb', { storage: 'usb', segments: ['a.gcode'] }],
    ['usb/DIR/a.gcode', ['usb'], 'usb', { storage: 'usb', segments: ['DIR', 'a.gcode'] }],
    ['/USB/a.gcode', ['usb'], 'usb', { storage: 'usb', segments: ['a.gcode'] }],
    ['a.gcode', ['usb'], 'usb', { storage: 'usb', segments: ['a.gcode'] }],
    ['/sdcard/x.gcode', PI, 'local', { storage: 'sdcard', segments: ['x.gcode'] }],
    ['/dir//x.gcode/', PI, 'local', { storage: 'local', segments: ['dir', 'x.gcode'] }],
    ['/', PI, 'local', { storage: 'local', segments: [] }],
    ['', PI, 'local', { storage: 'local', segments: [] }],
    ['/local', PI, 'local', { storage: 'local', segments: [] }],
    ['/a b+c.gcode', PI, 'local', { storage: 'local', segments: ['a b+c.gcode'] }],
    ['/..x/x..', PI, 'local', { storage: 'local', segments: ['..x', 'x..'] }],
    ['/a~1/b', ['usb'], 'usb', { storage: 'usb', segments: ['a~1', 'b'] }],
  ];
  for (const [path, storages, def, want] of table) {
    it(`${JSON.stringify(path)} → ${JSON.stringify(want)}`, () => assert.deepEqual(p.parseUserPath(path, storages, def), want));
  }

  const refused = [
    [42, 'the path must be a string'],
    ['/a\nb.gcode', 'invalid path "/a\\nb.gcode": it contains a control character'],
    ['/a\u0000b', 'invalid path "/a\\u0000b": it contains a control character'],
    ['/a\u001fb', 'invalid path "/a\\u001fb": it contains a control character'],
    ['/a\u007fb', 'invalid path "/a\u007fb": it contains a control character'],
    ['dir\\a.gcode', 'invalid path "dir\\\\a.gcode": backslashes are not allowed; use "/" between folders'],
    ['~/a.gcode', 'invalid path "~/a.gcode": a leading "~" (home folder) has no meaning on a printer'],
    ['  ~x', 'invalid path "  ~x": a leading "~" (home folder) has no meaning on a printer'],
    ['/usb/../etc', 'invalid path "/usb/../etc": "." and ".." segments are not allowed'],
    ['/usb/./a.gcode', 'invalid path "/usb/./a.gcode": "." and ".." segments are not allowed'],
  ];
  for (const [path, message] of refused) {
    it(`${JSON.stringify(path)} → INVALID_PATH`, () => throwsCode(() => p.parseUserPath(path, ['usb'], 'usb'), 'INVALID_PATH', message));
  }
  it('characters just outside the control range pass: space and "~" inside a name', () => {
    assert.deepEqual(p.parseUserPath('/a ~b\u0080', ['usb'], 'usb'), { storage: 'usb', segments: ['a ~b\u0080'] });
  });
});

describe('paths: encoding and forms', () => {
  it('each segment percent-encoded on its own; "+" → %2B, space → %20, "/" inside none', () => {
    assert.equal(p.encodeSegments(['a b', 'c+d.gcode']), 'a%20b/c%2Bd.gcode');
    assert.equal(p.encodeSegments(['ü#?.gcode']), '%C3%BC%23%3F.gcode');
    assert.equal(p.encodeSegments([]), '');
  });
  it('fullPath and baseName', () => {
    assert.equal(p.fullPath({ storage: 'usb', segments: ['DIR', 'A.GCO'] }), '/usb/DIR/A.GCO');
    assert.equal(p.fullPath({ storage: 'local', segments: [] }), '/local');
    assert.equal(p.baseName({ storage: 'usb', segments: ['DIR', 'A.GCO'] }), 'A.GCO');
    assert.equal(p.baseName({ storage: 'usb', segments: [] }), '');
  });
  it('isBinaryGcode: .bgcode and .bgc in any case, nothing else', () => {
    assert.deepEqual(['a.bgcode', 'a.BGC', 'a.gcode', 'a.bgcode.gcode', 'bgcode'].map(p.isBinaryGcode), [true, true, false, false, false]);
  });
});

describe('paths: printable types per family (§1)', () => {
  const pp = (name) => ({ storage: 'usb', segments: ['d', name] });
  const table = [
    ['buddy', ['a.gcode', 'a.GCO', 'a.gc', 'a.g', 'a.bgcode', 'a.BGC'], ['a.txt', 'a.stl', 'gcode']],
    ['pi', ['a.gcode', 'a.gco', 'a.gc', 'a.G'], ['a.bgcode', 'a.bgc', 'a.txt']],
    ['mini-legacy', ['a.gcode', 'a.gco', 'a.gc', 'a.g'], ['a.bgcode', 'a.bgc']],
  ];
  for (const [family, ok, refused] of table) {
    it(`${family}: ${ok.join(' ')} accepted; ${refused.join(' ')} refused`, () => {
      for (const name of ok) p.checkPrintable(family, pp(name), name);
      for (const name of refused) throwsCode(() => p.checkPrintable(family, pp(name), name), 'UNSUPPORTED_FILE');
    });
  }
  it('the refusal names the file and the accepted types', () => {
    throwsCode(
      () => p.checkPrintable('pi', pp('Part.bgcode'), '/d/Part.bgcode'),
      'UNSUPPORTED_FILE',
      '"Part.bgcode" is not a printable file for this printer (accepted: .gcode .gco .gc .g)',
    );
    throwsCode(
      () => p.checkPrintable('buddy', pp('a.txt'), 'a.txt'),
      'UNSUPPORTED_FILE',
      '"a.txt" is not a printable file for this printer (accepted: .gcode .gco .gc .g .bgcode .bgc)',
    );
  });
  it('a path naming no file is INVALID_PATH', () => {
    throwsCode(() => p.checkPrintable('buddy', { storage: 'usb', segments: [] }, '/usb/'), 'INVALID_PATH', 'invalid path "/usb/": it names no file');
  });
});

describe('paths: upload limits (§9)', () => {
  const seg = (name) => ({ storage: 'usb', segments: [name] });
  it('the constants of §9', () => {
    assert.deepEqual([p.BUDDY_MAX_UPLOAD_TARGET_BYTES, p.BUDDY_MAX_NAME_CHARS, p.MINI_LEGACY_MAX_NAME_CHARS], [103, 167, 103]);
  });
  it('Buddy: "/usb/" + path of exactly 103 bytes passes, 104 bytes is NAME_TOO_LONG', () => {
    const name98 = 'a'.repeat(92) + '.gcode'; // "/usb/" (5) + 98 = 103
    p.checkUploadLimits('buddy', seg(name98), name98);
    const name99 = 'a'.repeat(93) + '.gcode';
    throwsCode(
      () => p.checkUploadLimits('buddy', seg(name99), name99),
      'NAME_TOO_LONG',
      `the upload path "/usb/${name99}" is 104 bytes; this printer takes at most 103 (firmware 6.4 and newer refuse a longer one with 414, older firmware cuts the name short): use a shorter name or folder`,
    );
  });
  it('Buddy: the 103 bytes are UTF-8 bytes, not characters; folders count', () => {
    const name = 'ü'.repeat(47) + '.gcode'; // 94 + 6 = 100 bytes, 53 characters → 105 bytes
    throwsCode(() => p.checkUploadLimits('buddy', seg(name), name), 'NAME_TOO_LONG');
    throwsCode(() => p.checkUploadLimits('buddy', { storage: 'usb', segments: ['d'.repeat(50), 'e'.repeat(50)] }, 'x'), 'NAME_TOO_LONG');
    // "/usb/" (5) + 49 + "/" (1) + 49 = 104: the separator counts.
    throwsCode(() => p.checkUploadLimits('buddy', { storage: 'usb', segments: ['d'.repeat(49), 'e'.repeat(49)] }, 'x'), 'NAME_TOO_LONG');
    p.checkUploadLimits('buddy', { storage: 'usb', segments: ['d'.repeat(48), 'e'.repeat(49)] }, 'x');
  });
  it('Buddy: a name of 168 characters is NAME_TOO_LONG by its length (before the byte check)', () => {
    const name = 'a'.repeat(162) + '.gcode';
    throwsCode(() => p.checkUploadLimits('buddy', seg(name), 'P'), 'NAME_TOO_LONG', 'file name longer than 167 characters: "P"');
  });
  it('Buddy: a 167-character name fails only on the 103-byte target', () => {
    const name = 'a'.repeat(161) + '.gcode';
    throwsCode(() => p.checkUploadLimits('buddy', seg(name), 'P'), 'NAME_TOO_LONG', `the upload path "/usb/${name}" is 172 bytes; this printer takes at most 103 (firmware 6.4 and newer refuse a longer one with 414, older firmware cuts the name short): use a shorter name or folder`);
  });
  it('MINI 4.4: a name of 103 characters passes, 104 is NAME_TOO_LONG; characters, not bytes', () => {
    p.checkUploadLimits('mini-legacy', seg('a'.repeat(97) + '.gcode'), 'x');
    p.checkUploadLimits('mini-legacy', seg('ü'.repeat(97) + '.gcode'), 'x');
    throwsCode(() => p.checkUploadLimits('mini-legacy', seg('a'.repeat(98) + '.gcode'), 'Q'), 'NAME_TOO_LONG', 'file name longer than 103 characters: "Q"');
  });
  // Prusa-Connect-SDK-Printer const.py FORBIDDEN_CHARACTERS, in any segment of the path.
  it('Pi: each forbidden character in a folder or file name is INVALID_PATH, the message naming it and all of them', () => {
    for (const c of ['\\', '?', '"', '%', '¯', '°', '#', 'ˇ']) {
      for (const segments of [['a' + c + '.gcode'], ['d' + c, 'a.gcode']]) {
        throwsCode(
          () => p.checkUploadLimits('pi', { storage: 'local', segments }, 'Q'),
          'INVALID_PATH',
          `invalid path "Q": PrusaLink does not accept the character ${JSON.stringify(c)} in names (nor any of \\ ? " % ¯ ° # ˇ)`,
        );
      }
    }
  });
  // Prusa-Connect-SDK-Printer const.py FILENAME_LENGTH = 248 (bytes of the file name; folders are not limited here).
  it('Pi: a file name of 248 bytes passes, even in a long folder; 249 bytes is NAME_TOO_LONG', () => {
    p.checkUploadLimits('pi', { storage: 'local', segments: ['d'.repeat(300), 'a'.repeat(242) + '.gcode'] }, 'x');
    throwsCode(() => p.checkUploadLimits('pi', seg('a'.repeat(243) + '.gcode'), 'Q'), 'NAME_TOO_LONG', 'file name longer than 248 bytes: "Q"');
  });
});
