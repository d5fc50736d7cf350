/**
 * A long-connection outcome as the HTTP-shaped answer the rest of the emulator reads (the same shape the
 * webhook delivery gives): 200 with the handler's JSON when the client answered code 200; the code itself
 * when it answered another (the SDK sends 500 when the handler threw); 504 / 502 / 503 with the
 * x-emulator-error header when no answer came in time, the socket dropped, or no client was connected.
 */
import { EMULATOR_ERROR_HEADER } from '../delivery.js';
import type { Outcome } from './index.js';

export function outcomeStatus(o: Outcome): number {
  switch (o.kind) {
    case 'answered':
      return o.code === 200 ? 200 : o.code >= 400 && o.code <= 599 ? o.code : 500;
    case 'timeout':
      return 504;
    case 'dropped':
    case 'bad-answer':
      return 502;
    case 'no-client':
      return 503;
  }
}

function reason(o: Outcome): string | undefined {
  switch (o.kind) {
    case 'answered':
      return o.code === 200 ? undefined : `the bot answered code ${o.code} on the long connection`;
    case 'timeout':
      return `no answer within ${o.ms} ms on the long connection`;
    case 'dropped':
      return 'the long connection dropped before the bot answered';
    case 'bad-answer':
      return `the bot's answer on the long connection is unreadable: ${o.reason}`;
    case 'no-client':
      return 'no long-connection client is connected';
  }
}

export function outcomeResponse(o: Outcome): Response {
  const status = outcomeStatus(o);
  const why = reason(o);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (why) headers[EMULATOR_ERROR_HEADER] = why;
  const body = o.kind === 'answered' && o.code === 200 ? JSON.stringify(o.body ?? {}) : JSON.stringify({ error: why });
  return new Response(body, { status, headers });
}
