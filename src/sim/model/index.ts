/** The simulated printer's model: file store, state machine, G-code reading and sample files. */
export * from './types';
export { FileStore } from './store';
export { PrinterModel } from './printer';
export { fatAlias } from './fat-alias';
export { readGcodeInfo, parseDuration, formatDuration, type ByteSource, type PrintFileInfo, type Thumbnail } from './gcode';
export { readBgcodeInfo, isBgcode } from './bgcode';
export { makeSampleGcode, makeSampleBgcode, sampleThumbnail, type SampleOptions } from './sample-gcode';
export { encodePng, crc32 } from './png';
