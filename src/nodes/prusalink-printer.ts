/**
 * Config node `prusalink-printer`: where the printer is and how to log in. It owns the one client and
 * the one status poller for its printer; flow nodes share both (like core 10-mqtt.js shares a broker).
 */
import type { NodeAPI } from 'node-red';
import { PrusaLinkClient } from '../client';
import type { CodedError, PollWatcher, PrinterCredentials, PrinterDef, PrinterNode } from './types';
import { PrinterPoller } from './printer-poller';
import { UNAUTHORIZED, outageState } from './status-events';
import { asCodedError, codedError } from './errors';
import { DEFAULT_POLL_S, MIN_POLL_S, clientOptions, seconds } from './printer-options';
import { addressKey, registerTestEndpoint } from './printer-test-endpoint';
import { registerFilePickerEndpoint } from './file-picker-endpoint';

/** Failed polls in a row before the printer counts as offline. */
const DOWN_AFTER = 3;
const MAX_BACKOFF_MS = 60_000;

export = function (RED: NodeAPI) {
  function PrusaLinkPrinter(this: PrinterNode, config: PrinterDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    let client: PrusaLinkClient | null = null;
    let configError: CodedError | null = null;
    // An empty host is a printer not configured (yet): a farm instance's unused slot, whose host comes from an
    // environment variable that is not set. Node-RED 3.1 leaves such a "${VAR}" as it is when the value is empty, so
    // a placeholder left unfilled counts as empty. It polls nothing and logs nothing; a msg sent to one of its nodes
    // still gets the error.
    node.configured = !/^(\$\{[^}]*\})?$/.test(String(config.host ?? '').trim());
    try {
      if (!node.configured) throw codedError('INVALID_ARGUMENT', 'the printer host is empty');
      client = new PrusaLinkClient(clientOptions(config, node.credentials || {}));
    } catch (err) {
      configError = asCodedError(err);
      if (node.configured) node.error(RED._('prusalink-printer.errors.config', { message: configError.message }));
    }
    node.printerName = config.name || client?.label || String(config.host || '');
    node.addressKey = addressKey(config);
    node.pollIntervalMs = Math.max(MIN_POLL_S, seconds(config.pollInterval, DEFAULT_POLL_S) || DEFAULT_POLL_S) * 1000;

    // A status node added while the printer is down (a "modified nodes" deploy) is told of the outage
    // once the flows have started, when Catch nodes can hear it; the poller hands us the telling.
    const deferred: Array<() => void> = [];
    const tellDeferred = () => deferred.splice(0).forEach((tell) => tell());
    const listenForStart = () => {
      RED.events.removeListener('flows:started', tellDeferred);
      RED.events.once('flows:started', tellDeferred);
    };

    const poller = client
      ? new PrinterPoller(() => (client as PrusaLinkClient).status(), {
          downAfter: DOWN_AFTER,
          maxBackoffMs: MAX_BACKOFF_MS,
          onDown: (err) => {
            const about = { printer: node.printerName, code: err.code };
            const refused = outageState(err) === UNAUTHORIZED;
            node.warn(refused ? RED._('prusalink-printer.log.unauthorized', about) : RED._('prusalink-printer.log.offline', about));
          },
          onUp: () => node.warn(RED._('prusalink-printer.log.online', { printer: node.printerName })),
          deferNotice: (tell) => {
            deferred.push(tell);
            listenForStart();
          },
        })
      : null;

    node.getClient = () => {
      if (client) return client;
      throw configError || codedError('CONFIG', RED._('prusalink-printer.errors.noClient'));
    };
    // Without a client, watchers hear the configuration error instead of a poll. Not from inside their
    // constructor: Catch nodes join a flow only once every node of it is built, so the error is told
    // when the flows have started.
    const unusable = new Set<PollWatcher>();
    const tellUnusable = () => {
      for (const watcher of unusable) if (configError) watcher.onPoll({ kind: 'down', error: configError });
      unusable.clear();
    };
    if (!client && node.configured) RED.events.once('flows:started', tellUnusable);

    node.watch = (watcher: PollWatcher, intervalMs: number) => {
      if (poller) poller.watch(watcher, Math.max(MIN_POLL_S * 1000, intervalMs));
      else if (node.configured) unusable.add(watcher);
    };
    node.unwatch = (watcher: PollWatcher) => {
      unusable.delete(watcher);
      poller?.unwatch(watcher);
    };

    node.on('close', (done: () => void) => {
      RED.events.removeListener('flows:started', tellUnusable);
      RED.events.removeListener('flows:started', tellDeferred);
      deferred.length = 0;
      unusable.clear();
      poller?.stop();
      client?.close();
      done();
    });
  }

  RED.nodes.registerType<PrinterNode, PrinterDef, unknown, PrinterCredentials>('prusalink-printer', PrusaLinkPrinter, {
    credentials: {
      apiKey: { type: 'password' },
      user: { type: 'text' },
      password: { type: 'password' },
    },
  });

  registerTestEndpoint(RED);
  registerFilePickerEndpoint(RED);
};
