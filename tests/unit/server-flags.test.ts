import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../tools/server-flags';

describe('production server Node flags', () => {
  it('`npm run serve` passes the same flags as `npm start` (tools/server-flags.ts)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const serve = pkg.scripts.serve!.split(/\s+/);
    expect(serve[0]).toBe('node');
    for (const flag of SERVER_NODE_FLAGS)
      expect(serve.slice(0, serve.indexOf('./dist/server/entry.mjs'))).toContain(flag);
  });

  it('are flags this Node accepts', () => {
    expect(SERVER_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of SERVER_NODE_FLAGS)
      expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]!)).toBe(true);
  });
});
