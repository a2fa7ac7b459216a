/**
 * Per-printer authentication state: the API key, or the cached Digest challenge so that every request carries
 * Authorization pre-emptively (one round trip per call, docs §2.3).
 */
import { digestAuthorization, parseDigestChallenge, authScheme, type DigestChallenge } from './digest';

export type AuthVerdict =
  | { retry: true }
  | { retry: false; message: string };

export class Authenticator {
  readonly mode: 'apikey' | 'digest' | 'none';
  private challenge?: DigestChallenge;
  private nc = 0;
  private readonly user: string;
  private readonly password: string;
  private readonly apiKey: string;

  constructor(opts: { apiKey?: string; user?: string; password?: string }) {
    this.apiKey = opts.apiKey ?? '';
    this.user = opts.user || 'maker';
    this.password = opts.password ?? '';
    this.mode = this.apiKey ? 'apikey' : opts.password !== undefined && opts.password !== '' ? 'digest' : 'none';
  }

  /** Realm of the last challenge (tells Buddy `Printer API` from Pi `Administrator`). */
  get realm(): string | undefined {
    return this.challenge?.realm;
  }

  /** Forget the nonce, e.g. to have the next request fetch a fresh one. */
  reset(): void {
    this.challenge = undefined;
    this.nc = 0;
  }

  /** Headers to send for this request; Digest only once a challenge is known. */
  headers(method: string, uri: string): Record<string, string> {
    if (this.mode === 'apikey') return { 'X-Api-Key': this.apiKey };
    if (this.mode === 'digest' && this.challenge) {
      this.nc += 1;
      return {
        Authorization: digestAuthorization(this.challenge, { user: this.user, password: this.password, method, uri, nc: this.nc }),
      };
    }
    return {};
  }

  /**
   * Decides what a 401/403 means. `sentDigest` says whether the failed request carried an Authorization header;
   * `retried` whether it already was a retry (then a second 401 is final).
   */
  onRejected(status: number, wwwAuthenticate: string | undefined, sentDigest: boolean, retried: boolean, printerMessage?: string): AuthVerdict {
    const scheme = authScheme(wwwAuthenticate);
    if (status === 403) {
      // Pi PrusaLink answers 403 "Bad X-Api-Key." to a wrong or unconfigured key; Buddy uses 403 for paths outside /usb.
      if (/api.?key/i.test(printerMessage ?? '') || (this.mode === 'apikey' && !printerMessage))
        return { retry: false, message: 'wrong API key, or the printer has no API key configured (use the Digest user and password instead)' };
      return { retry: false, message: 'access forbidden' };
    }
    if (this.mode === 'apikey') {
      if (!wwwAuthenticate || scheme === 'apikey') return { retry: false, message: 'wrong API key' };
      return { retry: false, message: 'wrong API key (on this printer the API key is the PrusaLink password from the printer menu)' };
    }
    if (!wwwAuthenticate)
      return {
        retry: false,
        message:
          'this printer accepts only an API key (X-Api-Key), not a user and password; it is probably a MINI on firmware 4.4: set the API key shown in the printer menu',
      };
    const ch = parseDigestChallenge(wwwAuthenticate);
    if (!ch) return { retry: false, message: `the printer asks for an unsupported authentication scheme (${scheme ?? 'unknown'})` };
    if (this.mode === 'none') {
      this.setChallenge(ch);
      return { retry: false, message: 'the printer requires a password or an API key' };
    }
    if (!retried && (!sentDigest || ch.stale)) {
      this.setChallenge(ch);
      return { retry: true };
    }
    if (ch.stale) this.setChallenge(ch);
    return { retry: false, message: 'wrong password or API key' };
  }

  private setChallenge(ch: DigestChallenge): void {
    this.challenge = ch;
    this.nc = 0;
  }
}
