/**
 * Lark's published webhook crypto, as Lark itself applies it when it posts to a request URL: the body is
 * AES-256-CBC encrypted with key sha256(Encrypt Key), a random 16-byte IV in front, base64; the signature is
 * hex sha256(timestamp + nonce + Encrypt Key + body).
 *
 * The emulator keeps its own copy rather than importing src/lark/crypto.ts: that file is our intake's side of
 * the protocol, and an emulator that borrowed it could not catch a mistake in it. The tests check each side
 * against the other and against the SDK's AESCipher.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/** The value of `{"encrypt": "..."}` for a JSON body. */
export function encryptBody(encryptKey: string, json: string, iv: Uint8Array = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([Buffer.from(iv), cipher.update(json, 'utf8'), cipher.final()]).toString('base64');
}

/** `x-lark-signature` of a request body. */
export function signBody(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body, 'utf8')
    .digest('hex');
}
