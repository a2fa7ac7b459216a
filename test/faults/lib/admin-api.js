'use strict';
// The editor's own admin routes (GET/POST /flows, GET /credentials/:type/:id), taken from the Node-RED
// under test and mounted on the test helper's admin app, which has none of them. Deploys then go the
// way the editor sends them (credentials inline on the node), and what the editor and an export can
// see is what these routes answer. Also records what the runtime hands to storage: flows.json and
// flows_cred.json as they would be written.
const path = require('node:path');
const { helper } = require('../../nodes/flow-helpers');

const nrDir = path.dirname(require.resolve('node-red/package.json', { paths: [path.dirname(process.env.NR_PATH || require.resolve('node-red'))] }));
const from = (id) => require(require.resolve(id, { paths: [nrDir] }));

/** Wraps the helper's runtime init so that every save of the flows is recorded in `saved`. */
function recordSaves() {
  const saved = [];
  const redNodes = helper._redNodes;
  const init = redNodes.init;
  redNodes.init = function (runtime) {
    const storage = runtime.storage;
    const save = storage.saveFlows.bind(storage);
    storage.saveFlows = (conf, user) => {
      saved.push(JSON.parse(JSON.stringify(conf)));
      return save(conf, user);
    };
    return init.call(this, runtime);
  };
  return { saved, restore: () => (redNodes.init = init) };
}

/** Mounts the routes on the helper's admin app (call after helper.load, which creates that app). */
function mountAdminRoutes() {
  const runtimeFlowsApi = from('@node-red/runtime/lib/api/flows');
  const RED = helper._RED;
  runtimeFlowsApi.init({ log: RED.log, flows: helper._redNodes, nodes: helper._redNodes, settings: helper._settings });
  const runtimeApi = { flows: runtimeFlowsApi };
  const flows = from('@node-red/editor-api/lib/admin/flows');
  const credentials = from('@node-red/editor-api/lib/editor/credentials');
  flows.init(runtimeApi);
  credentials.init(runtimeApi);
  const app = helper._httpAdmin;
  app.get('/flows', flows.get);
  app.post('/flows', flows.post);
  app.get('/credentials/:type/:id', credentials.get);
}

module.exports = { recordSaves, mountAdminRoutes };
