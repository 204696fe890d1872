// Test-only preload (node --import): logs every outgoing HTTP request the server makes, so tests can
// count them. Never part of the application or its build.
import http from 'node:http';
import https from 'node:https';

const log = (url) => process.stderr.write(`[gatepost-test-net] ${url}\n`);

const originalFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  log(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return originalFetch(input, init);
};

for (const module of [http, https]) {
  for (const name of ['request', 'get']) {
    const original = module[name];
    module[name] = function (...args) {
      const [first] = args;
      log(
        typeof first === 'string' || first instanceof URL
          ? String(first)
          : `${first?.hostname ?? first?.host}${first?.path ?? ''}`,
      );
      return original.apply(this, args);
    };
  }
}
