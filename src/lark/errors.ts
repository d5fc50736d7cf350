// The two ways a Lark call fails: the API said no, or the network (or Lark's servers) failed.

/** Throttling codes: 99991400 (app/API frequency limit), 230020 (message send frequency limit). */
export const THROTTLE_CODES: ReadonlySet<number> = new Set([99991400, 230020]);
/** The token we presented is no longer honoured: fetch a new one and try once more. */
export const TOKEN_INVALID_CODES: ReadonlySet<number> = new Set([99991663, 99991664, 99991677]);

/** Lark answered and said no. `httpStatus` is 200 when the refusal came as a non-zero `code` in the body. */
export class LarkApiError extends Error {
  override readonly name = 'LarkApiError';
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly httpStatus: number,
    readonly logId: string | undefined,
    /** method and path of the call (no query, no body) */
    readonly endpoint: string,
    /** when Lark said when to come back (throttling): milliseconds from the failure */
    readonly retryAfterMs?: number,
  ) {
    super(`Lark ${endpoint} answered ${httpStatus} code ${code}: ${msg}${logId ? ` (log_id ${logId})` : ''}`);
  }
  get throttled(): boolean {
    return this.httpStatus === 429 || THROTTLE_CODES.has(this.code);
  }
}

/** The network failed, or Lark's servers kept answering 5xx, after our retries. */
export class LarkNetworkError extends Error {
  override readonly name = 'LarkNetworkError';
  constructor(
    message: string,
    readonly endpoint: string,
    /** the last HTTP status when there was one (5xx) */
    readonly httpStatus: number | undefined,
    readonly attempts: number,
    readonly logId?: string,
  ) {
    super(message);
  }
}

/** Whether trying the same call again later may succeed (the outbox reschedules these; others fail). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof LarkNetworkError) return true;
  if (err instanceof LarkApiError) {
    return err.throttled || err.httpStatus >= 500 || TOKEN_INVALID_CODES.has(err.code);
  }
  return false;
}
