/**
 * Every setting Astro reads is documented where operators look: each variable declared in `env.schema`
 * (astro.config.mjs) is in `.env.example` (as a line `NAME=` or `# NAME=`) and in docs/deploy.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../astro.config.mjs';
import { ROOT } from '../support/paths';

const names = Object.keys(config.env?.schema ?? {});
const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
const deploy = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');

describe('settings are documented', () => {
  it('reads the schema', () => {
    expect(names).toContain('SITE_URL');
    expect(names.length).toBeGreaterThan(10);
  });

  it.each(names)('%s is in .env.example and docs/deploy.md', (name) => {
    expect(example, `.env.example has no ${name}= line`).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
    expect(deploy, `docs/deploy.md does not mention ${name}`).toContain(name);
  });
});
