/**
 * The caught mail on the stand-in's API port (loopback only, like every stand-in route):
 * `/__mail/` lists the messages, `/__mail/<id>` shows one (its HTML part in a sandboxed frame, its
 * headers and plain-text part), `/__mail.json` gives them to scripts and tests.
 */
import type { ServerResponse } from 'node:http';
import type { MailCatcher } from './mail.ts';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(res: ServerResponse, title: string, body: string) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f5f5f4;padding:1rem}iframe{width:100%;height:40rem;border:1px solid #ccc}</style>
</head><body>${body}</body></html>`);
}

/** Answers `/__mail…` requests; false for any other path. */
export function handleMailPages(mail: MailCatcher | undefined, path: string, res: ServerResponse): boolean {
  if (path !== '/__mail.json' && path !== '/__mail' && !path.startsWith('/__mail/')) return false;
  if (!mail) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('No mail catcher in this run.');
    return true;
  }
  const messages = mail.messages();
  if (path === '/__mail.json') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ count: mail.count(), messages }));
    return true;
  }
  const id = path.replace(/^\/__mail\/?/, '').replace(/\/$/, '');
  if (!id) {
    const rows = [...messages]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${new Date(m.receivedAt).toISOString().slice(11, 19)}</td><td>${escape(m.envelopeTo.join(', '))}</td><td><a href="/__mail/${m.id}">${escape(m.subject)}</a></td></tr>`,
      )
      .join('');
    page(
      res,
      'Caught mail',
      `<h1>Mail caught by the demo</h1><p>Nothing here was delivered: the demo's local SMTP server keeps the last messages in memory.</p><table><thead><tr><th>Time</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows || '<tr><td colspan="3">No mail yet.</td></tr>'}</tbody></table>`,
    );
    return true;
  }
  const message = messages.find((m) => m.id === id);
  if (!message) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('No such message (only the last ones are kept).');
    return true;
  }
  const headers = Object.entries(message.headers)
    .map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`)
    .join('');
  page(
    res,
    message.subject,
    `<p><a href="/__mail/">← All mail</a></p><h1>${escape(message.subject)}</h1><table>${headers}</table>
<h2>HTML part</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escape(message.html)}"></iframe>
<h2>Plain-text part</h2><pre>${escape(message.text)}</pre>`,
  );
  return true;
}
