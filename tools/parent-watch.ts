/**
 * Preloaded (`node --import`) into the Gatepost server that the demo launcher starts, never into a
 * production server: it stops the server when the launcher goes away, however the launcher ended
 * (Ctrl+C, a crash, SIGKILL from a test runner), so no orphan keeps serving with a stand-in's keys.
 * The launcher opens an IPC channel to the server; the channel closes when the launcher dies.
 */
if (process.send) {
  process.on('disconnect', () => process.exit(0));
  // The channel alone must not keep the server alive, nor keep it from exiting on its own.
  process.channel?.unref();
}

export {};
