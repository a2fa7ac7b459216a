/** The PrusaLink printer simulator: real HTTP on loopback, faithful to Buddy, MINI 4.4.1 and Pi PrusaLink. */
import { randomBytes } from 'node:crypto';
import { createControl, createControlHandler } from './control';
import { buddyFamily } from './families/buddy';
import type { FamilyHandler } from './families/family';
import { piFamily } from './families/pi';
import { resolveOptions } from './options';
import { SimRuntime } from './runtime';
import { SimServer } from './server';
import type { SimFamily, SimOptions, SimPrinter } from './types';

export type { SimFamily, SimOptions, SimFaults, RecordedRequest, SimControl, SimPrinter, SimSituation } from './types';
export type { SimState } from './model/types';
/** Sample G-code and binary G-code with real slicer headers and thumbnails: files to seed a printer for demos and tests. */
export { makeSampleGcode, makeSampleBgcode } from './model/sample-gcode';
export type { SampleOptions } from './model/sample-gcode';

const ROUTERS: Record<SimFamily, FamilyHandler> = { buddy: buddyFamily, 'mini-legacy': buddyFamily, pi: piFamily };

export async function startSimulator(options: SimOptions): Promise<SimPrinter> {
  const opts = resolveOptions(options);
  const rt = new SimRuntime(opts);
  let server: SimServer | undefined;
  let port = opts.port;
  let stopped = false;
  const listening = {
    async refuse() {
      await server?.close();
    },
    async listen() {
      if (stopped) throw new Error('simulator stopped');
      await server?.close();
      server = new SimServer(rt, ROUTERS[opts.family], handler);
      port = await server.listen(port, opts.host);
    },
  };
  const control = createControl(rt, listening);
  const handler = createControlHandler(rt, control);
  try {
    await listening.listen();
  } catch (e) {
    rt.dispose();
    throw e;
  }
  rt.port = port;
  const scheme = opts.tls ? 'https' : 'http';
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    family: opts.family,
    ...(opts.buddy ? { firmware: opts.buddy.generation.firmware, model: opts.buddy.model.name } : {}),
    url: `${scheme}://${hostInUrl}:${port}`,
    host: opts.host,
    port,
    credentials:
      opts.family === 'mini-legacy'
        ? { apiKey: opts.apiKey }
        : opts.family === 'pi'
          ? { user: opts.user, password: opts.password, ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}) }
          : { user: opts.user, password: opts.password, apiKey: opts.password },
    controlToken: opts.controlToken,
    control,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server?.close();
      server = undefined;
      rt.dispose();
    },
  };
}

/**
 * Starts `count` printers: on consecutive ports from `options.port`, or on free ports when it is 0 or absent.
 * If one fails to start, the ones already started are stopped.
 */
export async function startSimulators(count: number, options: SimOptions): Promise<SimPrinter[]> {
  if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
  const printers: SimPrinter[] = [];
  // One token for the whole set, so a test or the CLI user handles a single secret.
  const controlToken = options.controlToken ?? randomBytes(16).toString('hex');
  try {
    for (let i = 0; i < count; i++) {
      const port = options.port ? options.port + i : 0;
      const hostname = options.hostname ?? `${options.family === 'pi' ? 'prusa-mk3' : 'prusa'}-${i + 1}`;
      printers.push(await startSimulator({ ...options, port, hostname, controlToken }));
    }
  } catch (e) {
    await Promise.all(printers.map((p) => p.stop()));
    throw e;
  }
  return printers;
}
