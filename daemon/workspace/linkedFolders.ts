// The folders the daemon keeps its files in (the dataset's folder and data/.flywheel, the log's
// folder, the models folder) must be real folders: `data/` itself as a link would send every
// write of the store outside the workspace, and a cloned repository can carry such a link.
// Checked once at start-up, before anything is created or written (the log included).
import * as path from 'node:path';
import type { Layout } from './layout';
import { refuseLinkSync } from './noFollow';

/** Throws link-refused naming the first folder (from the workspace down) that is a symbolic link. */
export function refuseLinkedFolders(layout: Layout): void {
  const folders = [layout.stateDir, path.dirname(layout.log), layout.models];
  for (const folder of folders) {
    const rel = path.relative(layout.workspace, folder);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      // Configured outside the workspace: the user chose that place; only the folder itself is ours.
      refuseLinkSync(folder);
      continue;
    }
    let current = layout.workspace;
    for (const part of rel.split(path.sep).filter(Boolean)) {
      current = path.join(current, part);
      refuseLinkSync(current);
    }
  }
}
