/** HTML-escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tagged template whose interpolations are escaped unless they are Html already. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = string | number | Html | readonly Html[] | undefined;

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let text = strings[0] ?? '';
  parts.forEach((part, i) => {
    if (part instanceof Html) text += part.text;
    else if (Array.isArray(part)) text += (part as readonly Html[]).map((p) => p.text).join('');
    else if (part !== undefined) text += escapeHtml(String(part));
    text += strings[i + 1] ?? '';
  });
  return new Html(text);
}

/** A table with one heading row; each row carries its own data attribute for tests and scripts. */
export function table(id: string, headings: readonly string[], rows: readonly Html[]): Html {
  return html`<table id="${id}">
    <thead>
      <tr>
        ${headings.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** "42 s", "5 min", "3 h", "2 d": how long ago, for tables. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

export function formatTime(atMs: number): string {
  return atMs > 0 ? new Date(atMs).toISOString().replace('.000Z', 'Z') : 'never';
}

const NAV = [
  ['/dashboard', 'Fleet'],
  ['/dashboard/rollouts', 'Rollouts'],
  ['/dashboard/energy', 'Energy'],
  ['/dashboard/signals', 'Signals'],
] as const;

/** The page frame: no inline script or style, so the CSP can forbid both. */
export function page(options: {
  title: string;
  body: Html;
  user?: { username: string; csrfToken: string };
}): string {
  const { user } = options;
  const header = user
    ? html`<header>
        <nav>${NAV.map(([href, label]) => html`<a href="${href}">${label}</a>`)}</nav>
        <form method="post" action="/logout" class="logout">
          <span>${user.username}</span>
          <input type="hidden" name="csrfToken" value="${user.csrfToken}" /><button type="submit">
            Log out
          </button>
        </form>
      </header>`
    : html``;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Coupler</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
        <script type="module" src="/dashboard/assets/dashboard.mjs"></script>
      </head>
      <body>
        ${header}
        <main>
          <h1>${options.title}</h1>
          ${options.body}
        </main>
      </body>
    </html>`.text;
}
