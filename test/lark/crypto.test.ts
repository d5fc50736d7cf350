import { createCipheriv, createHash } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { decryptEvent, encryptEvent, LarkCryptoError, signRequest, verifySignature } from '../../src/lark/crypto.js';

const KEY = 'kl9Q3Lxxxxxxxxxxxx';
const EVENT = JSON.stringify({ schema: '2.0', header: { event_type: 'im.message.receive_v1', token: 'v' }, event: { text: '帮助 ✓' } });

describe('encryptEvent / decryptEvent', () => {
  it('round-trips, with a fresh IV each time', () => {
    const a = encryptEvent(KEY, EVENT);
    const b = encryptEvent(KEY, EVENT);
    expect(a).not.toBe(b);
    expect(decryptEvent(KEY, a)).toBe(EVENT);
    expect(decryptEvent(KEY, b)).toBe(EVENT);
  });

  it('is what the SDK AESCipher decrypts', () => {
    const cipher = new lark.AESCipher(KEY);
    expect(cipher.decrypt(encryptEvent(KEY, EVENT))).toBe(EVENT);
  });

  it("decrypts Lark's format built independently: sha256 key, IV prefix, AES-256-CBC, base64", () => {
    const iv = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const c = createCipheriv('aes-256-cbc', createHash('sha256').update(KEY).digest(), iv);
    const encrypted = Buffer.concat([iv, c.update(EVENT, 'utf8'), c.final()]).toString('base64');
    expect(decryptEvent(KEY, encrypted)).toBe(EVENT);
    expect(encryptEvent(KEY, EVENT, iv)).toBe(encrypted);
  });

  it('decrypts the example from the Lark docs', () => {
    // https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case
    expect(decryptEvent('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('throws a typed error on bad input', () => {
    const good = encryptEvent(KEY, EVENT);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(LarkCryptoError);
        return (e as LarkCryptoError).code;
      }
      return 'no error';
    };
    expect(code(() => decryptEvent(KEY, ''))).toBe('empty');
    expect(code(() => decryptEvent(KEY, 'not base64 !!'))).toBe('not_base64');
    expect(code(() => decryptEvent(KEY, Buffer.alloc(20).toString('base64')))).toBe('bad_length');
    expect(['bad_key_or_padding', 'not_utf8']).toContain(code(() => decryptEvent('another key', good)));
    const tampered = Buffer.from(good, 'base64');
    tampered[tampered.length - 1]! ^= 0xff;
    expect(['bad_key_or_padding', 'not_utf8']).toContain(code(() => decryptEvent(KEY, tampered.toString('base64'))));
  });
});

describe('signRequest / verifySignature', () => {
  const ts = '1700000000';
  const nonce = 'abc123';
  const body = JSON.stringify({ encrypt: encryptEvent(KEY, EVENT) });

  it('is hex sha256(timestamp + nonce + encryptKey + body)', () => {
    const expected = createHash('sha256')
      .update(ts + nonce + KEY + body)
      .digest('hex');
    expect(signRequest(ts, nonce, KEY, body)).toBe(expected);
  });

  it('verifies the right signature and rejects everything else', () => {
    const sig = signRequest(ts, nonce, KEY, body);
    expect(verifySignature(ts, nonce, KEY, body, sig)).toBe(true);
    expect(verifySignature(ts, nonce, KEY, body, sig.toUpperCase())).toBe(true);
    expect(verifySignature(ts, nonce, KEY, body + ' ', sig)).toBe(false);
    expect(verifySignature('1700000001', nonce, KEY, body, sig)).toBe(false);
    expect(verifySignature(ts, nonce, 'other', body, sig)).toBe(false);
    expect(verifySignature(ts, nonce, KEY, body, sig.slice(1))).toBe(false);
    expect(verifySignature(ts, nonce, KEY, body, '')).toBe(false);
    expect(verifySignature(ts, nonce, KEY, body, undefined)).toBe(false);
  });

  it("passes the SDK dispatcher's own signature check", async () => {
    const seen: unknown[] = [];
    const dispatcher = new lark.EventDispatcher({ encryptKey: KEY, verificationToken: 'v', loggerLevel: lark.LoggerLevel.error }).register({
      'im.message.receive_v1': async (data) => {
        seen.push(data);
        return 'handled';
      },
    });
    const request = (signature: string) =>
      Object.assign(
        Object.create({ headers: { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature } }),
        JSON.parse(body),
      );
    expect(await dispatcher.invoke(request(signRequest(ts, nonce, KEY, body)))).toBe('handled');
    expect(await dispatcher.invoke(request('0'.repeat(64)))).toBeUndefined();
    expect(seen).toHaveLength(1);
  });
});
