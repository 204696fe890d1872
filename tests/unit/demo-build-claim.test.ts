/**
 * A second `npm start` from the same checkout refuses to rebuild the folder a running demo serves from
 * (tools/demo.ts `claimBuildDir`), with a message that says what to do; a claim left by a dead process
 * is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimBuildDir } from '../../tools/demo.ts';

describe('claimBuildDir (one demo per build folder)', () => {
  const root = mkdtempSync(join(tmpdir(), 'gatepost-claim-test-'));
  const outDir = join(root, 'gatepost-demo-x');
  const lock = `${outDir}.pid`;
  afterEach(() => rmSync(lock, { force: true }));

  it('refuses while another running process holds the folder, naming it and what to do', () => {
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(lock, String(other.pid));
      expect(() => claimBuildDir(outDir)).toThrow(
        new RegExp(`another demo from this checkout is running \\(process ${other.pid}\\).*stop it`),
      );
      // The running demo's claim is left alone.
      expect(readFileSync(lock, 'utf8')).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a claim whose process has ended, and releases only its own', () => {
    const ended = spawnSync('true');
    writeFileSync(lock, String(ended.pid));
    const release = claimBuildDir(outDir);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(lock)).toBe(false);
  });
});
