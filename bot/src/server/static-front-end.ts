// Serves a built front end (tab/dist, addin/dist) under /tab/ or /addin/: files as they are, other
// paths as index.html (the apps route on the client), a page saying how to build it when absent.
// Framable by Teams and Outlook only (frame-ancestors), as their hosts require.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Hosts allowed to frame the front ends: Teams, Outlook and Microsoft 365 (and itself). */
export const FRAME_ANCESTORS =
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us https://*.office.com https://*.office365.com https://*.outlook.com https://*.cloud.microsoft https://*.microsoft365.com";

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function notBuiltPage(name: string, root: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>WarmPath ${name} not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto">
<h1>The WarmPath ${name} is not built yet</h1>
<p>The service serves it from <code>${root}</code>, which has no <code>index.html</code>.</p>
<p>Build it with <code>npm run build -w ${name}</code> (or <code>npm run build</code>), then reload this page.</p>
</body></html>`;
}

function sendHtml(res: Response, status: number, html: string): void {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': FRAME_ANCESTORS,
  });
  res.end(body);
}

/** GET /{name}/* from `root`; `name` is also the workspace to build ('tab', 'addin'). */
export function mountStaticFrontEnd(server: Server, name: string, root: string): void {
  const base = path.resolve(root);
  const handler = async (req: Request, res: Response): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(name.length + 2));
    } catch {
      sendHtml(res, 400, '<!doctype html><title>Bad path</title><p>The path is not valid.</p>');
      return;
    }
    const index = path.join(base, 'index.html');
    if (!(await isFile(index))) {
      sendHtml(res, 404, notBuiltPage(name, root));
      return;
    }
    const wanted = path.resolve(base, relative);
    // never outside the build folder, whatever the path says
    const inside = wanted === base || wanted.startsWith(`${base}${path.sep}`);
    const hasExtension = path.extname(relative) !== '';
    let file = inside && (await isFile(wanted)) ? wanted : undefined;
    if (file === undefined && !hasExtension) file = index;
    if (file === undefined) {
      sendHtml(
        res,
        404,
        `<!doctype html><title>Not found</title><p>No file ${name}/${relative.replace(/[<>&"]/g, '')}.</p>`,
      );
      return;
    }
    const { size } = await stat(file);
    const immutable = file !== index && /\/assets\//.test(file.split(path.sep).join('/'));
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Security-Policy': FRAME_ANCESTORS,
      'X-Content-Type-Options': 'nosniff',
    });
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      stream.on('end', resolve);
      stream.pipe(res);
    });
  };
  server.get(`/${name}`, (_req: Request, res: Response, next: () => void) => {
    res.redirect(301, `/${name}/`, next);
  });
  server.get(`/${name}/*`, handler);
}
