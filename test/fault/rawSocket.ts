// Raw bytes to the daemon's socket, below any JSON-RPC library: for frames a client library would
// never send (repeated headers, partial bodies, garbage).
import * as net from 'node:net';
import { PROTOCOL_VERSION } from '../../daemon/protocol';

export function connectRaw(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A frame with `headers` as given (default: the right Content-Length). */
export function frame(body: string | Buffer, headers?: string[]): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = (headers ?? [`Content-Length: ${bytes.length}`]).join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), bytes]);
}

export function helloBody(id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'daemon/hello', params: { protocolVersion: PROTOCOL_VERSION, client: 'fault' } });
}

/** True once the peer closes the socket, false if it is still open after `ms`. */
export function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.resume();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Sends a hello on a fresh connection and resolves with the parsed response (the health check). */
export async function helloOnce(socketPath: string, ms = 5000): Promise<{ result?: { pid: number }; error?: unknown }> {
  const socket = await connectRaw(socketPath);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no hello answer within ${ms} ms`)), ms);
      let buf = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'))?.[1]);
        if (buf.length < end + 4 + length) return;
        clearTimeout(timer);
        resolve(JSON.parse(buf.subarray(end + 4, end + 4 + length).toString('utf8')));
      });
      socket.once('close', () => reject(new Error('the daemon closed the health-check connection')));
      socket.write(frame(helloBody(1)));
    });
  } finally {
    socket.destroy();
  }
}
