'use strict';
const { describe, it, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./flow-helpers');

// The editor's GET /credentials/<type>/<id> route, mounted on the helper's admin app the way
// @node-red/editor-api does, over the runtime's own credentials API.
function mountCredentialsRoute() {
  const flowsApi = require('@node-red/runtime/lib/api/flows');
  const editorCredentials = require('@node-red/editor-api/lib/editor/credentials');
  flowsApi.init({ nodes: h.helper._redNodes, log: { audit() {} } });
  editorCredentials.init({ flows: flowsApi });
  h.helper._httpAdmin.get('/credentials/:type/:id', editorCredentials.get);
}

for (const family of h.FAMILIES) {
  describe(`prusalink-printer on ${family}`, () => {
    let sim;
    beforeEach(async () => {
      // Secrets no key name or setting could contain by chance.
      sim = await h.startSimulator({ family, password: 'S3cret-pass-9f2', apiKey: 'K3y-7d1c-apikey' });
      await h.startServer();
    });
    afterEach(async () => {
      await h.stopServer();
      await sim.stop();
    });

    it('keeps secrets out of the flow: the editor sees only has_*', async () => {
      const { flow, credentials } = h.flowWith(sim, []);
      await h.load(flow, credentials);
      const node = h.helper.getNode('printer1');
      const secret = family === 'mini-legacy' ? sim.credentials.apiKey : sim.credentials.password;
      assert.ok(Object.values(node.credentials).includes(secret));
      mountCredentialsRoute();
      const res = await h.helper.request().get('/credentials/prusalink-printer/printer1').expect(200);
      assert.ok(!JSON.stringify(res.body).includes(secret));
      if (family === 'mini-legacy') assert.equal(res.body.has_apiKey, true);
      else assert.equal(res.body.has_password, true);
      // What the runtime would save to flows.json carries no credentials either.
      const saved = JSON.stringify(h.helper._redNodes.getFlows());
      assert.ok(!saved.includes(secret));
    });

    it('Test connection: success with the dialog values, the stored secret as __PWRD__', async () => {
      const { flow, credentials } = h.flowWith(sim, []);
      await h.load(flow, credentials);
      const cfg = flow[1];
      const body = { id: 'printer1', host: cfg.host, port: cfg.port, protocol: 'http', auth: cfg.auth, timeout: '5' };
      if (family === 'mini-legacy') body.apiKey = '__PWRD__';
      else Object.assign(body, { user: sim.credentials.user || 'maker', password: '__PWRD__' });
      const res = await h.helper.request().post('/prusalink-printer/test').send(body).expect(200);
      assert.equal(res.body.ok, true, JSON.stringify(res.body));
      assert.equal(res.body.family, family);
      assert.equal(res.body.state, 'IDLE');
    });

    it('Test connection: a wrong secret answers ok:false with a code, never echoing the secret', async () => {
      const { flow, credentials } = h.flowWith(sim, []);
      await h.load(flow, credentials);
      const cfg = flow[1];
      const body = { host: cfg.host, port: cfg.port, protocol: 'http', auth: cfg.auth, timeout: '5' };
      const wrong = 'Wr0ngSecret-xyz';
      if (family === 'mini-legacy') body.apiKey = wrong;
      else Object.assign(body, { user: 'maker', password: wrong });
      const res = await h.helper.request().post('/prusalink-printer/test').send(body).expect(200);
      assert.equal(res.body.ok, false);
      // A wrong password (Digest) or API key answers 401 on each of these (facts §2): AUTH_FAILED.
      assert.equal(res.body.code, 'AUTH_FAILED');
      assert.ok(!JSON.stringify(res.body).includes(wrong));
    });
  });
}

describe('prusalink-printer configuration errors', () => {
  beforeEach(h.startServer);
  afterEach(h.stopServer);

  it('a flow node whose printer is missing fails its input with a catchable CONFIG error', async () => {
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'f1' },
      { id: 'st', type: 'prusalink-status', z: 'f1', printer: '', interval: '0', wires: [[]] },
    ];
    await h.load(flow, {});
    const caught = h.nextMsg('caught');
    h.helper.getNode('st').receive({ payload: 1 });
    h.expectCode(await caught, 'CONFIG');
  });

  it('a bad host fails inputs with the client INVALID_ARGUMENT error', async () => {
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'pc', type: 'prusalink-printer', host: 'http://bad host name/', port: 'x', auth: 'apikey' },
      { id: 'catcher', type: 'catch', z: 'f1', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'f1' },
      { id: 'st', type: 'prusalink-status', z: 'f1', printer: 'pc', interval: '0', wires: [[]] },
    ];
    await h.load(flow, { pc: { apiKey: 'k' } });
    const caught = h.nextMsg('caught');
    h.helper.getNode('st').receive({ payload: 1 });
    h.expectCode(await caught, 'INVALID_ARGUMENT');
  });
});
