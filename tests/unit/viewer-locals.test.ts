/** The viewer step: one viewer per request on `locals.viewer`, anonymous whenever the session is not usable. */
import { describe, expect, it } from 'vitest';
import type { APIContext } from 'astro';
import { readViewer, setViewer } from '../../src/gate/locals';
import { ANONYMOUS } from '../../src/gate/viewer';

const signedIn = () => ({ userId: 'user_1', sessionId: 'sess_1', sessionClaims: { metadata: { tier: 'premium' } } });

function run(locals: Record<string, unknown>, isPrerendered = false) {
  let calls = 0;
  const context = { locals, isPrerendered, url: new URL('http://localhost/members/x/') } as unknown as APIContext;
  const next = async () => {
    calls++;
    return new Response('ok');
  };
  return { done: setViewer(context, next), calls: () => calls, locals: locals as { viewer: unknown } };
}

describe('viewer step', () => {
  it('sets the reader once from Clerk’s auth and calls the page once', async () => {
    let reads = 0;
    const { done, calls, locals } = run({
      auth: () => {
        reads++;
        return signedIn();
      },
    });
    await done;
    expect(locals.viewer).toMatchObject({ kind: 'member', userId: 'user_1', tier: 'premium' });
    expect(locals.viewer).toBe(locals.viewer);
    expect(reads).toBe(1);
    expect(calls()).toBe(1);
  });

  it('is anonymous without Clerk, after a failed session check, and when auth throws', () => {
    expect(readViewer({})).toBe(ANONYMOUS);
    expect(readViewer({ auth: signedIn, gatepostAuthFailed: true })).toBe(ANONYMOUS);
    expect(
      readViewer({
        auth: () => {
          throw new Error('broken');
        },
      }),
    ).toBe(ANONYMOUS);
  });

  it('refuses to tell a prerendered page who is reading', async () => {
    const { done, locals } = run({ auth: signedIn }, true);
    await done;
    expect(() => locals.viewer).toThrow(/prerendering \/members\/x\//);
  });
});
