'use strict';
// The admin endpoint behind the path fields' autocomplete: GET /prusalink-printer/<id>/files?path=<folder>,
// through the deployed config node's client, over the test helper's real admin HTTP app.
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../nodes/flow-helpers');

const SEED = {
  'top level file.gcode': 'G28\n',
  'A folder with a long name/Long bracket name.gcode': 'G28\n',
};

/**
 * The test helper grants every permission. This wraps the printer module so that RED.auth.needsPermission
 * behaves as Node-RED's does for a user holding only the permissions in the `x-test-permissions` header,
 * and records which permission each route asked for.
 */
const asked = [];
function withPermissions(RED) {
  RED.auth.needsPermission = (permission) => {
    asked.push(permission);
    return (req, res, next) => {
      const held = String(req.headers['x-test-permissions'] ?? '*').split(',');
      if (held.includes('*') || held.includes(permission)) return next();
      res.status(401).end();
    };
  };
  return h.NODES.printer(RED);
}

function loadWithPermissions(flow, credentials) {
  return new Promise((resolve, reject) => {
    const nodes = [withPermissions, ...Object.values(h.NODES).filter((n) => n !== h.NODES.printer)];
    h.helper.load(nodes, flow, credentials, (err) => (err ? reject(err) : resolve()));
  });
}

for (const family of ['buddy', 'pi']) {
  describe(`file picker endpoint on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      sim = await h.startSimulator({ family, files: SEED });
      await h.startServer();
      const { flow, credentials } = h.flowWith(sim, []);
      await loadWithPermissions(flow, credentials);
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it('lists the storage root: folders and files, long names to show, paths to use', async () => {
      const res = await h.helper.request().get('/prusalink-printer/printer1/files').expect(200);
      // Buddy: FAT 8.3 paths on `usb` with the long names beside them (facts §4.6); Pi PrusaLink: real names on `local`.
      const [storage, folderName, fileName] = family === 'buddy' ? ['/usb', 'AFOLDE~1', 'TOPLEV~1.GCO'] : ['/local', 'A folder with a long name', 'top level file.gcode'];
      assert.deepEqual(res.body, {
        path: storage,
        entries: [
          { path: `${storage}/${folderName}`, display_path: `${storage}/A folder with a long name`, name: folderName, display_name: 'A folder with a long name', folder: true },
          { path: `${storage}/${fileName}`, display_path: `${storage}/top level file.gcode`, name: fileName, display_name: 'top level file.gcode', folder: false },
        ],
      });
    });

    it('lists a folder given by the path it offered, and the same folder by its long name', async () => {
      const root = await h.helper.request().get('/prusalink-printer/printer1/files').expect(200);
      const folder = root.body.entries.find((e) => e.folder);
      for (const path of [folder.path, folder.display_path]) {
        const res = await h.helper.request().get('/prusalink-printer/printer1/files').query({ path }).expect(200);
        const fileName = family === 'buddy' ? 'LONGBR~1.GCO' : 'Long bracket name.gcode';
        assert.deepEqual(
          res.body,
          {
            path: folder.path,
            entries: [
              {
                path: `${folder.path}/${fileName}`,
                display_path: `${folder.display_path}/Long bracket name.gcode`,
                name: fileName,
                display_name: 'Long bracket name.gcode',
                folder: false,
              },
            ],
          },
          `listing ${path}`,
        );
      }
    });

    it('a folder that does not exist: 404 with the client\'s code', async () => {
      const res = await h.helper.request().get('/prusalink-printer/printer1/files').query({ path: 'no such folder' }).expect(404);
      assert.equal(res.body.code, 'NOT_FOUND');
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(sim.credentials.password));
    });

    it('an id that is not a deployed printer: 404 NOT_DEPLOYED, and no request reaches the printer', async () => {
      sim.control.clearRequests();
      const res = await h.helper.request().get('/prusalink-printer/not-deployed-yet/files').expect(404);
      assert.equal(res.body.code, 'NOT_DEPLOYED');
      assert.match(res.body.message, /deploy/);
      assert.equal(h.apiRequests(sim).length, 0);
    });

    it('needs prusalink-printer.read: refused without it, answered with it', async () => {
      assert.ok(asked.includes('prusalink-printer.read'));
      await h.helper.request().get('/prusalink-printer/printer1/files').set('x-test-permissions', 'flows.read').expect(401);
      await h.helper.request().get('/prusalink-printer/printer1/files').set('x-test-permissions', 'prusalink-printer.read').expect(200);
    });
  });
}
