/**
 * React islands are server-rendered with renderToString (astro.config.mjs, `experimentalDisableStreaming`),
 * to which Astro passes no `useId` prefix while the browser hydrates with one: an island rendered on the
 * server that calls useId would hydrate with different ids (broken labels, a hydration error). So a
 * component that calls useId is rendered in the browser only (`client:only`), and no other component
 * imports it (which would bring it into a server render).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const files = (readdirSync(SRC, { recursive: true }) as string[]).map((file) => join(SRC, file));
const source = new Map(files.filter((f) => /\.(astro|tsx?)$/.test(f)).map((f) => [f, readFileSync(f, 'utf8')]));
const callsUseId = [...source].filter(([f, code]) => f.endsWith('.tsx') && /\buseId\s*\(/.test(code)).map(([f]) => f);

/** Every `<Name …>` element of `code`, with its attributes, up to the end of the opening tag. */
const elements = (code: string, name: string) =>
  [...code.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => m[0]);

describe('server-rendered React islands and useId', () => {
  it('finds the component that calls useId today (the scan works)', () => {
    expect(callsUseId.map((f) => basename(f))).toContain('ShareGift.tsx');
  });

  it.each(callsUseId.map((f) => [basename(f), f]))('%s is rendered in the browser only', (_name, file) => {
    const name = basename(file, '.tsx');
    const importers = [...source].filter(
      ([f, code]) => f !== file && new RegExp(`from ['"][^'"]*/${name}(?:\\.tsx)?['"]`).test(code),
    );
    expect(importers.length).toBeGreaterThan(0);
    for (const [importer, code] of importers) {
      // Imported by another component: rendered wherever that one is, on the server too.
      expect(importer.endsWith('.astro'), `${basename(importer)} imports ${name}`).toBe(true);
      for (const element of elements(code, name)) {
        expect(element, `${basename(importer)}: ${element}`).toMatch(/\bclient:only=/);
      }
    }
  });
});
