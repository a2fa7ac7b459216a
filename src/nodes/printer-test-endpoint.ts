/**
 * Admin endpoint behind the config dialog's "Test connection" button. It tests the values typed in
 * the dialog, which need not be deployed yet; a `__PWRD__` secret means "the one already stored".
 * The answer never carries a secret, not even inside an error message.
 */
import type { NodeAPI } from 'node-red';
import { PrusaLinkClient } from '../client';
import type { PrinterCredentials } from './types';
import { asCodedError } from './errors';
import { clientOptions } from './printer-options';

const STORED_SECRET = '__PWRD__';

interface TestRequestBody {
  id?: unknown;
  host?: unknown;
  port?: unknown;
  protocol?: unknown;
  allowSelfSigned?: unknown;
  auth?: unknown;
  timeout?: unknown;
  user?: unknown;
  apiKey?: unknown;
  password?: unknown;
}

interface JsonResponse {
  json(body: unknown): void;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function credentialsFor(RED: NodeAPI, body: TestRequestBody): PrinterCredentials {
  const stored = (typeof body.id === 'string' && body.id ? RED.nodes.getCredentials(body.id) : null) as PrinterCredentials | null;
  const secret = (value: unknown, storedValue: string | undefined) =>
    value === STORED_SECRET ? storedValue : text(value);
  return {
    user: text(body.user) ?? stored?.user,
    apiKey: secret(body.apiKey, stored?.apiKey),
    password: secret(body.password, stored?.password),
  };
}

function scrub(message: string, secrets: Array<string | undefined>): string {
  let out = message;
  for (const s of secrets) if (s && s.length > 0) out = out.split(s).join('***');
  return out;
}

export function registerTestEndpoint(RED: NodeAPI): void {
  RED.httpAdmin.post(
    '/prusalink-printer/test',
    RED.auth.needsPermission('prusalink-printer.write'),
    (req: { body?: TestRequestBody }, res: JsonResponse) => {
      const body: TestRequestBody = req.body || {};
      const creds = credentialsFor(RED, body);
      const secrets = [creds.apiKey, creds.password];
      let client: PrusaLinkClient | null = null;
      const run = async () => {
        client = new PrusaLinkClient(clientOptions(body, creds));
        const profile = await client.detect(true);
        const status = await client.status();
        // model: absent when the printer does not name it (Buddy before 6.5.1).
        return { ok: true, family: profile.family, firmware: profile.firmware, text: profile.text, model: profile.model, state: status.state };
      };
      run()
        .then((answer) => res.json(answer))
        .catch((thrown) => {
          const err = asCodedError(thrown);
          res.json({ ok: false, code: err.code, message: scrub(err.message, secrets) });
        })
        .finally(() => (client as PrusaLinkClient | null)?.close());
    },
  );
}
