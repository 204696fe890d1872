/**
 * Every setting Astro reads is documented where operators look: each variable declared in `env.schema`
 * (astro.config.mjs) is in `.env.example` (as a line `NAME=` or `# NAME=`) and in docs/deploy.md. So is
 * each `GATEPOST_*` variable `npm run publish` names (tools/publish.ts reads its own, outside Astro).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../astro.config.mjs';
import { ROOT } from '../support/paths';

const names = Object.keys(config.env?.schema ?? {});
const publishNames = [
  ...new Set(readFileSync(join(ROOT, 'tools/publish.ts'), 'utf8').match(/\bGATEPOST_[A-Z0-9_]+\b/g) ?? []),
];
const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
const deploy = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');

describe('settings are documented', () => {
  it('reads the schema', () => {
    expect(names).toContain('SITE_URL');
    expect(names.length).toBeGreaterThan(10);
  });

  it('reads the publishing command', () => {
    expect(publishNames).toContain('GATEPOST_PUBLISH_CHECK_TIMEOUT_MS');
  });

  it.each([...new Set([...names, ...publishNames])])('%s is in .env.example and docs/deploy.md', (name) => {
    expect(example, `.env.example has no ${name}= line`).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
    expect(deploy, `docs/deploy.md does not mention ${name}`).toContain(name);
  });
});
