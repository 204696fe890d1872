/**
 * After the build, hashes every inline script Astro put into the pages (island bootstrap and client
 * directives) and writes them to dist/server/csp-hashes.json, so the server's Content-Security-Policy
 * can allow exactly those scripts instead of 'unsafe-inline'. JSON data blocks are not executed and need
 * no hash. Every page uses the same small set, server-rendered ones included: islands use `client:idle`.
 */
import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g;

export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(
    ([, body]) =>
      `sha256-${createHash('sha256')
        .update(body ?? '')
        .digest('base64')}`,
  );
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? htmlFiles(path) : name.endsWith('.html') ? [path] : [];
  });
}

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
        writeFileSync(new URL('csp-hashes.json', server), JSON.stringify([...hashes].sort(), null, 2));
        logger.info(`${hashes.size} inline script hash(es) for the Content-Security-Policy`);
      },
    },
  };
}
