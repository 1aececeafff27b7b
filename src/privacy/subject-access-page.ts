import { createHash } from 'node:crypto';
import { parseVerifierKey, verifyReceipts } from '../ledger/index.js';
import type { SubjectReport } from './subject-access.js';
import { PAGE_LANGUAGES, PAGE_TEXT, type PageLanguage, type PageText } from './subject-access-i18n.js';

/**
 * The subject-access report as a page a person can read: server-rendered HTML, every value escaped, no
 * script (it works without JavaScript), in English, French, Dutch or German. The proofs are checked here
 * and also shown raw, so that anyone can check them again with glasshub's verifier.
 */

export type ProofStatus = 'verified' | 'pending' | 'failed' | 'unchecked';

const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}',
  'table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}',
  'th{background:#f3f3f3}pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f7;padding:.5rem;font-size:.8rem}',
  'nav a{margin-right:.8rem}.verified{color:#06612a}.failed{color:#a00;font-weight:bold}.pending,.unchecked{color:#6a5300}',
  'label{display:block;margin:.6rem 0 .2rem}input{font-size:1rem;padding:.3rem}button{margin-top:1rem;font-size:1rem;padding:.4rem 1rem}',
].join('');

/** Only this exact style block may apply; no script at all (the page needs none). */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every value that reaches the page goes through here, in text and in attributes alike. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Checks each receipt on its own against the checkpoint and the log's key (one bad receipt does not hide the others). */
export function checkReceipts(report: SubjectReport, logVkey: string | undefined): Map<number, ProofStatus> {
  const status = new Map<number, ProofStatus>();
  for (const i of report.pending) status.set(i, 'pending');
  let verifier: ReturnType<typeof parseVerifierKey> | undefined;
  try {
    verifier = logVkey === undefined ? undefined : parseVerifierKey(logVkey);
  } catch {
    verifier = undefined;
  }
  for (const r of report.receipts.receipts) {
    if (!verifier) {
      status.set(r.index, 'unchecked');
      continue;
    }
    try {
      verifyReceipts({ checkpoint: report.receipts.checkpoint, receipts: [r] }, verifier);
      status.set(r.index, 'verified');
    } catch {
      status.set(r.index, 'failed');
    }
  }
  return status;
}

function layout(lang: PageLanguage, title: string, body: string, switchHref: (l: PageLanguage) => string): string {
  const nav = PAGE_LANGUAGES.map((l) =>
    l === lang ? `<strong>${escapeHtml(PAGE_TEXT[l].language)}</strong>` : `<a href="${escapeHtml(switchHref(l))}" hreflang="${l}" lang="${l}">${escapeHtml(PAGE_TEXT[l].language)}</a>`,
  ).join(' ');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><nav aria-label="language">${nav}</nav>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

const table = (headers: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `<table><thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

const FIELD_ORDER = ['name', 'street', 'postcode', 'city', 'country', 'email', 'phone'] as const;

export function renderReportPage(report: SubjectReport, lang: PageLanguage, proofs: ReadonlyMap<number, ProofStatus>, switchHref: (l: PageLanguage) => string): string {
  const t = PAGE_TEXT[lang];
  const data =
    report.data.length === 0
      ? `<p>${escapeHtml(t.noData)}</p>`
      : report.data
          .map((d) => `<table><tbody>${FIELD_ORDER.filter((f) => d[f] !== undefined).map((f) => `<tr><th scope="row">${escapeHtml(t.fields[f])}</th><td>${escapeHtml(d[f])}</td></tr>`).join('')}</tbody></table>`)
          .join('');
  const receipts = new Map(report.receipts.receipts.map((r) => [r.index, r]));
  const entries = report.entries
    .map((e) => {
      const status = proofs.get(e.index) ?? 'unchecked';
      const principal = (e.entry['principal'] ?? {}) as Record<string, unknown>;
      const receipt = receipts.get(e.index);
      const raw = receipt
        ? `<details><summary>${escapeHtml(t.rawProof)}</summary><pre>${escapeHtml(JSON.stringify(receipt, null, 1))}</pre></details>`
        : '';
      return `<tr id="entry-${e.index}"><td>${e.index}</td><td>${escapeHtml(e.entry['time'] ?? '')}</td><td>${escapeHtml(principal['organisation'] ?? '')} ${escapeHtml(principal['role'] ?? '')}</td><td>${escapeHtml(e.entry['action'] ?? e.entry['type'])}</td><td>${escapeHtml(e.entry['purpose'] ?? '')}</td><td>${escapeHtml(e.entry['decision'] ?? '')}</td><td class="${status}">${escapeHtml(t[status])}${raw}<details><summary>JSON</summary><pre>${escapeHtml(JSON.stringify(e.entry, null, 1))}</pre></details></td></tr>`;
    })
    .join('');
  const body = [
    `<p>${escapeHtml(t.intro)}</p>`,
    `<h2>${escapeHtml(t.yourData)}</h2>${data}`,
    `<h2>${escapeHtml(t.parcels)}</h2>`,
    table([t.trackingNumber, t.status, t.flight, t.received, t.retainedUntil], report.parcels.map((p) => [p.trackingNumber, p.status, p.flight, p.createdAt, p.retainedUntil.slice(0, 10)])),
    `<h2>${escapeHtml(t.erasure)}</h2>${erasureText(report, t)}`,
    `<h2>${escapeHtml(t.purposes)}</h2>`,
    table([t.purpose, t.legalBasis, t.retention], report.purposes.map((p) => [p.purpose, p.legalBasis, p.retention])),
    `<h2>${escapeHtml(t.recipients)}</h2>`,
    report.recipients.length === 0 ? `<p>${escapeHtml(t.noRecipients)}</p>` : table([t.organisation, t.role, t.action, t.purpose, t.time], report.recipients.map((r) => [r.organisation, r.role, r.action, r.purpose, r.time])),
    `<h2>${escapeHtml(t.entries)}</h2><p>${escapeHtml(t.entriesIntro)}</p>`,
    `<table><thead><tr>${[t.index, t.time, t.organisation, t.action, t.purpose, t.decision, t.proof].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${entries}</tbody></table>`,
    `<h2>${escapeHtml(t.checkpoint)}</h2><pre>${escapeHtml(report.receipts.checkpoint)}</pre>`,
    `<p>${escapeHtml(t.howToVerify)}</p>`,
  ].join('\n');
  return layout(lang, t.title, body, switchHref);
}

/** What the erasure route would answer: the same reason and date as its 409, in the page's language. */
function erasureText(report: SubjectReport, t: PageText): string {
  const c = report.customsRetention;
  if (c === null) return `<p>${escapeHtml(t.erasureAllowed)}</p>`;
  return `<p id="customs-retention">${escapeHtml(t.erasureRefused(c.until))}${c.held ? ` ${escapeHtml(t.erasureHeld)}` : ''}</p>`;
}

/** Step 1 of the no-script flow: tracking number and postcode. */
export function renderStartPage(lang: PageLanguage, action: string, switchHref: (l: PageLanguage) => string, error?: string): string {
  const t = PAGE_TEXT[lang];
  const body = `${error ? `<p class="failed" role="alert">${escapeHtml(t.error)}: ${escapeHtml(error)}</p>` : ''}<p>${escapeHtml(t.startIntro)}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="lang" value="${lang}">
<label for="tn">${escapeHtml(t.trackingNumber)}</label><input id="tn" name="trackingNumber" required minlength="13" maxlength="13" autocomplete="off">
<label for="pc">${escapeHtml(t.postcode)}</label><input id="pc" name="postcode" required minlength="2" maxlength="12">
<button type="submit">${escapeHtml(t.sendCode)}</button></form>`;
  return layout(lang, t.startTitle, body, switchHref);
}

/** Step 2: the one-time code, with the request id carried in the form (no script, no cookie yet). */
export function renderCodePage(lang: PageLanguage, action: string, requestId: string, switchHref: (l: PageLanguage) => string, error?: string): string {
  const t = PAGE_TEXT[lang];
  const body = `${error ? `<p class="failed" role="alert">${escapeHtml(t.error)}: ${escapeHtml(error)}</p>` : ''}<p>${escapeHtml(t.codeIntro)}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="lang" value="${lang}"><input type="hidden" name="requestId" value="${escapeHtml(requestId)}">
<label for="code">${escapeHtml(t.code)}</label><input id="code" name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">
<button type="submit">${escapeHtml(t.showMyData)}</button></form>`;
  return layout(lang, t.codeTitle, body, switchHref);
}
