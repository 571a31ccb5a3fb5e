// A reverse proxy in front of the real llama.cpp server that records every request, so a test can
// see what reached the server and when. With `withoutResponseFormat` it also SIMULATES an older
// OpenAI-compatible server, one without response_format: any request that carries the field gets the
// 400 such servers answer. It stands in for that missing feature only; every other answer is the
// real server's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class RecordingProxy {
  /** response_format.type of every request seen ('none' when absent), in order. */
  readonly formats: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
    private readonly withoutResponseFormat: boolean,
  ) {}

  static async start(upstreamBaseUrl: string, o: { withoutResponseFormat?: boolean } = {}): Promise<RecordingProxy> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new RecordingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, o.withoutResponseFormat ?? false);
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
    if (this.withoutResponseFormat && format !== 'none') {
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
