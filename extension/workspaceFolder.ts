// Which workspace folder's flywheel this window serves: the first folder with
// config/models.yml, else the first folder (a daemon there uses the default config). Pure.
export const CONFIG_FILE = 'config/models.yml';

export function pickFolder<F>(folders: readonly F[], hasConfig: (f: F) => boolean): F | undefined {
  return folders.find(hasConfig) ?? folders[0];
}
