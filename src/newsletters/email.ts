/**
 * One newsletter email for one tier, from what the access decision allowed: the full article when the
 * decision is `allowed`, otherwise the public preview, the paywall's sentence and a link to upgrade, as
 * on the web page. Rendered once per (article, tier) when a send is queued; only the personal links are
 * filled in per recipient (`personalise`). HTML (inline styles, light and dark) and plain text.
 *
 * Plain TypeScript: the caller (./article-email.ts) asks `decideAccess` and passes the decision with the
 * HTML it unlocked; nothing here reads an article.
 */
import type { Decision } from '../gate/decision';
import type { Newsletter } from '../site/newsletters';
import { decodeHTML, escapeUTF8 as escapeHTML } from 'entities';
import { DOCUMENT_NODE, ELEMENT_NODE, parse, TEXT_NODE } from 'ultrahtml';

/** Filled in per recipient; never part of an article (the composer escapes what it inserts). */
export const UNSUBSCRIBE_PLACEHOLDER = '{{gatepost:unsubscribe-url}}';
export const MANAGE_PLACEHOLDER = '{{gatepost:manage-url}}';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** True when the email carries the whole article (the decision allowed it). */
  full: boolean;
}

export interface EmailArticle {
  title: string;
  description: string;
  /** Absolute URL of the article's page. */
  url: string;
}

export type EmailBody =
  | { decision: Extract<Decision, { allowed: true }>; html: string }
  | {
      decision: Extract<Decision, { allowed: false }>;
      /** The public preview's HTML (what the web page shows before its paywall). */
      previewHtml: string;
      /** Absolute URL of the upgrade (pricing) page, returning to the article. */
      upgradeUrl: string;
    };

export interface ComposeInput {
  article: EmailArticle;
  newsletter: Newsletter;
  body: EmailBody;
  /** The site's origin, e.g. https://gatepost.example: relative links and images become absolute. */
  origin: string;
  siteName: string;
}

/** `src="/…"`, `href="/…"` and `srcset` entries made absolute, so links and images work in a mail client. */
export function absoluteUrls(html: string, origin: string): string {
  const base = origin.replace(/\/$/, '');
  return html
    .replace(/\b(src|href|poster)=(["'])\/(?!\/)/g, (_m, attr: string, quote: string) => `${attr}=${quote}${base}/`)
    .replace(/\bsrcset=(["'])([^"']*)\1/g, (_m, quote: string, value: string) => {
      const entries = value.split(',').map((entry) => entry.trim().replace(/^\/(?!\/)/, `${base}/`));
      return `srcset=${quote}${entries.join(', ')}${quote}`;
    });
}

const CSS = `
  body { margin: 0; padding: 0; background: #fafaf9; color: #1c1917; }
  .wrap { max-width: 640px; margin: 0 auto; padding: 24px 20px; font-family: Georgia, 'Times New Roman', serif; font-size: 18px; line-height: 1.6; }
  .meta, .foot, .btn { font-family: -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; }
  .meta { font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: #57534e; }
  h1 { font-family: -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; font-size: 30px; line-height: 1.2; margin: 8px 0 16px; }
  a { color: #9a3412; }
  img { max-width: 100%; height: auto; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f4; padding: 12px; font-size: 14px; }
  .paywall { margin: 32px 0; padding: 24px; border: 1px solid #d6d3d1; border-radius: 12px; text-align: center; background: #ffffff; }
  .btn { display: inline-block; padding: 12px 20px; border-radius: 8px; background: #9a3412; color: #ffffff !important; text-decoration: none; font-weight: 600; }
  .foot { margin-top: 40px; padding-top: 16px; border-top: 1px solid #d6d3d1; font-size: 13px; color: #57534e; }
  @media (prefers-color-scheme: dark) {
    body { background: #0c0a09 !important; color: #e7e5e4 !important; }
    a { color: #fdba74 !important; }
    .meta, .foot { color: #a8a29e !important; }
    pre { background: #1c1917 !important; }
    .paywall { background: #1c1917 !important; border-color: #44403c !important; }
  }
`;

/** The email for one tier, with the personal links as placeholders. */
export function composeEmail({ article, newsletter, body, origin, siteName }: ComposeInput): RenderedEmail {
  const title = escapeHTML(article.title);
  const articleUrl = escapeHTML(article.url);
  const full = body.decision.allowed;
  let content: string;
  let textContent: string;
  if ('html' in body) {
    const html = absoluteUrls(body.html, origin);
    content = html;
    textContent = htmlToParagraphs(html);
  } else {
    const preview = absoluteUrls(body.previewHtml, origin);
    const upgrade = escapeHTML(body.upgradeUrl);
    content = `${preview}
<div class="paywall" data-paywall="${body.decision.reason}">
  <p style="margin:0 0 16px">${escapeHTML(body.decision.message)}</p>
  <a class="btn" href="${upgrade}">Upgrade to keep reading</a>
  <p style="margin:16px 0 0;font-size:14px"><a href="${articleUrl}">Read the preview on the site</a></p>
</div>`;
    textContent = `${htmlToParagraphs(preview)}\n\n---\n${body.decision.message}\nUpgrade to keep reading: ${body.upgradeUrl}`;
  }
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
<div class="wrap">
<p class="meta">${escapeHTML(newsletter.name)}</p>
<h1><a href="${articleUrl}" style="color:inherit;text-decoration:none">${title}</a></h1>
${content}
<div class="foot">
<p>You receive ${escapeHTML(newsletter.name)} from ${escapeHTML(siteName)} as a member. <a href="${MANAGE_PLACEHOLDER}">Manage your newsletters</a> · <a href="${UNSUBSCRIBE_PLACEHOLDER}">Unsubscribe</a></p>
</div>
</div>
</body>
</html>`;
  const text = `${newsletter.name}

${article.title}
${article.url}

${textContent}

--
You receive ${newsletter.name} from ${siteName} as a member.
Manage your newsletters: ${MANAGE_PLACEHOLDER}
Unsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}
`;
  return { subject: article.title, html, text, full };
}

const SKIPPED = new Set(['script', 'style', 'template', 'svg', 'math', 'head']);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'table',
  'tr',
  'ul',
  'ol',
  'li',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

interface HtmlNode {
  type: number;
  name?: string;
  value?: string;
  attributes?: Record<string, string>;
  children?: HtmlNode[];
}

/** Plain text keeping paragraphs apart, list items marked, links as "text (url)". */
function htmlToParagraphs(html: string): string {
  const out: string[] = [];
  const walk = (node: HtmlNode, pre: boolean) => {
    if (node.type === TEXT_NODE) {
      const text = decodeHTML(node.value ?? '');
      out.push(pre ? text : text.replace(/\s+/g, ' '));
      return;
    }
    if (node.type !== ELEMENT_NODE && node.type !== DOCUMENT_NODE) return;
    const name = node.name ?? '';
    if (SKIPPED.has(name)) return;
    if (name === 'br') return void out.push('\n');
    const block = BLOCKS.has(name);
    if (block) out.push('\n\n');
    if (name === 'li') out.push('- ');
    const start = out.length;
    for (const child of node.children ?? []) walk(child, pre || name === 'pre');
    if (name === 'a' && node.attributes?.href) {
      const label = out.slice(start).join('').trim();
      if (label && label !== node.attributes.href) out.push(` (${node.attributes.href})`);
    }
    if (name === 'img' && node.attributes?.alt) out.push(`[${node.attributes.alt}]`);
    if (block) out.push('\n\n');
  };
  walk(parse(html) as HtmlNode, false);
  return out
    .join('')
    .split(/\n{2,}/)
    .map((para) => para.replace(/[ \t]+\n/g, '\n').replace(/^[ \t]+|[ \t]+$/g, ''))
    .filter(Boolean)
    .join('\n\n');
}

/** The email for one recipient: the placeholders replaced by their own links (escaped for HTML). */
export function personalise(
  email: RenderedEmail,
  links: { unsubscribeUrl: string; manageUrl: string },
): { html: string; text: string } {
  const html = email.html
    .replaceAll(UNSUBSCRIBE_PLACEHOLDER, escapeHTML(links.unsubscribeUrl))
    .replaceAll(MANAGE_PLACEHOLDER, escapeHTML(links.manageUrl));
  const text = email.text
    .replaceAll(UNSUBSCRIBE_PLACEHOLDER, links.unsubscribeUrl)
    .replaceAll(MANAGE_PLACEHOLDER, links.manageUrl);
  return { html, text };
}
