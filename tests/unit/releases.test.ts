/** The releases folder's rules (src/publish/releases.ts): ids, `current`, rollback's target, pruning. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  currentRelease,
  listReleases,
  newReleaseId,
  previousRelease,
  pruneReleases,
  releasesDirOfProgram,
  releaseProgram,
  setCurrent,
} from '../../src/publish/releases';

let root: string;
let dir: string;

/** A complete release (one with its server program). */
function release(id: string) {
  const program = releaseProgram(dir, id);
  mkdirSync(dirname(program), { recursive: true });
  writeFileSync(program, '');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gatepost-releases-'));
  dir = join(root, 'releases');
  mkdirSync(dir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('releases', () => {
  it('names a release by the UTC time, with a suffix when that name is taken', () => {
    const now = new Date('2026-12-05T14:15:00.123Z');
    expect(newReleaseId(dir, now)).toBe('20261205T141500Z');
    release('20261205T141500Z');
    expect(newReleaseId(dir, now)).toBe('20261205T141500Z-2');
  });

  it('lists complete releases only, oldest first', () => {
    release('20261205T120000Z');
    release('20261204T120000Z');
    mkdirSync(join(dir, '20261205T130000Z')); // a build that did not finish
    mkdirSync(join(dir, 'other'));
    expect(listReleases(dir)).toEqual(['20261204T120000Z', '20261205T120000Z']);
  });

  it('points current at a release, and rolls back to the one before it', () => {
    for (const id of ['20261203T120000Z', '20261204T120000Z', '20261205T120000Z']) release(id);
    expect(currentRelease(dir)).toBeUndefined();
    setCurrent(dir, '20261205T120000Z');
    expect(currentRelease(dir)).toBe('20261205T120000Z');
    expect(previousRelease(dir, '20261205T120000Z')).toBe('20261204T120000Z');
    setCurrent(dir, '20261204T120000Z');
    expect(currentRelease(dir)).toBe('20261204T120000Z');
    expect(previousRelease(dir, '20261203T120000Z')).toBeUndefined();
  });

  it('keeps the newest releases besides the current one, never removing a protected one', () => {
    const ids = ['20261201T000000Z', '20261202T000000Z', '20261203T000000Z', '20261204T000000Z', '20261205T000000Z'];
    for (const id of ids) release(id);
    // Keep 2 besides the newest: the two oldest go, except the one still serving.
    expect(pruneReleases(dir, 2, ['20261205T000000Z', '20261201T000000Z'])).toEqual(['20261202T000000Z']);
    expect(listReleases(dir)).toEqual(['20261201T000000Z', '20261203T000000Z', '20261204T000000Z', '20261205T000000Z']);
  });

  it('knows a server program runs from releases only when it is inside one and current exists', () => {
    release('20261205T120000Z');
    const program = releaseProgram(dir, '20261205T120000Z');
    expect(releasesDirOfProgram(program)).toBeUndefined();
    setCurrent(dir, '20261205T120000Z');
    expect(releasesDirOfProgram(program)).toBe(dir);
    expect(releasesDirOfProgram(join(root, 'dist/server/gatepost.mjs'))).toBeUndefined();
  });
});
