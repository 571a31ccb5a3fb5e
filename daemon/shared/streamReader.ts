// The one way a JSON-RPC stream is read, by the daemon and by its clients. vscode-jsonrpc's stream
// reader re-arms a 10-second "partial message" timer for as long as a message stays incomplete,
// and disposing the connection does not clear it: a peer that died mid-message kept the process
// alive for ever (mocha runs that never exited after passing; a CLI or editor holding a timer).
// Nothing here listens for partial messages, so the timer is off.
import type { Readable } from 'node:stream';
import { StreamMessageReader } from 'vscode-jsonrpc/node';

export function streamReader(stream: Readable): StreamMessageReader {
  const reader = new StreamMessageReader(stream);
  reader.partialMessageTimeout = 0;
  return reader;
}
