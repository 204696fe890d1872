/** Signing a Playwright browser context in, the way Clerk's browser code leaves its cookies. */
import type { BrowserContext } from '@playwright/test';
import { decodePayload, mintToken, type TestKeys, type TokenOptions } from './clerk-session';

export async function signInContext(context: BrowserContext, baseURL: string, keys: TestKeys, reader: TokenOptions) {
  // Issued on the site's origin, as Clerk's browser code would be (the server checks `azp`).
  const token = mintToken(keys, { azp: new URL(baseURL).origin, ...reader });
  const iat = Number(decodePayload(token).iat);
  await context.addCookies([
    { name: '__session', value: token, url: baseURL },
    // Not newer than the token, or Clerk would ask the browser to refresh it first.
    { name: '__client_uat', value: String(iat - 5), url: baseURL },
  ]);
  return token;
}
