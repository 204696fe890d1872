/**
 * Bad frontmatter must fail the build and say which file, which field and why. This builds a scratch
 * copy of the project with one broken article added.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths';

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'gatepost-frontmatter-'));
  for (const item of ['src', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(ROOT, item), join(scratch, item), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function buildWith(file: string, frontmatter: string) {
  const path = join(scratch, 'src/content/articles', file);
  writeFileSync(path, `---\n${frontmatter}\n---\n\nBody text.\n`);
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: scratch,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 90_000,
  });
  rmSync(path);
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('a build with invalid frontmatter', () => {
  it('fails naming the file, each field and the reason', () => {
    const { status, output } = buildWith(
      'broken-access.md',
      [
        'title: "A broken article"',
        'description: "This article has an unknown access level and a badly written tag."',
        'pubDate: 2026-03-01',
        'author: "Test Author"',
        'tags: [Web Performance]',
        'access: paid',
      ].join('\n'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('src/content/articles/broken-access.md');
    expect(output).toContain('access: access must be one of: public, members, premium');
    expect(output).toMatch(/tags\.0: each tag must be lowercase words joined by hyphens/);
  });

  it('fails when the access level is missing instead of publishing openly', () => {
    const { status, output } = buildWith(
      'no-access.md',
      [
        'title: "Forgot the access level"',
        'description: "An editor forgot to say who may read this article."',
        'pubDate: 2026-03-01',
        'author: "Test Author"',
      ].join('\n'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('src/content/articles/no-access.md');
    expect(output).toContain('access: access must be one of');
  });

  it('fails on a cover image without alt text', () => {
    const { status, output } = buildWith(
      'no-alt.md',
      [
        'title: "Cover without alt"',
        'description: "A cover image must always come with a description."',
        'pubDate: 2026-03-01',
        'author: "Test Author"',
        'access: public',
        'cover:',
        '  src: ./images/does-not-matter.png',
      ].join('\n'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('no-alt.md');
    expect(output).toMatch(/cover/);
  });
});
