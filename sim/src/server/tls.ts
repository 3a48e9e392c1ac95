// The simulator's self-signed HTTPS certificate: made once per directory and reused, so a
// NODE_EXTRA_CA_CERTS set before a process starts keeps matching the running simulator.
import { X509Certificate } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** PEM file holding only the certificate: what NODE_EXTRA_CA_CERTS should name. */
  certPath: string;
}

/** `<repo>/data/sim-tls`, independent of the working directory. */
export function defaultTlsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../data/sim-tls');
}

const BUNDLE = 'sim-tls.pem';
const CERT = 'cert.pem';
// Regenerate when the certificate would expire within this many days.
const RENEW_DAYS = 30;

/**
 * Returns the key and certificate in `dir`, creating them on first use. Safe when several
 * processes (parallel test workers) call it at once: the first complete bundle linked into place
 * wins and every caller uses that one.
 */
export async function ensureTlsMaterial(dir = defaultTlsDir()): Promise<TlsMaterial> {
  mkdirSync(dir, { recursive: true });
  const bundlePath = join(dir, BUNDLE);
  const certPath = join(dir, CERT);
  let bundle = readBundle(bundlePath);
  if (!bundle) {
    const fresh = await generateBundle();
    const tmp = `${bundlePath}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, fresh.key + fresh.cert, { mode: 0o600 });
    try {
      // only an expired or unreadable bundle is removed; a valid one another process just made stays
      if (existsSync(bundlePath) && !readBundle(bundlePath)) unlinkSync(bundlePath);
    } catch {
      // another process replaced it first; the link below decides
    }
    try {
      linkSync(tmp, bundlePath);
    } catch {
      // lost the race: use the winner's bundle
    }
    unlinkSync(tmp);
    bundle = readBundle(bundlePath);
    if (!bundle) throw new Error(`could not create the simulator certificate in ${dir}`);
  }
  const existingCert = existsSync(certPath) ? readFileSync(certPath, 'utf8') : '';
  if (existingCert !== bundle.cert) {
    const tmp = `${certPath}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, bundle.cert);
    renameSync(tmp, certPath);
  }
  return { key: bundle.key, cert: bundle.cert, certPath };
}

function readBundle(path: string): { key: string; cert: string } | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const key =
    /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----\n?/.exec(
      text,
    )?.[0];
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(text)?.[0];
  if (!key || !cert) return undefined;
  try {
    const x509 = new X509Certificate(cert);
    const renewAt = Date.now() + RENEW_DAYS * 86_400_000;
    if (new Date(x509.validTo).getTime() < renewAt) return undefined;
    if (!x509.checkIP('127.0.0.1') || !x509.checkHost('localhost')) return undefined;
  } catch {
    return undefined;
  }
  return { key: ensureNewline(key), cert: ensureNewline(cert) };
}

async function generateBundle(): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date(Date.now() - 86_400_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 820 * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'WarmPath tenant simulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      // a CA flag lets OpenSSL accept this self-signed certificate as its own trust anchor
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: ensureNewline(pems.private), cert: ensureNewline(pems.cert) };
}

function ensureNewline(pem: string): string {
  const unix = pem.replace(/\r\n/g, '\n');
  return unix.endsWith('\n') ? unix : `${unix}\n`;
}
