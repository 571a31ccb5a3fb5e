// What a Ray job carries to the cluster: the trainer (finetune.py, its package, ray_job.py) and,
// unless a shared folder holds it, the run's dataset snapshot, as one zip named by its content
// hash (Ray's own naming, so an unchanged package is uploaded once).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zip, type ZipEntry } from './zip';

export interface JobPackage {
  /** gcs://_ray_pkg_<hash>.zip: what runtime_env.working_dir names. */
  uri: string;
  bytes: Buffer;
}

/** Where the snapshot sits inside the package (the job's working directory). */
export const PACKAGE_DATA_DIR = 'data';

export function jobPackage(trainerDir: string, snapshot?: { file: string; name: string }): JobPackage {
  const entries: ZipEntry[] = [];
  for (const rel of ['finetune.py', 'ray_job.py']) entries.push(fileEntry(trainerDir, rel));
  for (const rel of pythonFiles(trainerDir, 'flywheel_trainer')) entries.push(fileEntry(trainerDir, rel));
  if (snapshot) entries.push({ name: `${PACKAGE_DATA_DIR}/${snapshot.name}`, data: readRegularFile(snapshot.file) });
  const hash = createHash('sha256');
  for (const e of entries) hash.update(e.name).update('\0').update(e.data);
  return { uri: `gcs://_ray_pkg_${hash.digest('hex').slice(0, 32)}.zip`, bytes: zip(entries) };
}

function pythonFiles(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = `${rel}/${d.name}`;
    if (d.isDirectory() && d.name !== '__pycache__') out.push(...pythonFiles(root, child));
    else if (d.isFile() && d.name.endsWith('.py')) out.push(child);
  }
  return out.sort();
}

function fileEntry(root: string, rel: string): ZipEntry {
  return { name: rel, data: readRegularFile(path.join(root, rel)) };
}

/** Never through a link: the package holds what the workspace holds, nothing it points at. */
function readRegularFile(file: string): Buffer {
  if (!fs.lstatSync(file).isFile()) throw new Error(`${file} is not a regular file (a link?); the Ray package takes regular files only`);
  return fs.readFileSync(file);
}
