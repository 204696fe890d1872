/**
 * `npm run standin -- [options]` (see USAGE below): the site with the local Clerk stand-in, whatever
 * .env says. `npm start` does the same on a clone without Clerk keys; this entry point exists for tests
 * (the `standin` Playwright project) and for trying other ports or token lifetimes.
 */
import { parseArgs } from 'node:util';
import { runDemo } from './start.ts';
import { demoBuildDir } from './demo.ts';

const USAGE = `Usage: npm run standin -- [options]

The Gatepost site with the local Clerk stand-in (a demo, not Clerk), whatever .env says.

  --port <n>            the site's port (default 4321, or PORT)
  --api-port <n>        the stand-in's Backend/admin API port (default: any free port)
  --host <name>         the host name browsers use: localhost (default) or 127.0.0.1
  --out-dir <dir>       where the demo build goes (default: a directory in the OS temp dir)
  --no-build            serve the demo build already in --out-dir
  --token-lifetime <s>  session token lifetime in seconds (default 60, like Clerk)
  --quiet               no banner
  --verbose             log sign-ins, sign-outs, handshakes and unimplemented Clerk calls`;

const { values } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    port: { type: 'string' },
    'api-port': { type: 'string' },
    host: { type: 'string', default: 'localhost' },
    'out-dir': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'token-lifetime': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

if (values.host !== 'localhost' && values.host !== '127.0.0.1') {
  console.error('--host must be localhost or 127.0.0.1: the stand-in only ever listens on the loopback interface.');
  process.exit(2);
}

await runDemo({
  port: Number(values.port ?? process.env.PORT ?? 4321),
  apiPort: Number(values['api-port'] ?? 0),
  publicHost: values.host,
  outDir: values['out-dir'] ?? demoBuildDir('demo'),
  build: !values['no-build'],
  ...(values['token-lifetime'] ? { tokenLifetime: Number(values['token-lifetime']) } : {}),
  quiet: values.quiet,
  verbose: values.verbose,
});
