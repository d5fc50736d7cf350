/**
 * The emulator's copy of Lark's webhook crypto agrees with the SDK and with our intake's side (src/lark/crypto.ts),
 * so neither can drift without a test failing.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { encryptBody, signBody } from '../../src/emulator/lark-crypto.js';
import { decryptEvent, encryptEvent, signRequest, verifySignature } from '../../src/lark/crypto.js';

const KEY = 'emulator-key-招商';
const BODY = JSON.stringify({ schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: { text: '帮助 ✓' } });

describe('the emulator’s Lark crypto', () => {
  it('works: what it encrypts the SDK AESCipher and our intake decrypt, and the same IV gives the same body', () => {
    const sealed = encryptBody(KEY, BODY);
    expect(new lark.AESCipher(KEY).decrypt(sealed)).toBe(BODY);
    expect(decryptEvent(KEY, sealed)).toBe(BODY);
    const iv = Buffer.alloc(16, 7);
    expect(encryptBody(KEY, BODY, iv)).toBe(encryptEvent(KEY, BODY, iv));
  });

  it('works: its signature is the one our intake verifies', () => {
    const sig = signBody('1763000000', 'nonce', KEY, BODY);
    expect(sig).toBe(signRequest('1763000000', 'nonce', KEY, BODY));
    expect(verifySignature('1763000000', 'nonce', KEY, BODY, sig)).toBe(true);
  });

  it('refused: another key neither decrypts nor verifies', () => {
    expect(() => decryptEvent('other-key', encryptBody(KEY, BODY))).toThrow();
    expect(verifySignature('1763000000', 'nonce', 'other-key', BODY, signBody('1763000000', 'nonce', KEY, BODY))).toBe(false);
  });
});
