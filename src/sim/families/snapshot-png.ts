/** A tiny generated PNG for the simulated camera's snapshot (a grey frame with a timestamp-dependent stripe). */
import { encodePng } from '../model/png';

export function snapshotPng(width = 64, height = 48, now = Date.now()): Buffer {
  const stripe = Math.floor(now / 1000) % height;
  const rgb = Buffer.alloc(width * height * 3, 0x60);
  rgb.fill(0xe0, stripe * width * 3, (stripe + 1) * width * 3);
  return encodePng(width, height, rgb);
}
