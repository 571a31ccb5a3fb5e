import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { SamplesSubmit } from '../../daemon/protocol';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('metrics endpoint', () => {
  let ws: TestWorkspace;
  let daemon: DaemonProcess;
  let url: string;

  before(async () => {
    ws = makeWorkspace('finetuning:\n  threshold: 10\n');
    daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    url = c.hello.metrics;
    for (const s of [...samplesOf('good', 2), ...samplesOf('flawed', 1)]) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    c.close();
  });
  after(async () => {
    await daemon.stop();
    ws.remove();
  });

  it('exports assessment, dataset and threshold metrics', async () => {
    const { status, body } = await get(url);
    assert.equal(status, 200);
    assert.match(body, /^samples_assessed_total\{verdict="accepted"\} 2$/m);
    assert.match(body, /^samples_assessed_total\{verdict="rejected"\} 1$/m);
    assert.match(body, /^dataset_samples 2$/m);
    assert.match(body, /^samples_to_threshold 8$/m);
    assert.match(body, /^judge_score_bucket\{le="\+Inf",criterion="consistency"\} 3$/m);
    assert.match(body, /^# TYPE finetuning_runs_total counter$/m);
    assert.match(body, /^# TYPE finetuning_duration_seconds histogram$/m);
    assert.match(body, /^process_cpu_seconds_total /m);
  });

  it('refuses a request whose Host header is not loopback (DNS rebinding)', async () => {
    assert.equal((await get(url, 'evil.example:9464')).status, 403);
  });

  it('every query of the Grafana dashboard parses and names metrics the daemon exports', async function () {
    const dashboard = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../config/grafana/finetune-flywheel.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr));
    assert.ok(exprs.length >= 10);
    const { body } = await get(url);
    const exported = new Set([...body.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap((m) => (m[2] === 'histogram' ? [`${m[1]}_bucket`, `${m[1]}_count`, `${m[1]}_sum`] : [m[1]])));
    for (const e of exprs) {
      for (const name of e.match(/\b[a-z_]+_(?:total|seconds_bucket|bucket|samples|threshold|loss|step|second|runs|versions|collected)\b/g) ?? []) {
        assert.ok(exported.has(name), `${name} (in "${e}") is not exported`);
      }
    }
    if (spawnSync('promtool', ['--version']).error) return this.skip();
    const rules = path.join(os.tmpdir(), `ft-rules-${process.pid}.yml`);
    fs.writeFileSync(rules, yaml.dump({ groups: [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:q${i}`, expr })) }] }));
    const r = spawnSync('promtool', ['check', 'rules', rules], { encoding: 'utf8' });
    fs.rmSync(rules);
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });

  it('passes promtool check metrics', async function () {
    if (spawnSync('promtool', ['--version']).error) {
      if (process.env.CI) assert.fail('promtool is missing: test/run.sh installs Debian\'s prometheus package');
      this.skip();
    }
    const { body } = await get(url);
    const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });
});
