/**
 * Tokens the server signs and later reads back: `<version>.<payload>.<mac>`, where the payload is
 * base64url of the fields joined by newlines and the MAC is HMAC-SHA256 over the version and the payload,
 * with a key from ./server-key.ts that never leaves the server. Verification compares MACs in constant
 * time and never throws on hostile input. Unsubscribe links and private feed URLs use this format.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAC_KEY_BYTES } from './server-key';

/** Longest token read: bounds the work done on hostile input before any MAC is computed. */
export const MAX_SIGNED_TOKEN_LENGTH = 400;
const SHAPE = /^([a-z][a-z0-9]{0,7})\.([A-Za-z0-9_-]{4,300})\.([A-Za-z0-9_-]{43})$/;

function mac(key: Buffer, version: string, payload: string): Buffer {
  return createHmac('sha256', key).update(`${version}\n${payload}`).digest();
}

/** The token carrying `fields` (none may contain a newline) under `version`, e.g. `u1`. */
export function signToken(key: Buffer, version: string, fields: readonly string[]): string {
  if (fields.some((field) => field.includes('\n') || field === ''))
    throw new Error('token fields must be non-empty and free of newlines');
  const payload = Buffer.from(fields.join('\n'), 'utf8').toString('base64url');
  return `${version}.${payload}.${mac(key, version, payload).toString('base64url')}`;
}

/**
 * The fields of a genuine token of `version` with exactly `count` fields, or null: malformed, another
 * version, tampered, or signed with another key.
 */
export function verifyToken(key: Buffer, version: string, token: unknown, count: number): string[] | null {
  if (typeof token !== 'string' || token.length > MAX_SIGNED_TOKEN_LENGTH) return null;
  const match = SHAPE.exec(token);
  if (!match || match[1] !== version) return null;
  const [, , payload, signature] = match as unknown as [string, string, string, string];
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== MAC_KEY_BYTES || given.toString('base64url') !== signature) return null;
  if (!timingSafeEqual(given, mac(key, version, payload))) return null;
  const fields = Buffer.from(payload, 'base64url').toString('utf8').split('\n');
  return fields.length === count && fields.every(Boolean) ? fields : null;
}
