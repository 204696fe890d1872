/**
 * The patches to Clerk's SDK (patches/*.patch, applied by patch-package at install; why and what in
 * docs/clerk-sdk-patches.md) make per-request work happen once per process. These tests prove the
 * patches are applied and that they changed nothing about which tokens are accepted: Clerk's own
 * `verifyToken` still checks signature, expiry and not-before on every call.
 */
import { createClerkClient, verifyToken } from '@clerk/backend';
import { decodeJwt } from '@clerk/backend/jwt';
import { clerkClient } from '@clerk/astro/server';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateTestKeys, mintToken, tamper } from '../support/clerk-session';

const keys = generateTestKeys();
const verify = (token: string, jwtKey = keys.jwtKey) => verifyToken(token, { jwtKey });

afterEach(() => vi.restoreAllMocks());

describe('@clerk/backend: a verification key is imported once', () => {
  it('imports the same public key once across many verifications, and still verifies each token', async () => {
    const ownKeys = generateTestKeys();
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    for (let i = 0; i < 5; i++) {
      const payload = await verify(mintToken(ownKeys, { userId: `user_${i}` }), ownKeys.jwtKey);
      expect(payload.sub).toBe(`user_${i}`);
    }
    expect(importKey).toHaveBeenCalledTimes(1);
  });

  it('a token signed with another key is refused even when the right key is cached', async () => {
    await verify(mintToken(keys));
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(verify(mintToken(keys, { signWith: otherKey }))).rejects.toThrow(/signature/i);
  });

  it('a tampered payload is refused with the key cached', async () => {
    const token = mintToken(keys, { claims: { metadata: { tier: 'members' } } });
    await verify(token);
    const forged = tamper(token, (payload) => ({ ...payload, metadata: { tier: 'premium' } }));
    await expect(verify(forged)).rejects.toThrow(/signature/i);
  });

  it('expiry and not-before are still checked on every call', async () => {
    await verify(mintToken(keys));
    await expect(verify(mintToken(keys, { iat: -120, nbf: -120, exp: -60 }))).rejects.toThrow(/expired/i);
    await expect(verify(mintToken(keys, { nbf: 120 }))).rejects.toThrow(/not before|nbf|before/i);
  });

  it('a rotated key is imported afresh, and tokens of the old key are then refused under the new one', async () => {
    const oldKeys = generateTestKeys();
    const newKeys = generateTestKeys();
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    await verify(mintToken(oldKeys), oldKeys.jwtKey);
    await verify(mintToken(newKeys), newKeys.jwtKey);
    expect(importKey).toHaveBeenCalledTimes(2);
    await expect(verify(mintToken(oldKeys), newKeys.jwtKey)).rejects.toThrow(/signature/i);
  });

  it('the key id a token chooses does not create new cache entries', async () => {
    const ownKeys = generateTestKeys();
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    for (const kid of ['ins_a', 'ins_b', 'ins_c']) {
      await verify(mintToken(ownKeys, { header: { kid } }), ownKeys.jwtKey);
    }
    expect(importKey).toHaveBeenCalledTimes(1);
  });
});

describe('@clerk/backend: a valid signature is checked once per token', () => {
  it('verifies the same token with RSA once, and each other token once', async () => {
    const ownKeys = generateTestKeys();
    const subtleVerify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const token = mintToken(ownKeys, { userId: 'user_again' });
    for (let i = 0; i < 5; i++) expect((await verify(token, ownKeys.jwtKey)).sub).toBe('user_again');
    expect(subtleVerify).toHaveBeenCalledTimes(1);
    await verify(mintToken(ownKeys), ownKeys.jwtKey);
    expect(subtleVerify).toHaveBeenCalledTimes(2);
  });

  it('still checks every claim of a remembered token: expiry passes, another origin is refused', async () => {
    const token = mintToken(keys, { exp: 60, azp: 'https://gatepost.example' });
    await verify(token);
    await expect(
      verifyToken(token, { jwtKey: keys.jwtKey, authorizedParties: ['https://other.example'] }),
    ).rejects.toThrow(/authorized|azp/i);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * 60_000 });
    try {
      await expect(verify(token)).rejects.toThrow(/expired/i);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never remembers an invalid signature, and a remembered token is verified afresh under another key', async () => {
    const subtleVerify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = mintToken(keys, { signWith: otherKey });
    for (let i = 0; i < 3; i++) await expect(verify(forged)).rejects.toThrow(/signature/i);
    expect(subtleVerify).toHaveBeenCalledTimes(3);
    const token = mintToken(keys);
    await verify(token);
    await expect(verify(token, generateTestKeys().jwtKey)).rejects.toThrow(/signature/i);
  });
});

describe('@clerk/backend: a token is decoded once per token text', () => {
  /** An unsigned token of the right form (decoding never checks the signature). */
  const unsigned = (payload: Record<string, unknown>) =>
    [{ alg: 'RS256', typ: 'JWT' }, payload]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.') + '.c2ln';

  it('decodes the same text once, and each other text to its own claims', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const token = unsigned({ sub: 'user_once', metadata: { tier: 'members' } });
    const first = decodeJwt(token);
    expect(decode).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 5; i++) expect(decodeJwt(token)).toBe(first);
    expect(decode).toHaveBeenCalledTimes(2);
    const other = decodeJwt(unsigned({ sub: 'user_other', metadata: { tier: 'premium' } }));
    expect(other.payload).toMatchObject({ sub: 'user_other', metadata: { tier: 'premium' } });
    expect(first.payload).toMatchObject({ sub: 'user_once', metadata: { tier: 'members' } });
  });

  it('hands out claims no caller can change for the next one', () => {
    const data = decodeJwt(unsigned({ sub: 'user_frozen', metadata: { tier: 'members' } }));
    const payload = data.payload as unknown as { sub: string; metadata: { tier: string } };
    expect(() => {
      payload.metadata.tier = 'premium';
    }).toThrow(TypeError);
    expect(() => {
      payload.sub = 'user_someone_else';
    }).toThrow(TypeError);
    expect(decodeJwt(data.raw.text).payload).toMatchObject({
      sub: 'user_frozen',
      metadata: { tier: 'members' },
    });
  });

  it('keeps no failure: a malformed token gets a fresh error on every call', () => {
    const thrown = () => {
      try {
        decodeJwt('not.a-token');
      } catch (error) {
        return error as { reason?: string };
      }
      throw new Error('a malformed token was decoded');
    };
    const first = thrown();
    expect(first.reason).toBe('token-invalid');
    expect(thrown()).not.toBe(first);
  });

  it('is bounded: past its size the oldest token is decoded again', () => {
    const oldest = unsigned({ sub: 'user_oldest' });
    decodeJwt(oldest);
    for (let i = 0; i < 1100; i++) decodeJwt(unsigned({ sub: `user_${i}` }));
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    expect(decodeJwt(oldest).payload.sub).toBe('user_oldest');
    expect(decode).toHaveBeenCalledTimes(2);
  });

  it('keeps no token longer than a browser cookie holds: such junk is decoded every time', () => {
    const long = unsigned({ sub: 'user_long', filler: 'x'.repeat(5000) });
    decodeJwt(long);
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    expect(decodeJwt(long).payload.sub).toBe('user_long');
    expect(decode).toHaveBeenCalledTimes(2);
  });

  it('still refuses a tampered copy of a decoded token', async () => {
    const token = mintToken(keys, { claims: { metadata: { tier: 'members' } } });
    expect((await verify(token)).metadata).toEqual({ tier: 'members' });
    const forged = tamper(token, (payload) => ({ ...payload, metadata: { tier: 'premium' } }));
    decodeJwt(forged);
    await expect(verify(forged)).rejects.toThrow(/signature/i);
  });
});

describe('@clerk/backend: no Backend API client per auth object', () => {
  it('a signed-in auth object still hands out its session token from getToken(), with no network call', async () => {
    const client = createClerkClient({ publishableKey: keys.publishableKey, secretKey: keys.secretKey });
    const token = mintToken(keys, { userId: 'user_lazy' });
    const request = new Request('http://127.0.0.1/members/x/', {
      headers: { cookie: `__session=${token}; __client_uat=1`, 'sec-fetch-dest': 'document' },
    });
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const state = await client.authenticateRequest(request, {
      jwtKey: keys.jwtKey,
      publishableKey: keys.publishableKey,
      secretKey: keys.secretKey,
      authorizedParties: ['http://127.0.0.1'],
    });
    const auth = state.toAuth();
    expect(auth?.userId).toBe('user_lazy');
    // Same semantics as before: getToken() without a template returns the session token itself.
    expect(await auth?.getToken()).toBe(token);
    expect(fetchSpy).not.toHaveBeenCalled();
    // The debug snapshot, now taken when asked for: the same redacted fields.
    const debug = (auth as { debug: () => Record<string, unknown> }).debug();
    expect(debug.secretKey).toBe(keys.secretKey.slice(0, 7));
    expect(debug.sessionToken).toBe(token.slice(0, 7));
  });
});

describe('@clerk/astro: one Backend API client per configuration', () => {
  it('clerkClient() returns the same client for every request', () => {
    const first = clerkClient({ locals: {} } as never);
    const second = clerkClient({ locals: {} } as never);
    expect(second).toBe(first);
  });

  it('reads its environment once per process: a later change is not seen (a server restart is)', () => {
    const first = clerkClient({ locals: {} } as never);
    process.env.CLERK_API_URL = 'https://api.changed.example';
    try {
      expect(clerkClient({ locals: {} } as never)).toBe(first);
    } finally {
      delete process.env.CLERK_API_URL;
    }
  });

  it('a request-scoped environment (an adapter runtime such as Cloudflare) is still read per request', () => {
    const env = (domain: string) => ({ locals: { runtime: { env: { PUBLIC_CLERK_DOMAIN: domain } } } }) as never;
    expect(clerkClient(env('a.example'))).not.toBe(clerkClient(env('b.example')));
  });
});
