import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS, SERVER_PROGRAM, serverArgs } from '../../tools/server-flags';

describe('production server Node flags', () => {
  it('`npm run serve` passes the same flags as `npm start` (tools/server-flags.ts)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const serve = pkg.scripts.serve!.split(/\s+/);
    expect(serve[0]).toBe('node');
    const program = serve.indexOf(`./dist/${SERVER_PROGRAM}`);
    expect(program).toBeGreaterThan(0);
    for (const flag of SERVER_NODE_FLAGS) expect(serve.slice(0, program)).toContain(flag);
    expect(serverArgs()).toEqual([...SERVER_NODE_FLAGS, `./dist/${SERVER_PROGRAM}`]);
  });

  it('are flags this Node accepts (a misspelt one stops Node with "bad option")', () => {
    expect(SERVER_NODE_FLAGS.length).toBeGreaterThan(0);
    const run = (flags: readonly string[]) => spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    const accepted = run(SERVER_NODE_FLAGS);
    expect(accepted.stderr).toBe('');
    expect(accepted.status).toBe(0);
    expect(run(['--heap-growing-percnt=50']).status).not.toBe(0);
  });
});
