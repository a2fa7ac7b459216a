/**
 * Deterministic, realistic-looking PrusaSlicer output for the demo, the tests and the benchmarks: plain G-code with
 * PNG thumbnails and the metadata footer, and the same content as binary G-code. Same options, same bytes.
 */
import { encodePng } from './png';
import { formatDuration } from './gcode';
import {
  BlockType,
  ThumbnailFormat,
  encodeBlock,
  encodeFileHeader,
  encodingParams,
  thumbnailParams,
} from './bgcode';

export interface SampleOptions {
  /** Object name; also picks the thumbnail's colour. Default `sample`. */
  name?: string;
  /** The slicer's estimate in seconds. Default 600. */
  printSeconds?: number;
  /** Filament type. Default `PLA`. */
  filament?: string;
  /** Printer model as PrusaSlicer writes it (`MK4`, `MINI`, `MK3S`). Default `MK4`. */
  printerModel?: string;
  /** Pad the file with moves to exactly this many bytes (when it is larger than the minimal file). */
  sizeBytes?: number;
  /** Thumbnail sizes, smallest first. Default 16x16 and 64x48; [] for none. */
  thumbnails?: Array<[number, number]>;
}

const DEFAULT_THUMBNAILS: Array<[number, number]> = [
  [16, 16],
  [64, 48],
];
const PRODUCER = 'PrusaSlicer 2.7.4+win64';
const SLICED_AT = 'on 2024-03-01 at 12:00:00 UTC';
/** PrusaSlicer wraps thumbnail base64 at this width. */
const BASE64_LINE = 78;
/** libbgcode's largest G-code block. */
const BGCODE_GCODE_BLOCK = 65535;
/** Header, u16 encoding and CRC32 around each uncompressed G-code block. */
const BGCODE_BLOCK_OVERHEAD = 8 + 2 + 4;
/** Move bytes in a sample when no size is asked for. */
const DEFAULT_MOVE_BYTES = 4096;

interface Resolved {
  name: string;
  printSeconds: number;
  filament: string;
  printerModel: string;
  sizeBytes?: number;
  thumbnails: Array<[number, number]>;
  nozzleTemp: number;
  bedTemp: number;
  grams: number;
  maxZ: number;
}

const TEMPERATURES: Record<string, [number, number]> = { PLA: [215, 60], PETG: [240, 85], ASA: [260, 105], ABS: [255, 100] };

function resolve(opts: SampleOptions): Resolved {
  const filament = opts.filament ?? 'PLA';
  const printSeconds = Math.max(1, Math.round(opts.printSeconds ?? 600));
  const [nozzleTemp, bedTemp] = TEMPERATURES[filament.toUpperCase()] ?? TEMPERATURES.PLA;
  return {
    name: opts.name ?? 'sample',
    printSeconds,
    filament,
    printerModel: opts.printerModel ?? 'MK4',
    sizeBytes: opts.sizeBytes,
    thumbnails: opts.thumbnails ?? DEFAULT_THUMBNAILS,
    nozzleTemp,
    bedTemp,
    grams: Math.round(printSeconds) / 100, // about 36 g per hour, like a typical 0.4 mm PLA print
    maxZ: Math.min(200, Math.round(2 + printSeconds / 60) / 5), // a layer (0.2 mm) a minute
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** A small picture of a printed box on a dark bed, its colour taken from `seed`. */
export function sampleThumbnail(width: number, height: number, seed = 'sample'): Buffer {
  const hue = (fnv1a(seed) % 360) / 60;
  const channel = (offset: number): number => {
    const k = (offset + hue) % 6;
    return 255 * (1 - Math.max(0, Math.min(k, 4 - k, 1)));
  };
  const base = [channel(5), channel(3), channel(1)];
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width;
      const v = (y + 0.5) / height;
      let color: number[];
      if (Math.abs(u - 0.5) < 0.3 && v > 0.3 && v < 0.85) {
        const shade = v < 0.4 ? 1 : 0.85 - (u - 0.2) * 0.4; // lit top face, shaded sides
        color = base.map((c) => c * shade);
      } else {
        color = [48 - v * 20, 48 - v * 20, 54 - v * 20];
      }
      rgb.set(color.map((c) => Math.round(c)), (y * width + x) * 3);
    }
  }
  return encodePng(width, height, rgb);
}

function thumbnailComment(width: number, height: number, png: Buffer): string {
  const base64 = png.toString('base64');
  const lines = [`; thumbnail begin ${width}x${height} ${base64.length}`];
  for (let i = 0; i < base64.length; i += BASE64_LINE) lines.push(`; ${base64.slice(i, i + BASE64_LINE)}`);
  lines.push('; thumbnail end', ';', '', '');
  return lines.join('\n');
}

/** Metadata as PrusaSlicer writes it: the print statistics, then the config keys it shows in its footer. */
function printStats(r: Resolved): Array<[string, string]> {
  const cm3 = r.grams / 1.24;
  const mm = (cm3 * 1000) / (Math.PI * 0.875 * 0.875);
  return [
    ['filament used [mm]', mm.toFixed(2)],
    ['filament used [cm3]', cm3.toFixed(2)],
    ['filament used [g]', r.grams.toFixed(2)],
    ['filament cost', (r.grams * 0.025).toFixed(2)],
    ['total filament used [g]', r.grams.toFixed(2)],
    ['total filament cost', (r.grams * 0.025).toFixed(2)],
    ['estimated printing time (normal mode)', formatDuration(r.printSeconds)],
    ['estimated first layer printing time (normal mode)', formatDuration(Math.min(r.printSeconds, 90))],
  ];
}

function configKeys(r: Resolved): Array<[string, string]> {
  return [
    ['bed_temperature', String(r.bedTemp)],
    ['filament_type', r.filament],
    ['fill_density', '15%'],
    ['layer_height', '0.2'],
    ['max_layer_z', r.maxZ.toFixed(2)],
    ['nozzle_diameter', '0.4'],
    ['printer_model', r.printerModel],
    ['temperature', String(r.nozzleTemp)],
  ];
}

function startGcode(r: Resolved): string {
  return [
    `M73 P0 R${Math.round(r.printSeconds / 60)}`,
    'M201 X4000 Y4000 Z200 E2500',
    'M203 X300 Y300 Z40 E100',
    `M862.3 P "${r.printerModel}"`,
    'M862.1 P0.4',
    'M115 U6.0.0',
    'M83',
    `M140 S${r.bedTemp}`,
    'M104 S170',
    'G28',
    `M104 S${r.nozzleTemp}`,
    `M190 S${r.bedTemp}`,
    `M109 S${r.nozzleTemp}`,
    'G92 E0',
    `; printing object ${r.name.replace(/[\r\n]/g, ' ')} id:0 copy 0`,
    '',
  ].join('\n');
}

function endGcode(r: Resolved): string {
  return ['M107', 'M104 S0', 'M140 S0', `G1 Z${(r.maxZ + 10).toFixed(1)} F720`, 'M84', 'M73 P100 R0', ''].join('\n');
}

/** Writes layers of perimeter moves, with M73 progress lines, to exact byte budgets (ASCII only). */
class MoveWriter {
  private written = 0;
  private layer = 0;
  private step = 0;
  private nextPercent = 5;
  private readonly layers: number;

  constructor(
    private readonly total: number,
    private readonly r: Resolved,
  ) {
    this.layers = Math.round(r.maxZ / 0.2);
  }

  /** Lines totalling exactly `budget` bytes, the last one padded as a comment. */
  fill(budget: number): string {
    const lines: string[] = [];
    let remaining = budget;
    const emit = (line: string): void => {
      lines.push(line);
      remaining -= line.length + 1;
      this.written += line.length + 1;
    };
    while (remaining > 64) {
      if (this.written >= (this.total * this.nextPercent) / 100 && this.nextPercent < 100) {
        emit(`M73 P${this.nextPercent} R${Math.round((this.r.printSeconds * (100 - this.nextPercent)) / 6000)}`);
        this.nextPercent += 5;
      } else if (this.layer < this.layers && this.written >= (this.total * this.layer) / this.layers) {
        // layers spread evenly over the bytes, so the last one reaches max_layer_z whatever the padding
        this.layer++;
        const z = (this.layer * 0.2).toFixed(1);
        emit(`;LAYER_CHANGE\n;Z:${z}\nG1 Z${z} F720`);
      } else {
        const angle = (this.step * Math.PI) / 8;
        const radius = 20 + (this.layer % 7);
        emit(`G1 X${(125 + radius * Math.cos(angle)).toFixed(3)} Y${(105 + radius * Math.sin(angle)).toFixed(3)} E0.39281`);
        this.step = (this.step + 1) % 16;
      }
    }
    let text = lines.length ? `${lines.join('\n')}\n` : '';
    if (remaining >= 2) text += `;${' '.repeat(remaining - 2)}\n`;
    else if (remaining === 1) text += '\n';
    this.written += Math.max(0, remaining);
    return text;
  }
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A PrusaSlicer-style plain-text G-code file. */
export function makeSampleGcode(opts: SampleOptions = {}): Buffer {
  const r = resolve(opts);
  const header =
    `; generated by ${PRODUCER} ${SLICED_AT}\n\n;\n` +
    r.thumbnails.map(([w, h]) => thumbnailComment(w, h, sampleThumbnail(w, h, r.name))).join('') +
    '; external perimeters extrusion width = 0.45mm\n; perimeters extrusion width = 0.45mm\n' +
    '; infill extrusion width = 0.45mm\n; first layer extrusion width = 0.50mm\n\n';
  const footer =
    '\n' +
    printStats(r)
      .map(([k, v]) => `; ${k} = ${v}\n`)
      .join('') +
    '\n; prusaslicer_config = begin\n' +
    configKeys(r)
      .map(([k, v]) => `; ${k} = ${v}\n`)
      .join('') +
    '; prusaslicer_config = end\n';
  const start = startGcode(r);
  const end = endGcode(r);
  const fixed = bytes(header) + bytes(start) + bytes(end) + bytes(footer);
  const budget = r.sizeBytes !== undefined && r.sizeBytes > fixed ? r.sizeBytes - fixed : DEFAULT_MOVE_BYTES;
  const moves = new MoveWriter(budget, r).fill(budget);
  return Buffer.from(header + start + moves + end + footer, 'utf8');
}

function ini(pairs: Array<[string, string]>): Buffer {
  return Buffer.from(pairs.map(([k, v]) => `${k}=${v}\n`).join(''), 'utf8');
}

/** The same print as binary G-code: uncompressed blocks with CRC32, G-code in plain-text blocks. */
export function makeSampleBgcode(opts: SampleOptions = {}): Buffer {
  const r = resolve(opts);
  const stats = printStats(r);
  const config = configKeys(r);
  const pick = (pairs: Array<[string, string]>, keys: string[]): Array<[string, string]> =>
    pairs.filter(([k]) => keys.includes(k));
  const printerMetadata = [
    ...pick(config, ['printer_model', 'filament_type', 'nozzle_diameter', 'bed_temperature', 'fill_density', 'layer_height', 'temperature', 'max_layer_z']),
    ...pick(stats, ['filament used [mm]', 'filament used [g]', 'estimated printing time (normal mode)']),
  ];
  const head = [
    encodeFileHeader(),
    encodeBlock(BlockType.FileMetadata, encodingParams(), ini([['Producer', PRODUCER.replace(/\+.*/, '')]])),
    encodeBlock(BlockType.PrinterMetadata, encodingParams(), ini(printerMetadata)),
    ...r.thumbnails.map(([w, h]) =>
      encodeBlock(BlockType.Thumbnail, thumbnailParams(ThumbnailFormat.PNG, w, h), sampleThumbnail(w, h, r.name)),
    ),
    encodeBlock(BlockType.PrintMetadata, encodingParams(), ini(stats)),
    encodeBlock(BlockType.SlicerMetadata, encodingParams(), ini(config)),
  ];
  const start = startGcode(r);
  const end = endGcode(r);
  const fixed = head.reduce((n, b) => n + b.length, 0);
  const minimal = bytes(start) + bytes(end) + DEFAULT_MOVE_BYTES + BGCODE_BLOCK_OVERHEAD;
  const room = r.sizeBytes !== undefined && r.sizeBytes - fixed > minimal ? r.sizeBytes - fixed : minimal;
  // k blocks of at most BGCODE_GCODE_BLOCK bytes each, filling `room` exactly with their overhead
  const blocks = Math.ceil(room / (BGCODE_GCODE_BLOCK + BGCODE_BLOCK_OVERHEAD));
  const gcodeBytes = room - blocks * BGCODE_BLOCK_OVERHEAD;
  const moveBytes = gcodeBytes - bytes(start) - bytes(end);
  const writer = new MoveWriter(moveBytes, r);
  const out = [...head];
  for (let i = 0; i < blocks; i++) {
    const size = Math.floor(gcodeBytes / blocks) + (i < gcodeBytes % blocks ? 1 : 0);
    const prefix = i === 0 ? start : '';
    const suffix = i === blocks - 1 ? end : '';
    const text = prefix + writer.fill(size - bytes(prefix) - bytes(suffix)) + suffix;
    out.push(encodeBlock(BlockType.Gcode, encodingParams(), Buffer.from(text, 'utf8')));
  }
  return Buffer.concat(out);
}
