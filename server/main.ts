// Placeholder: replaced by the reference server (issue 3).
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, 'host-token': { type: 'string' }, 'allowed-origins': { type: 'string' } } });
const server = createServer((req, res) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.url === '/v1/time') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ now: Date.now() }));
  res.writeHead(404).end();
});
server.listen(Number(values.port ?? 8787), values.host ?? '127.0.0.1', () => {
  const a = server.address() as import('node:net').AddressInfo;
  console.log(`live-drop server listening on http://${a.address}:${a.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
