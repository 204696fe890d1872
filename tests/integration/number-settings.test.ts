/**
 * The numeric settings Astro reads (src/server/number-settings.ts), against the built server: a value
 * Astro would reject stops the server at start with one line naming it, instead of a server whose every
 * server-rendered page answers 500; a good one is served with.
 */
import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server';

describe('numeric settings', () => {
  it('refuses to start with a bad one, in one line naming it', async () => {
    for (const [name, value, unit] of [
      ['GATEPOST_GIFT_LINK_DAYS', 'soon', 'days from 1 to 365'],
      ['GATEPOST_AUTH_TIMEOUT_MS', '0', 'milliseconds from 1 to 60000'],
      ['GATEPOST_CARD_QUEUE_LIMIT', '0', 'cards from 1 to 10000'],
    ] as const) {
      await expect(startServer({ [name]: value })).rejects.toThrow(
        `Server exited with 1:\n[gatepost] ${name} must be a whole number of ${unit}, not "${value}"\n`,
      );
    }
  });

  it('serves server-rendered pages with good ones', async () => {
    const server = await startServer({ GATEPOST_GIFT_LINK_DAYS: '7', GATEPOST_AUTH_TIMEOUT_MS: '1500' });
    try {
      expect((await fetch(`${server.url}/account/`)).status).toBe(200);
      expect(server.output()).not.toMatch(/EnvInvalidVariables|GATEPOST_GIFT_LINK_DAYS/);
    } finally {
      await server.stop();
    }
  });
});
