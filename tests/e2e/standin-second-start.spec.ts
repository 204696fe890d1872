/**
 * A second demo started from the same checkout, on another port, while the first one runs (what a reader
 * does after "port in use … run with PORT=…"): it must not rebuild the folder the running demo serves
 * from. It refuses with a message saying what to do, and the running demo keeps answering, in a real
 * browser, with no 500 (before, the rebuild made it answer ERR_MODULE_NOT_FOUND). The claim itself is
 * unit-tested in tests/unit/demo-build-claim.test.ts.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { demoBuildDir, freePort } from '../../tools/demo.ts';
import { gatedSamples } from '../support/articles';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { premiumArticle } = gatedSamples();

/** Runs the demo's entry point like `npm start` does; resolves with its exit code and output. */
function startSecondDemo(outDir: string, port: number, apiPort: number) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        'tools/standin.ts',
        '--quiet',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--api-port',
        String(apiPort),
        '--out-dir',
        outDir,
      ],
      { cwd: ROOT, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A second demo that did start (the bug) would never exit by itself: stop it and report what it said.
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('a second demo from the same checkout refuses, and the running one keeps serving', async ({ page }) => {
  test.setTimeout(120_000);
  const [port, apiPort] = [await freePort(), await freePort()];
  const second = await startSecondDemo(demoBuildDir('e2e'), port, apiPort);

  expect(second.code).toBe(1);
  expect(second.output).toMatch(/another demo from this checkout is running \(process \d+\)/);
  expect(second.output).toMatch(/stop it \(Ctrl\+C in its terminal\)/);
  // It stopped before building: no build output, and it never took its port.
  expect(second.output).not.toMatch(/building|astro build|\[build\]/i);
  await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();

  // The first demo still serves its static pages, its server-rendered ones and Clerk's sign-in.
  for (const path of ['/', `/members/${premiumArticle.slug}/`, '/sign-in/']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
  }
  await expect(page.locator('.cl-signIn-root').getByLabel('Email address')).toBeVisible({ timeout: 30_000 });
});
