/**
 * The newsletter benchmark's SMTP sink in a process of its own (lib/newsletters.ts forks it), so the
 * sender's memory is measured without it: the stand-in's mail catcher on 127.0.0.1, counting messages
 * without parsing them. Answers `{ type: 'count' }` and `{ type: 'clear' }` with the count over the IPC channel.
 */
import { startMailCatcher } from '@gatepost/clerk-standin/mail';

const sink = await startMailCatcher({ parse: false });
// Both answer the count so far; `clear` then starts it again.
process.on('message', (message: { type: 'count' | 'clear' }) => {
  const count = sink.count();
  if (message.type === 'clear') sink.clear();
  process.send!({ type: message.type, count });
});
process.once('disconnect', () => void sink.stop().then(() => process.exit(0)));
process.send!({ type: 'ready', url: sink.url });
