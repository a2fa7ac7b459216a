// The judge of the Prism test (test/e2e/lib/prism.js, spec-differences.js) on hand-made exchanges, without Prism:
// an unexplained violation is a problem, a listed difference only explains what it names, and the anyOf summary
// line never hides a failure on its own.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { judge, HEAD_REASON } = require('./lib/prism');
const { V1, LEGACY } = require('./lib/spec-differences');

const exchange = (over, violations) => ({ method: 'GET', path: '/api/v1/status', status: 200, auth: 'apikey', tag: 'buddy', bypassed: null, ...over, violations });
const v = (location, message) => ({ location: location.split('.'), severity: 'Error', message });

describe('judge() of the Prism test', () => {
  it('reports "route not found" and any violation no difference names, as readable lines', () => {
    const { problems, met } = judge(
      [
        exchange({ path: '/api/v1/files/usb/a/b.gcode' }, [v('request', 'Selected route not found')]),
        exchange({}, [v('response.body.printer', "Response body property printer must have required property 'state'")]),
      ],
      V1,
    );
    assert.deepEqual(problems, [
      'GET /api/v1/files/usb/a/b.gcode -> 200: [request] Error: Selected route not found',
      "GET /api/v1/status -> 200: [response.body.printer] Error: Response body property printer must have required property 'state'",
    ]);
    assert.deepEqual(met, []);
  });

  it('a difference explains only its family: `ro` is allowed on Buddy, not on the Pi', () => {
    const ro = v('response.body', "Response body must have required property 'read_only'");
    assert.deepEqual(judge([exchange({ path: '/api/v1/files/usb/x.gcode' }, [ro])], V1).problems, []);
    assert.deepEqual(judge([exchange({ path: '/api/v1/files/local/x.gcode', tag: 'pi' }, [ro])], V1).problems, [
      "GET /api/v1/files/local/x.gcode -> 200: [response.body] Error: Response body must have required property 'read_only'",
    ]);
  });

  it('the anyOf summary is explained only beside its alternatives’ own problems', () => {
    const summary = v('response.body', 'Response body must match a schema in anyOf');
    const alone = judge([exchange({ path: '/api/v1/files/usb/x.gcode' }, [summary])], V1);
    assert.deepEqual(alone.problems, ['GET /api/v1/files/usb/x.gcode -> 200: [response.body] Error: Response body must match a schema in anyOf']);
    const withDetail = judge([exchange({ path: '/api/v1/files/usb/x.gcode' }, [v('response.body', "Response body must have required property 'read_only'"), summary])], V1);
    assert.deepEqual(withDetail.problems, []);
  });

  it('the legacy `usb` target is allowed for Buddy and the MINI, not for the Pi', () => {
    const target = v('request.path.target', 'Request path parameter target must be equal to one of the allowed values: local, sdcard');
    assert.deepEqual(judge([exchange({ path: '/api/files/usb/x.gcode', tag: 'mini-legacy' }, [target])], LEGACY).problems, []);
    assert.equal(judge([exchange({ path: '/api/files/usb/x.gcode', tag: 'pi' }, [target])], LEGACY).problems.length, 1);
  });

  it('lists requests that went around Prism with their reason', () => {
    const { bypassed } = judge([exchange({ method: 'HEAD', path: '/api/v1/files/usb/x.gcode', bypassed: HEAD_REASON }, [])], V1);
    assert.deepEqual(bypassed, [`HEAD /api/v1/files/usb/x.gcode: ${HEAD_REASON}`]);
  });
});
