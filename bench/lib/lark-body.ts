// Webhook bodies as Lark posts them: a schema 2.0 envelope, AES-encrypted into {"encrypt": …}, signed.

import { randomBytes } from 'node:crypto';
import { encryptEvent, signRequest } from '../../src/lark/crypto.js';

export interface SignedBody {
  body: string;
  headers: Record<string, string>;
}

export interface LarkApp {
  appId: string;
  encryptKey: string;
  verificationToken: string;
}

/** A signed, encrypted `card.action.trigger` (a button or a form submit on a card). */
export function cardActionBody(
  app: LarkApp,
  o: {
    eventId: string;
    operatorOpenId: string;
    value: Record<string, unknown>;
    formValue?: Record<string, unknown>;
    /** seconds, on the bot's clock */
    timestamp: number;
  },
): SignedBody {
  const envelope = {
    schema: '2.0',
    header: {
      event_id: o.eventId,
      event_type: 'card.action.trigger',
      create_time: String(o.timestamp * 1000),
      token: app.verificationToken,
      app_id: app.appId,
      tenant_key: 'bench-tenant',
    },
    event: {
      operator: { tenant_key: 'bench-tenant', open_id: o.operatorOpenId },
      token: `c-${o.eventId}`,
      action: { tag: 'button', value: o.value, ...(o.formValue ? { form_value: o.formValue } : {}) },
      host: 'im_message',
      context: { open_message_id: `om_bench_${o.eventId}`, open_chat_id: `oc_bench_p2p_${o.operatorOpenId}` },
    },
  };
  const body = JSON.stringify({ encrypt: encryptEvent(app.encryptKey, JSON.stringify(envelope)) });
  const timestamp = String(o.timestamp);
  const nonce = randomBytes(8).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signRequest(timestamp, nonce, app.encryptKey, body),
    },
  };
}
