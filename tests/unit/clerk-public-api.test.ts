/**
 * Gatepost uses Clerk's public entry points only (docs/clerk.md): no module of the site imports a Clerk
 * package's `/internal` entry, and Clerk's browser code comes from `@clerk/react`'s `<ClerkProvider>`,
 * not from @clerk/astro's client stores or its injected script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths';

const files = [...globSync(['src/**/*.{ts,tsx,astro,mjs}'], { cwd: ROOT }), 'astro.config.mjs'];

/** Every module specifier a file imports from a Clerk package (static, dynamic, re-export). */
function clerkImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](@clerk\/[^'"]+)['"]/g)].map((m) => m[1]!);
}

describe("Clerk's public APIs only", () => {
  const imports = files.flatMap((file) => clerkImports(file).map((specifier) => ({ file, specifier })));

  it('finds the imports it checks', () => {
    expect(imports.map((i) => i.specifier)).toEqual(expect.arrayContaining(['@clerk/backend', '@clerk/react']));
  });

  it('imports no Clerk package through its /internal entry', () => {
    expect(imports.filter((i) => /\/internal(\/|$)/.test(i.specifier))).toEqual([]);
  });

  it("loads Clerk in the browser through @clerk/react, not @clerk/astro's client stores or integration", () => {
    const astroBrowser = imports.filter((i) => /^@clerk\/astro(\/client|\/react)?$/.test(i.specifier));
    expect(astroBrowser).toEqual([]);
  });
});
