/** The PrusaLink client: `new PrusaLinkClient({ host, password })`. */
export { PrusaLinkClient } from './client';
export { PrusaLinkError, isPrusaLinkError } from './errors';
export * from './types';
