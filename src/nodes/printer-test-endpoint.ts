/**
 * Admin endpoint behind the config dialog's "Test connection" button. It tests the values typed in
 * the dialog, which need not be deployed yet; a `__PWRD__` secret means "the one already stored".
 * A stored secret belongs to the address it was stored with, like a saved password to its site: it
 * is used only for that config node's own protocol, host and port, never sent to an address typed
 * in the dialog (an admin with the editor open could otherwise point it at a server of their own).
 * The answer carries a short reason, never the target's own words nor a secret.
 */
import type { NodeAPI } from 'node-red';
import { PrusaLinkClient } from '../client';
import type { ClientOptions } from '../client/types';
import type { PrinterCredentials, PrinterNode } from './types';
import { asCodedError } from './errors';
import { clientOptions, type PrinterSettings } from './printer-options';

const STORED_SECRET = '__PWRD__';
const PRINTER_TYPE = 'prusalink-printer';

interface TestRequestBody extends PrinterSettings {
  id?: unknown;
  user?: unknown;
  apiKey?: unknown;
  password?: unknown;
}

interface JsonResponse {
  json(body: unknown): void;
}

/** What the dialog is told when the test fails; the editor words each reason in the user's language. */
interface TestFailure {
  ok: false;
  code: string;
  reason: string;
  /** Only our own words about unusable settings, written before any request. */
  message?: string;
}

const REASONS: Record<string, string> = {
  AUTH_FAILED: 'unauthorized',
  FORBIDDEN: 'unauthorized',
  UNREACHABLE: 'unreachable',
  TIMEOUT: 'timeout',
  TLS: 'tls',
  PROTOCOL: 'notPrusaLink',
  NOT_FOUND: 'notPrusaLink',
  UNSUPPORTED: 'notPrusaLink',
  SERVER_ERROR: 'printerError',
  INVALID_ARGUMENT: 'invalidSettings',
  CONFIG: 'invalidSettings',
};

/** The short reason for a failed test, from the client's error code. */
export function testFailureReason(code: string): string {
  return REASONS[code] ?? 'error';
}

/** Where a printer is, as one comparable string: the protocol, the host (any case) and the port (default filled in). */
export function addressKey(settings: PrinterSettings): string {
  const protocol = settings.protocol === 'https' ? 'https' : 'http';
  const host = String(settings.host ?? '').trim().toLowerCase();
  const portText = String(settings.port ?? '').trim();
  const port = portText === '' ? (protocol === 'https' ? '443' : '80') : String(Number(portText));
  return `${protocol}://${host}:${port}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function refused(reason: string): TestFailure {
  return { ok: false, code: 'INVALID_ARGUMENT', reason };
}

/**
 * The credentials to test with, or why not: a stored secret only for the stored node's own address.
 * An id that names no running node (a dialog not yet deployed) has nothing stored.
 */
function credentialsFor(RED: NodeAPI, body: TestRequestBody): PrinterCredentials | TestFailure {
  const id = text(body.id);
  const node = id ? (RED.nodes.getNode(id) as PrinterNode | null) : null;
  if (node && node.type !== PRINTER_TYPE) return refused('notPrinterNode');
  const wantsStored = body.apiKey === STORED_SECRET || body.password === STORED_SECRET;
  const sameAddress = node !== null && node.addressKey === addressKey(body);
  if (wantsStored && !node) return refused('noStoredSecret');
  if (wantsStored && !sameAddress) return refused('storedSecretOtherAddress');
  const stored = sameAddress && id ? (RED.nodes.getCredentials(id) as PrinterCredentials | null) : null;
  const secret = (value: unknown, storedValue: string | undefined) => (value === STORED_SECRET ? storedValue : text(value));
  return {
    user: text(body.user) ?? stored?.user,
    apiKey: secret(body.apiKey, stored?.apiKey),
    password: secret(body.password, stored?.password),
  };
}

async function testConnection(options: ClientOptions): Promise<unknown> {
  const client = new PrusaLinkClient(options);
  try {
    const profile = await client.detect(true);
    const status = await client.status();
    return { ok: true, family: profile.family, firmware: profile.firmware, text: profile.text, model: profile.model, state: status.state };
  } catch (thrown) {
    const code = asCodedError(thrown).code;
    return { ok: false, code, reason: testFailureReason(code) } satisfies TestFailure;
  } finally {
    client.close();
  }
}

export function registerTestEndpoint(RED: NodeAPI): void {
  RED.httpAdmin.post(
    '/prusalink-printer/test',
    RED.auth.needsPermission('prusalink-printer.write'),
    (req: { body?: TestRequestBody }, res: JsonResponse) => {
      const body: TestRequestBody = req.body || {};
      const creds = credentialsFor(RED, body);
      if ('ok' in creds) return res.json(creds);
      let options: ClientOptions;
      try {
        options = clientOptions(body, creds);
      } catch (thrown) {
        // Our own words about the settings (e.g. "the password is empty"), from before any request.
        const err = asCodedError(thrown);
        return res.json({ ok: false, code: err.code, reason: testFailureReason(err.code), message: err.message });
      }
      void testConnection(options).then((answer) => res.json(answer));
    },
  );
}
