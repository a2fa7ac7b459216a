/**
 * How a picture leaves a node: the image bytes in msg.payload, plus what mail, Telegram and dashboard nodes
 * look for to handle a Buffer as an image (a file name with the right extension and a content type).
 */
import * as nodePath from 'node:path';
import type { InputMsg } from './types';

export type ThumbnailSize = 'small' | 'large';

/** The node's size wins; a blank one takes msg.size; anything else is the large picture people usually want. */
export function thumbnailSize(nodeValue: unknown, msgValue: unknown): ThumbnailSize {
  const wanted = typeof nodeValue === 'string' && nodeValue !== '' ? nodeValue : msgValue;
  return wanted === 'small' ? 'small' : 'large';
}

/** Printers send PNG thumbnails; a camera may send JPEG. Told by the first bytes, not by what the server claims. */
export function imageType(buf: Buffer): { contentType: string; ext: string } {
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x89504e47) return { contentType: 'image/png', ext: '.png' };
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { contentType: 'image/jpeg', ext: '.jpg' };
  return { contentType: 'application/octet-stream', ext: '.bin' };
}

/** Puts the picture on the msg. `from` is the file (or camera) it shows; it names the picture. */
export function putPicture(msg: InputMsg, picture: Buffer, from: string): void {
  const { contentType, ext } = imageType(picture);
  const base = nodePath.posix.basename(from).replace(/\.(b?gcode|gco|gc|g|bgc)$/i, '') || 'picture';
  msg.payload = picture;
  msg.contentType = contentType;
  msg.filename = base + ext;
}
