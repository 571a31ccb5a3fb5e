// Brings a model the cluster wrote to shared storage into the run's staging folder. Regular files
// and folders only: a link in the cluster's folder is refused, never followed.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Copies the folder `src` (the trainer's whole output) into `dest`. */
export function copyModel(src: string, dest: string): void {
  const st = fs.lstatSync(src);
  if (st.isDirectory()) {
    fs.mkdirSync(dest, { recursive: true });
    for (const name of fs.readdirSync(src)) copyModel(path.join(src, name), path.join(dest, name));
  } else if (st.isFile()) {
    fs.copyFileSync(src, dest, fs.constants.COPYFILE_EXCL);
  } else {
    throw new Error(`${src} is not a regular file or folder (a link?); it was not copied`);
  }
}
