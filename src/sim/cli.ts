#!/usr/bin/env node
/** `prusalink-sim`: runs simulated PrusaLink printers until SIGINT/SIGTERM. */
import { parseArgs } from 'node:util';
import { startSimulators } from './index';
import { resolveOptions } from './options';
import { makeSampleBgcode, makeSampleGcode } from './model/sample-gcode';
import type { SimFamily, SimOptions, SimPrinter } from './types';

const USAGE = `Usage: prusalink-sim [options]

  --family F        buddy | mini-legacy | pi (default buddy)
  --firmware V      Buddy firmware generation to speak: 5.0.2, 6.3.2, 6.4.1, 6.5.3, ... (from 4.7.0;
                    default: the newest the model runs, 6.6.0; the MINI's 6.4.0)
  --model M         Buddy model: MK4, MK4S, MK3.5, MK3.5S, MK3.9, MK3.9S, MINI, XL, Core One,
                    Core One L, Core One INDX (default MK4)
  --port N          first port (default 8080; 0 = free ports)
  --printers N      how many printers (consecutive ports from --port; default 1)
  --host H          address to listen on (default 127.0.0.1)
  --password P      Digest password (Buddy: also the API key; default "password")
  --api-key K       API key (MINI 4.4.1 default "apikey"; Pi: none unless given)
  --user U          Pi Digest user (default "maker")
  --speed S         simulated seconds per real second (default 1)
  --files DIR       keep the printer's files in this folder
  --demo-files      seed a few sample G-code files
  --help            this text
`;

class UsageError extends Error {}

function parse(argv: string[]): { options: SimOptions; printers: number } | 'help' {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        family: { type: 'string', default: 'buddy' },
        firmware: { type: 'string' },
        model: { type: 'string' },
        port: { type: 'string', default: '8080' },
        printers: { type: 'string', default: '1' },
        host: { type: 'string', default: '127.0.0.1' },
        password: { type: 'string' },
        'api-key': { type: 'string' },
        user: { type: 'string' },
        speed: { type: 'string', default: '1' },
        files: { type: 'string' },
        'demo-files': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) return 'help';
  const family = values.family as SimFamily;
  if (!['buddy', 'mini-legacy', 'pi'].includes(family)) throw new UsageError(`unknown family "${values.family}"`);
  const port = integer('port', values.port!, 0, 65535);
  const printers = integer('printers', values.printers!, 1, 1000);
  if (port !== 0 && port + printers - 1 > 65535) throw new UsageError('ports beyond 65535');
  const speed = Number(values.speed);
  if (!(speed > 0) || !Number.isFinite(speed)) throw new UsageError(`--speed must be a positive number, got "${values.speed}"`);
  const options: SimOptions = { family, port, host: values.host, speed };
  if (values.password !== undefined) options.password = values.password;
  if (values['api-key'] !== undefined) options.apiKey = values['api-key'];
  if (values.user !== undefined) options.user = values.user;
  if (values.files !== undefined) options.filesDir = values.files;
  if (values.firmware !== undefined || values.model !== undefined) {
    if (family !== 'buddy') throw new UsageError('--firmware and --model select a Buddy generation; use them with --family buddy');
    if (values.firmware !== undefined) options.firmware = values.firmware;
    if (values.model !== undefined) options.model = values.model;
    try {
      resolveOptions(options);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  if (values['demo-files']) options.files = demoFiles(family, options.model);
  return { options, printers };
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return n;
}

function demoFiles(family: SimFamily, buddyModel: string | undefined): Record<string, Buffer> {
  const model = family === 'pi' ? 'MK3S' : family === 'mini-legacy' ? 'MINI' : (buddyModel ?? 'MK4').replace(/ /g, '');
  const files: Record<string, Buffer> = {
    'Benchy 0.2mm PLA.gcode': makeSampleGcode({ name: 'benchy', printSeconds: 3600, printerModel: model }),
    'calibration/First layer test.gcode': makeSampleGcode({ name: 'first-layer', printSeconds: 600, printerModel: model }),
  };
  if (family !== 'pi') files['Phone stand.bgcode'] = makeSampleBgcode({ name: 'stand', printSeconds: 5400, printerModel: model });
  return files;
}

function describe(p: SimPrinter): string {
  const c = p.credentials;
  const creds = [
    c.user !== undefined ? `user=${c.user}` : '',
    c.password !== undefined ? `password=${c.password}` : '',
    c.apiKey !== undefined ? `api-key=${c.apiKey}` : '',
  ].filter(Boolean);
  const generation = p.firmware !== undefined ? ` firmware=${p.firmware} model=${JSON.stringify(p.model)}` : '';
  return `${p.url} family=${p.family} ${creds.join(' ')}${generation}`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`prusalink-sim: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const printers = await startSimulators(parsed.printers, parsed.options);
  // The simulator's credentials are made up for local testing, so printing them is the point of this command.
  for (const p of printers) process.stdout.write(`${describe(p)}\n`);
  process.stdout.write(`control-token=${printers[0].controlToken}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all(printers.map((p) => p.stop()));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`prusalink-sim: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
