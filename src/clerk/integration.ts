/**
 * Gatepost's Clerk integration. It does not run `@clerk/astro`'s integration: that one injects a script
 * into every page, static ones included, that downloads clerk-js and Clerk's UI for every visitor (and
 * throws in the browser when no publishable key was set at build time), and @clerk/astro 4 has no option
 * to turn that off. Instead:
 *
 * - the browser loads Clerk only in the islands that need it, through Clerk's React SDK
 *   (`<ClerkProvider>` from `@clerk/react`, src/clerk/ClerkIsland.tsx);
 * - the server verifies sessions with `@clerk/backend` (src/clerk/session.ts);
 * - Clerk's variables are declared in astro.config.mjs's `env.schema` with the rest;
 * - this integration adds @clerk/astro's types for `Astro.locals` (`@clerk/astro/env`: `locals.auth` is
 *   Clerk's auth object) and, after the build, checks every file of the output for the values of secret
 *   variables present at build time, failing the build if one is found.
 */
import type { AstroIntegration } from 'astro';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnv } from 'vite';
import { listFiles } from '../build/files';

/** Names of variables whose values must never be in a build artifact. */
export function secretNames(env: Record<string, string | undefined>): string[] {
  return Object.keys(env).filter(
    (name) =>
      !name.startsWith('PUBLIC_') &&
      /SECRET|JWT_KEY|PRIVATE|PASSWORD|TOKEN/i.test(name) &&
      (env[name]?.length ?? 0) >= 8,
  );
}

export default function clerkIntegration(): AstroIntegration {
  let root = process.cwd();
  return {
    name: 'gatepost/clerk',
    hooks: {
      'astro:config:setup': ({ config }) => {
        root = fileURLToPath(config.root);
      },
      'astro:config:done': ({ injectTypes }) => {
        injectTypes({ filename: 'types.d.ts', content: '/// <reference types="@clerk/astro/env" />' });
      },
      'astro:build:done': ({ dir, logger }) => {
        const env = { ...loadEnv('production', root, ''), ...process.env };
        const secrets = secretNames(env);
        const outDir = fileURLToPath(new URL('../', dir));
        const found: string[] = [];
        // Searched as bytes: no text copy of every built file (a large site's build is hundreds of MB).
        const needles = secrets.map((name) => [name, Buffer.from(env[name]!)] as const);
        for (const file of needles.length ? listFiles(outDir) : []) {
          const bytes = readFileSync(file);
          for (const [name, needle] of needles) {
            if (bytes.includes(needle)) found.push(`${name} in ${relative(root, file)}`);
          }
        }
        if (found.length) {
          throw new Error(
            `Secret values were written into the build output: ${found.join(', ')}. Refusing to ship it.`,
          );
        }
        logger.info(`checked ${secrets.length} secret variable(s): none in the build output`);
      },
    },
  };
}
