/**
 * Lark webhook crypto: the AES body encryption and the request signature.
 *
 * Pure functions over node:crypto so the same code runs on Node and on Cloudflare Workers (nodejs_compat).
 * Matches the SDK's `AESCipher` (key = sha256(encryptKey), AES-256-CBC, IV = first 16 bytes, base64) and the
 * dispatcher's signature check (hex sha256 of timestamp + nonce + encryptKey + raw body). The SDK compares the
 * signature with `===`; we compare in constant time.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type LarkCryptoErrorCode = 'empty' | 'not_base64' | 'bad_length' | 'bad_key_or_padding' | 'not_utf8';

/** Thrown by {@link decryptEvent} when the input cannot be an event encrypted with this key. */
export class LarkCryptoError extends Error {
  override readonly name = 'LarkCryptoError';
  constructor(
    readonly code: LarkCryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const BLOCK = 16;

function aesKey(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey, 'utf8').digest();
}

/**
 * Encrypts an event body the way Lark does: the value of `{"encrypt": "..."}`.
 * `iv` is for tests only; production callers get a random one.
 */
export function encryptEvent(encryptKey: string, plaintextJson: string, iv: Uint8Array = randomBytes(BLOCK)): string {
  if (iv.length !== BLOCK) throw new RangeError('iv must be 16 bytes');
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  const body = Buffer.concat([cipher.update(plaintextJson, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from(iv), body]).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decrypts the value of `{"encrypt": "..."}` to the plaintext JSON string. Throws {@link LarkCryptoError}. */
export function decryptEvent(encryptKey: string, encrypted: string): string {
  if (typeof encrypted !== 'string' || encrypted.length === 0) throw new LarkCryptoError('empty', 'nothing to decrypt');
  const compact = encrypted.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new LarkCryptoError('not_base64', 'encrypted body is not base64');
  const raw = Buffer.from(compact, 'base64');
  if (raw.length < 2 * BLOCK || raw.length % BLOCK !== 0) {
    throw new LarkCryptoError('bad_length', `encrypted body has ${raw.length} bytes, not IV + whole AES blocks`);
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), raw.subarray(0, BLOCK));
    plain = Buffer.concat([decipher.update(raw.subarray(BLOCK)), decipher.final()]);
  } catch {
    throw new LarkCryptoError('bad_key_or_padding', 'cannot decrypt: wrong encrypt key or corrupted body');
  }
  try {
    // A wrong key passes the padding check about once in 256 tries; the garbage is then almost never UTF-8.
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw new LarkCryptoError('not_utf8', 'decrypted body is not UTF-8: wrong encrypt key?');
  }
}

/** Lark's `x-lark-signature`: hex sha256(timestamp + nonce + encryptKey + rawBody). */
export function signRequest(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + rawBody, 'utf8')
    .digest('hex');
}

/**
 * Checks `x-lark-signature` in constant time. `rawBody` must be the body exactly as received (not re-serialised).
 * Missing or malformed signatures are simply `false`.
 */
export function verifySignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: string,
  signature: string | null | undefined,
): boolean {
  if (typeof signature !== 'string' || signature.length === 0) return false;
  const expected = Buffer.from(signRequest(timestamp, nonce, encryptKey, rawBody), 'utf8');
  const given = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
