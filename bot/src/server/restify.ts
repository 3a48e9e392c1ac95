// restify, loadable on Node 20, 22 and 24. restify 11.1.0 requires spdy when it loads, and spdy's
// http-deceiver calls process.binding('http_parser'), which Node 24 removed ("No such module:
// http_parser", restify/node-restify#1984). WarmPath never serves SPDY, so a stub takes spdy's
// place in the require cache first. Load restify only through loadRestify().
import { createRequire, Module } from 'node:module';
import type * as Restify from 'restify';

const require = createRequire(import.meta.url);
let restify: typeof Restify | undefined;

export function loadRestify(): typeof Restify {
  if (restify !== undefined) return restify;
  const spdyPath = createRequire(require.resolve('restify')).resolve('spdy');
  if (require.cache[spdyPath] === undefined) {
    const stub = new Module(spdyPath);
    stub.filename = spdyPath;
    stub.loaded = true;
    stub.exports = {
      createServer() {
        throw new Error('WarmPath does not serve SPDY: leave restify.createServer({ spdy }) unset');
      },
    };
    require.cache[spdyPath] = stub;
  }
  restify = require('restify') as typeof Restify;
  return restify;
}
