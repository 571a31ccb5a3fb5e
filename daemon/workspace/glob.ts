// A small glob for dataset discovery (Node 20 has no fs.glob): "**" spans folders, "*" and "?"
// stay within one. Dot folders (data/.flywheel, .git) and node_modules are never walked.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export async function findFiles(root: string, glob: string, limit = 1000): Promise<string[]> {
  const pattern = globToRegExp(glob);
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && pattern.test(rel)) out.push(rel);
    }
  }
  await walk(root);
  return out.sort();
}
