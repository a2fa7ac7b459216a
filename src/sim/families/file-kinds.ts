/** Which files a family treats as printable, and how Buddy names the rest. */
const BUDDY_PRINTABLE = ['.gcode', '.gco', '.gc', '.g', '.bgcode', '.bgc'];
const PI_PRINTABLE = ['.gcode', '.gco', '.gc', '.g'];

function ext(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i).toLowerCase();
}

export function isPrintable(name: string, family: 'buddy' | 'mini-legacy' | 'pi'): boolean {
  return (family === 'pi' ? PI_PRINTABLE : BUDDY_PRINTABLE).includes(ext(name));
}

export function buddyFileType(name: string): 'PRINT_FILE' | 'FIRMWARE' | 'FILE' {
  if (BUDDY_PRINTABLE.includes(ext(name))) return 'PRINT_FILE';
  if (ext(name) === '.bbf') return 'FIRMWARE';
  return 'FILE';
}

/** Characters FAT (and so Buddy's USB stick) cannot store. */
export function hasInvalidFatChars(name: string): boolean {
  return /[\\:*?"<>|\x00-\x1f]/.test(name);
}
