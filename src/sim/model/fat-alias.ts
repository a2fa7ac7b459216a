/**
 * FAT 8.3 short names ("aliases") as FatFs on the Buddy board makes them for a long file name.
 * Buddy and MINI 4.4.1 show this alias as `name` (`DEBOUC~1.GCO`) and the long name as `display_name`.
 *
 * Simplifications against FatFs: characters outside ASCII become `_` (FatFs maps them through the OEM code page
 * first), and the numeric tail is always the first free number (FatFs switches to a hash after ~5).
 */

/** Characters a short name may hold besides A-Z and 0-9. */
const SFN_EXTRA = "!#$%&'()-@^_`{}~";
/** Characters FatFs replaces with `_` (legal in a long name, not in a short one). */
const SFN_REPLACED = '+,;=[]';

interface Converted {
  body: string;
  ext: string;
  /** True when the long name could not be kept as is (apart from letter case): a numeric tail is needed. */
  lossy: boolean;
}

function convertPart(part: string): { text: string; lossy: boolean } {
  let text = '';
  let lossy = false;
  for (const ch of part) {
    if (ch === ' ' || ch === '.') {
      lossy = true; // spaces and inner dots are dropped
    } else if (/^[A-Za-z0-9]$/.test(ch) || SFN_EXTRA.includes(ch)) {
      text += ch.toUpperCase();
    } else {
      // SFN_REPLACED, non-ASCII and anything else a short name cannot hold
      text += '_';
      lossy = true;
    }
  }
  return { text, lossy };
}

function convert(longName: string): Converted {
  const trimmed = longName.replace(/^[ .]+/, '');
  let lossy = trimmed !== longName;
  const dot = trimmed.lastIndexOf('.');
  const hasExt = dot > 0;
  const body = convertPart(hasExt ? trimmed.slice(0, dot) : trimmed);
  const ext = convertPart(hasExt ? trimmed.slice(dot + 1) : '');
  lossy = lossy || body.lossy || ext.lossy || body.text.length > 8 || ext.text.length > 3 || body.text.length === 0;
  return { body: body.text || '_', ext: ext.text.slice(0, 3), lossy };
}

function join(body: string, ext: string): string {
  return ext ? `${body}.${ext}` : body;
}

/**
 * The alias a new entry called `longName` gets in a folder; `isTaken` says whether an alias (upper case) is already
 * used there. A name that fits 8.3 (ignoring letter case) keeps itself, upper-cased; any other gets `BODY~N.EXT`.
 */
export function fatAlias(longName: string, isTaken: (alias: string) => boolean): string {
  const { body, ext, lossy } = convert(longName);
  if (!lossy) {
    const exact = join(body, ext);
    if (!isTaken(exact)) return exact;
  }
  for (let n = 1; ; n++) {
    const tail = `~${n}`;
    const candidate = join(body.slice(0, 8 - tail.length) + tail, ext);
    if (!isTaken(candidate)) return candidate;
  }
}
