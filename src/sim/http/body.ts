/** Reading small request bodies (JSON commands, multipart forms) with a size cap. */
import type { Exchange } from './exchange';

export class BodyTooLarge extends Error {}

/** Reads the whole body; throws BodyTooLarge beyond `limit` bytes (after draining, so the answer can be read). */
export function readBody(ex: Exchange, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    ex.req.on('data', (chunk: Buffer) => {
      ex.record.bodyBytes += chunk.length;
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    ex.req.on('end', () => (tooLarge ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    ex.req.on('error', reject);
  });
}

/** Parses a JSON command body; undefined when it is not a JSON object. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a JSON command body with the firmware's size limit: 413 when too large, 400 when not JSON. */
export async function readCommand(ex: Exchange, limit: number): Promise<Record<string, unknown> | undefined> {
  let body: Buffer;
  try {
    body = await readBody(ex, limit);
  } catch (e) {
    if (e instanceof BodyTooLarge) ex.error(413, 'Request body too large');
    else throw e;
    return undefined;
  }
  const cmd = parseJsonObject(body);
  if (!cmd) ex.error(400, 'Invalid JSON body');
  return cmd;
}
