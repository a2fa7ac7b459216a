/** Random access to a file or a Buffer, so that readers take only the parts they need. */
import { promises as fsp } from 'node:fs';
import type { MetadataSource } from './types';

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openSource(source: MetadataSource): Promise<ByteSource> {
  if ('buffer' in source) {
    const buf = source.buffer;
    return {
      size: buf.length,
      read: async (offset, length) => buf.subarray(Math.min(offset, buf.length), Math.min(offset + length, buf.length)),
      close: async () => undefined,
    };
  }
  const handle = await fsp.open(source.file, 'r');
  try {
    const { size } = await handle.stat();
    return {
      size,
      async read(offset, length) {
        const want = Math.max(0, Math.min(length, size - offset));
        const buf = Buffer.alloc(want);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await handle.read(buf, got, want - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      },
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
