/**
 * The server program the build writes (src/server/integration.ts), relative to the build's output
 * directory (`dist/`): `npm run serve`, `npm start`, the demo and the tests run it from there
 * (tools/server-flags.ts).
 */
export const SERVER_PROGRAM = 'server/gatepost.mjs';
