// Test workers talk HTTPS to the tenant simulator; Node trusts its certificate only through
// NODE_EXTRA_CA_CERTS read at process start, so it is set here before any worker is forked.
import { ensureTlsMaterial } from './sim/src/server/tls.js';

export default async function setup(): Promise<void> {
  const { certPath } = await ensureTlsMaterial();
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
