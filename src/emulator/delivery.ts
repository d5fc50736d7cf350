/**
 * How Lark posts events and card callbacks to a request URL: a schema 2.0 envelope, JSON, AES-encrypted into
 * `{"encrypt": "..."}`, signed with x-lark-request-timestamp / x-lark-request-nonce / x-lark-signature.
 */
import { encryptBody, signBody } from './lark-crypto.js';
import { hex } from './state.js';
import type { DeliverTamper } from './types.js';

export interface Envelope {
  schema: '2.0';
  header: {
    event_id: string;
    event_type: string;
    create_time: string;
    token: string;
    app_id: string;
    tenant_key: string;
  };
  event: Record<string, unknown>;
}

export interface DeliveryConfig {
  appId: string;
  encryptKey: string;
  verificationToken: string;
  tenantKey: string;
  url: () => string;
  now: () => number;
  fetch: (input: Request) => Promise<Response>;
}

function connectionReset(e: unknown): boolean {
  const code = (e as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

/** Header a synthetic response carries when the bot could not be reached or did not answer in time. */
export const EMULATOR_ERROR_HEADER = 'x-emulator-error';

export class Delivery {
  constructor(private readonly cfg: DeliveryConfig) {}

  envelope(eventType: string, event: Record<string, unknown>): Envelope {
    return {
      schema: '2.0',
      header: {
        event_id: hex(16),
        event_type: eventType,
        // schema 2.0 headers carry milliseconds as a string
        create_time: String(this.cfg.now()),
        token: this.cfg.verificationToken,
        app_id: this.cfg.appId,
        tenant_key: this.cfg.tenantKey,
      },
      event,
    };
  }

  /** Encrypts, signs and posts. Never throws: an unreachable bot or a timeout comes back as a 5xx Response. */
  async post(payload: object, tamper: DeliverTamper = {}, timeoutMs?: number): Promise<Response> {
    const envelope = structuredClone(payload) as Record<string, unknown>;
    if (tamper.token !== undefined) {
      const header = envelope['header'];
      if (header && typeof header === 'object') (header as Record<string, unknown>)['token'] = tamper.token;
      else envelope['token'] = tamper.token;
    }
    const json = JSON.stringify(envelope);
    const body =
      tamper.rawBody ??
      (tamper.plaintext ? json : JSON.stringify({ encrypt: encryptBody(tamper.encryptKey ?? this.cfg.encryptKey, json) }));

    const seconds = tamper.timestamp ?? Math.floor(this.cfg.now() / 1000) - (tamper.staleSeconds ?? 0);
    const timestamp = String(seconds);
    const nonce = hex(8);
    let signature = signBody(timestamp, nonce, tamper.signWithKey ?? this.cfg.encryptKey, body);
    if (tamper.badSignature) signature = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
    if (tamper.signature !== undefined) signature = tamper.signature;

    const headers = new Headers({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Lark-Emulator/1.0',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
    });
    if (!tamper.omitSignature) headers.set('x-lark-signature', signature);

    const controller = new AbortController();
    const timer = timeoutMs !== undefined ? setTimeout(() => controller.abort(), timeoutMs) : undefined;
    try {
      const send = () => this.cfg.fetch(new Request(this.cfg.url(), { method: 'POST', headers, body, signal: controller.signal }));
      let res: Response;
      try {
        res = await send();
      } catch (e) {
        // A kept-alive socket the bot's server closed just as this request went out (its idle timeout against
        // ours, which a busy machine makes a coin toss) fails with a reset before any answer; fetch does not
        // retry a POST, so the emulator does, once, on a fresh socket. A second failure is the bot's.
        if (controller.signal.aborted || !connectionReset(e)) throw e;
        res = await send();
      }
      // read the body now, inside the deadline, so a slow stream also counts as late
      const text = await res.text();
      return new Response(text, { status: res.status, headers: res.headers });
    } catch (e) {
      const reason = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : `bot unreachable: ${String(e)}`;
      return new Response(JSON.stringify({ error: reason }), {
        status: controller.signal.aborted ? 504 : 502,
        headers: { 'content-type': 'application/json', [EMULATOR_ERROR_HEADER]: reason },
      });
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
