/**
 * Clerk's Astro integration, with two changes made at the integration level:
 *
 * 1. **No script injected into every page.** Stock `clerk()` adds a script to every page, static ones
 *    included, that downloads clerk-js and Clerk's UI for every visitor, and throws in the browser when
 *    no publishable key was set at build time. Gatepost loads Clerk's browser code only where it is needed
 *    (a signed-in reader's account menu, the sign-in/up and account pages) through
 *    `src/clerk/loader.ts`, which calls the same `runInjectionScript` from
 *    `@clerk/astro/internal` that the dropped scripts would have run.
 * 2. **No secret in the build output.** After the build, every file in the output is checked for the
 *    values of secret variables present at build time, and the build fails if one is found. (Server code
 *    verifies sessions with @clerk/backend, src/clerk/session.ts, which reads nothing from
 *    `import.meta.env`.)
 *
 * Everything else the integration sets up is kept: the astro:env schema for Clerk's variables, the
 * virtual config module its components import, and the sign-in/up URL defines.
 */
import clerk from '@clerk/astro';
import type { AstroIntegration } from 'astro';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnv } from 'vite';
import { listFiles } from '../build/files';

type ClerkOptions = Parameters<typeof clerk>[0];

/** Names of variables whose values must never be in a build artifact. */
export function secretNames(env: Record<string, string | undefined>): string[] {
  return Object.keys(env).filter(
    (name) =>
      !name.startsWith('PUBLIC_') &&
      /SECRET|JWT_KEY|PRIVATE|PASSWORD|TOKEN/i.test(name) &&
      (env[name]?.length ?? 0) >= 8,
  );
}

export default function clerkOnDemand(options?: ClerkOptions): AstroIntegration {
  const integration = clerk(options);
  const setup = integration.hooks['astro:config:setup'];
  let root = process.cwd();
  return {
    ...integration,
    name: 'gatepost/clerk-on-demand',
    hooks: {
      ...integration.hooks,
      'astro:config:setup': (params) => {
        root = fileURLToPath(params.config.root);
        return setup?.({
          ...params,
          injectScript: (stage, content) => {
            if (content.includes('runInjectionScript')) return;
            params.injectScript(stage, content);
          },
        });
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
