import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { runIntegration, redactUrl, type PromotionEvent } from '../../../daemon/registry/integrationHook';
import type { VersionMetadata } from '../../../daemon/registry/ModelRegistry';
import { landMetadata, removeTree, tempDir } from './helpers';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 answering with the given statuses in turn (then the last). */
async function receiver(statuses: number[], delayMs = 0): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)];
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `status ${status}` : 'ok'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/flywheel?token=secret`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('registry/integrationHook', () => {
  let dir: string;
  let event: PromotionEvent;
  const fast = { retryDelayMs: 10, webhookTimeoutMs: 2000 };

  beforeEach(() => {
    dir = tempDir('hook-');
    const versionDir = path.join(dir, 'models', 'mistral-7b-summarization', 'v2');
    fs.mkdirSync(versionDir, { recursive: true });
    const metadata: VersionMetadata = {
      ...landMetadata('run-2', { parent: 'v1' }),
      version: 'v2',
      modelName: 'mistral-7b-summarization',
      metrics: { after: { eval_loss: 1.8 } },
      createdAt: '2025-01-01T10:31:00.000Z',
    };
    fs.writeFileSync(path.join(versionDir, 'metadata.json'), JSON.stringify(metadata));
    event = { modelName: 'mistral-7b-summarization', version: 'v2', path: versionDir, metadata };
  });
  afterEach(() => removeTree(dir));

  it('does nothing when no hook is configured', async () => {
    assert.deepEqual(await runIntegration({ command: null, webhook: null }, event), []);
  });

  describe('command', () => {
    it('runs through /bin/sh with the model in its environment and captures the output', async () => {
      const command = 'echo "name=$FINETUNE_MODEL_NAME version=$FINETUNE_MODEL_VERSION"; echo "path=$FINETUNE_MODEL_PATH"; ' +
        'echo "meta=$FINETUNE_METADATA"; echo "run=$(sed -n \'s/.*"runId":"\\([^"]*\\)".*/\\1/p\' "$FINETUNE_METADATA")"; pwd';
      const [result] = await runIntegration({ command, webhook: null }, event, { cwd: dir });
      assert.equal(result.hook, 'command');
      assert.equal(result.ok, true, result.detail);
      assert.ok(result.hook === 'command');
      assert.equal(result.exitCode, 0);
      const lines = result.output.trim().split('\n');
      assert.deepEqual(lines, [
        'name=mistral-7b-summarization version=v2',
        `path=${event.path}`,
        `meta=${path.join(event.path, 'metadata.json')}`,
        'run=run-2',
        fs.realpathSync(dir),
      ]);
      assert.match(result.detail, /^command exited 0 in \d+\.\ds: name=mistral-7b-summarization/);
    });

    it('reports a failing command with its exit code and output', async () => {
      const [result] = await runIntegration({ command: 'echo deploying; echo "no such cluster" >&2; exit 3', webhook: null }, event);
      assert.equal(result.ok, false);
      assert.ok(result.hook === 'command');
      assert.equal(result.exitCode, 3);
      assert.match(result.detail, /^command exited with code 3 after \d+\.\ds: deploying\nno such cluster$/);
    });

    it('reports a command that cannot be found', async () => {
      const [result] = await runIntegration({ command: 'definitely-not-a-command-xyz', webhook: null }, event);
      assert.equal(result.ok, false);
      assert.match(result.detail, /^command exited with code 12[67] .*definitely-not-a-command-xyz/s);
    });

    it('kills a command that runs past its time limit, with what it started', async () => {
      const marker = path.join(dir, 'child-survived');
      const started = Date.now();
      const [result] = await runIntegration(
        { command: `(sleep 1; touch ${JSON.stringify(marker)}) & echo started; sleep 30`, webhook: null },
        event,
        { commandTimeoutMs: 300, killGraceMs: 100 },
      );
      assert.ok(Date.now() - started < 5000);
      assert.equal(result.ok, false);
      assert.ok(result.hook === 'command');
      assert.equal(result.timedOut, true);
      assert.match(result.detail, /^command timed out after 0s and was killed: started$/);
      await new Promise((r) => setTimeout(r, 1300));
      assert.equal(fs.existsSync(marker), false, 'the background child was killed with the group');
    });

    it('does not wait for a background process that keeps the output open', async () => {
      const started = Date.now();
      const [result] = await runIntegration({ command: 'sleep 3 & echo launched', webhook: null }, event);
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      assert.equal(result.ok, true);
      assert.match(result.detail, /launched/);
    });
  });

  describe('webhook', () => {
    it('POSTs the promotion as JSON', async () => {
      const server = await receiver([200]);
      try {
        const [result] = await runIntegration({ command: null, webhook: server.url }, event, fast);
        assert.equal(result.hook, 'webhook');
        assert.equal(result.ok, true, result.detail);
        assert.equal(server.received.length, 1);
        const { headers, body } = server.received[0];
        assert.equal(headers['content-type'], 'application/json');
        assert.equal(headers['x-flywheel-event'], 'model.promoted');
        assert.deepEqual(JSON.parse(body), {
          event: 'model.promoted',
          modelName: 'mistral-7b-summarization',
          version: 'v2',
          path: event.path,
          metadata: event.metadata,
        });
        assert.equal(result.detail, `webhook ${server.url.split('?')[0]} answered 200`, 'no token in the detail');
      } finally {
        await server.close();
      }
    });

    it('retries on 500 with the same delivery id', async () => {
      const server = await receiver([500, 503, 200]);
      try {
        const [result] = await runIntegration({ command: null, webhook: server.url }, event, fast);
        assert.equal(result.ok, true, result.detail);
        assert.ok(result.hook === 'webhook');
        assert.equal(result.attempts, 3);
        assert.equal(server.received.length, 3);
        const ids = new Set(server.received.map((r) => r.headers['x-flywheel-delivery']));
        assert.equal(ids.size, 1);
        assert.match(result.detail, /answered 200 after 3 attempts/);
      } finally {
        await server.close();
      }
    });

    it('gives up after 3 retries and reports the last answer', async () => {
      const server = await receiver([500]);
      try {
        const [result] = await runIntegration({ command: null, webhook: server.url }, event, fast);
        assert.equal(result.ok, false);
        assert.ok(result.hook === 'webhook');
        assert.equal(result.attempts, 4);
        assert.equal(result.status, 500);
        assert.equal(server.received.length, 4);
        assert.match(result.detail, /answered 500: status 500 \(4 attempts\)$/);
      } finally {
        await server.close();
      }
    });

    it('does not retry a 4xx', async () => {
      const server = await receiver([404]);
      try {
        const [result] = await runIntegration({ command: null, webhook: server.url }, event, fast);
        assert.equal(result.ok, false);
        assert.equal(server.received.length, 1);
        assert.match(result.detail, /answered 404/);
      } finally {
        await server.close();
      }
    });

    it('retries network errors and timeouts', async () => {
      const closed = await receiver([200]);
      const url = closed.url;
      await closed.close();
      const [refused] = await runIntegration({ command: null, webhook: url }, event, fast);
      assert.equal(refused.ok, false);
      assert.ok(refused.hook === 'webhook');
      assert.equal(refused.attempts, 4);
      assert.match(refused.detail, /could not be reached \(ECONNREFUSED\) \(4 attempts\)/);

      const slow = await receiver([200], 1000);
      try {
        const [timedOut] = await runIntegration({ command: null, webhook: slow.url }, event, { ...fast, webhookTimeoutMs: 100, webhookRetries: 1 });
        assert.equal(timedOut.ok, false);
        assert.match(timedOut.detail, /did not answer within 0.1s \(2 attempts\)/);
        assert.equal(slow.received.length, 2);
      } finally {
        await slow.close();
      }
    });
  });

  it('runs both hooks and reports each', async () => {
    const server = await receiver([200]);
    try {
      const results = await runIntegration({ command: 'exit 1', webhook: server.url }, event, fast);
      assert.deepEqual(
        results.map((r) => [r.hook, r.ok]),
        [
          ['command', false],
          ['webhook', true],
        ],
      );
    } finally {
      await server.close();
    }
  });

  it('redacts credentials and query strings from the URL it shows', () => {
    assert.equal(redactUrl('https://user:pw@hooks.example.com/a/b?token=x#f'), 'https://hooks.example.com/a/b');
    assert.equal(redactUrl('not a url'), '(invalid URL)');
  });
});
