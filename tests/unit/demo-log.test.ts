/**
 * The demo's terminal (tools/demo.ts `demoLogLine`): one short readable line per request instead of the
 * production server's JSON, so the banner's demo accounts stay readable; other messages as text.
 */
import { describe, expect, it } from 'vitest';
import { demoLogLine } from '../../tools/demo.ts';

const json = (entry: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: 1, pid: 1, hostname: 'h', ...entry });

describe('demoLogLine', () => {
  it('turns a request line into "METHOD path status ms"', () => {
    expect(demoLogLine(json({ msg: 'request', method: 'GET', path: '/pricing/', status: 200, ms: 4.2 }))).toBe(
      'GET /pricing/ 200 4.2 ms',
    );
    expect(
      demoLogLine(json({ msg: 'request', method: 'GET', path: '/members/x/', status: 200, ms: 9, aborted: true })),
    ).toBe('GET /members/x/ 200 9 ms (closed by the browser)');
  });
  it('keeps warnings and errors as text, with the error message', () => {
    expect(demoLogLine(json({ level: 40, msg: 'slow store' }))).toBe('[gatepost] warning: slow store');
    expect(demoLogLine(json({ level: 50, msg: 'render failed', err: { message: 'boom', stack: 'x' } }))).toBe(
      '[gatepost] error: render failed (boom)',
    );
  });
  it('passes plain text through and drops the session-storage note', () => {
    expect(demoLogLine('[gatepost] members store: sqlite')).toBe('[gatepost] members store: sqlite');
    expect(demoLogLine('{not json')).toBe('{not json');
    expect(demoLogLine('14:01:19 [@astrojs/node] Enabling sessions with filesystem storage')).toBeNull();
  });
});
