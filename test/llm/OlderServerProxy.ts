// A reverse proxy that SIMULATES an older OpenAI-compatible server, one without response_format, in
// front of the real llama.cpp server: any request that carries response_format gets the 400 such
// servers answer; everything else is forwarded untouched and the real server's answer returned.
// It stands in for the missing feature only; every answer that is not that 400 is the real server's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class OlderServerProxy {
  /** response_format.type of every request seen ('none' when absent), in order. */
  readonly formats: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  static async start(upstreamBaseUrl: string): Promise<OlderServerProxy> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new OlderServerProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void proxy.handle(req, res, Buffer.concat(chunks), upstreamBaseUrl));
    });
    return proxy;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, upstream: string): Promise<void> {
    let format = 'none';
    try {
      format = (JSON.parse(body.toString('utf8')) as { response_format?: { type?: string } }).response_format?.type ?? 'none';
    } catch {
      // not JSON: forward as it is
    }
    this.formats.push(format);
    if (format !== 'none') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Unrecognized request argument supplied: response_format', type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    try {
      const up = await fetch(upstream + req.url!.replace(/^\/v1/, ''), {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        body: req.method === 'GET' ? undefined : new Uint8Array(body),
      });
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await up.arrayBuffer()));
    } catch (e) {
      res.writeHead(502).end(String(e));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
