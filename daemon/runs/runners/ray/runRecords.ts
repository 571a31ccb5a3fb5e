// Which Ray job is each run's, kept in the daemon's state folder so a restarted daemon finds its
// jobs again (reconcile). Written crash-safe: temp file, fsync, rename.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RayRunRecord {
  runId: string;
  /** The cluster the job was submitted to (finetuning.ray.address may have changed since). */
  address: string;
  jobId: string;
  /** The staging folder the lifecycle expects the model in. */
  outputDir: string;
  /** Where the trainer writes it on the cluster; the same as outputDir when the cluster shares this disk. */
  remoteOutputDir: string;
}

export class RunRecords {
  constructor(private readonly dir: string) {}

  save(r: RayRunRecord): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.fileOf(r.runId);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(r, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  all(): RayRunRecord[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((n) => n.endsWith('.json'))
      .flatMap((n) => {
        try {
          const r = JSON.parse(fs.readFileSync(path.join(this.dir, n), 'utf8')) as RayRunRecord;
          return typeof r.jobId === 'string' && typeof r.address === 'string' ? [r] : [];
        } catch {
          return []; // a torn or foreign file: not a run this daemon can re-attach to
        }
      });
  }

  remove(runId: string): void {
    fs.rmSync(this.fileOf(runId), { force: true });
  }

  private fileOf(runId: string): string {
    return path.join(this.dir, `${runId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  }
}
