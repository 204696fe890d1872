/**
 * After the build, hashes every inline script Astro can put into a page and writes them to
 * dist/server/csp-hashes.json, so the server's Content-Security-Policy allows exactly those scripts
 * instead of 'unsafe-inline':
 * - the inline scripts of every prerendered page (the island bootstrap, the directives they use);
 * - every client directive's script from the server manifest, because a server-rendered page may use
 *   a directive no prerendered page uses (e.g. `client:idle` on /account/, `client:session` elsewhere).
 * JSON data blocks are not executed and need no hash.
 */
import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../build/files';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g;

const sha256 = (code: string) => `sha256-${createHash('sha256').update(code).digest('base64')}`;

export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(([, body]) => sha256(body ?? ''));
}

/** The client directives' inline scripts, as serialised in the server manifest (entry.mjs). */
export function directiveScriptHashes(serverEntry: string): string[] {
  const match = /"clientDirectives":(\[\[.*?\]\]),"/.exec(serverEntry);
  if (!match) throw new Error('csp-hashes: no clientDirectives in the server manifest; update this integration.');
  return (JSON.parse(match[1]!) as [string, string][]).map(([, code]) => sha256(code));
}

const htmlFiles = (dir: string) => listFiles(dir).filter((path) => path.endsWith('.html'));

export default function cspHashes(): AstroIntegration {
  let client: URL | undefined;
  let server: URL | undefined;
  return {
    name: 'gatepost/csp-hashes',
    hooks: {
      'astro:config:done': ({ config }) => {
        client = config.build.client;
        server = config.build.server;
      },
      'astro:build:done': ({ logger }) => {
        if (!client || !server) return;
        const hashes = new Set<string>();
        for (const file of htmlFiles(fileURLToPath(client))) {
          for (const hash of inlineScriptHashes(readFileSync(file, 'utf8'))) hashes.add(hash);
        }
        const entry = readFileSync(new URL('entry.mjs', server), 'utf8');
        for (const hash of directiveScriptHashes(entry)) hashes.add(hash);
        writeFileSync(new URL('csp-hashes.json', server), JSON.stringify([...hashes].sort(), null, 2));
        logger.info(`${hashes.size} inline script hash(es) for the Content-Security-Policy`);
      },
    },
  };
}
