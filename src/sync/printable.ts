/** Which local files a family prints: the sync manages those and ignores every other file. */
import type { Family } from '../client/types';

const GCODE = ['.gcode', '.gco', '.gc', '.g'];
const BINARY = ['.bgcode', '.bgc'];

export type Printability = 'printable' | 'unsupported' | 'ignored';

/** `unsupported`: G-code this family cannot take (binary G-code on Pi PrusaLink and MINI 4.4.1). */
export function printability(family: Family, name: string): Printability {
  const lower = name.toLowerCase();
  if (GCODE.some((e) => lower.endsWith(e))) return 'printable';
  if (BINARY.some((e) => lower.endsWith(e))) return family === 'buddy' ? 'printable' : 'unsupported';
  return 'ignored';
}

/** FAT (Buddy, MINI) compares names without letter case; Pi PrusaLink stores on Linux, with case. */
export function nameKey(family: Family, relPath: string): string {
  return family === 'pi' ? relPath : relPath.toLowerCase();
}
