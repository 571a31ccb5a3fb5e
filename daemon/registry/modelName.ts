// Model names are folder names under finetuning.output_dir: derived from the base model and the
// task, lower case, safe as one path segment on every OS.

/** A name the registry accepts: what modelNameFor returns, or a hand-picked name of the same shape. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;
/** "v1", "v2", ...: no leading zeros, so each number has one folder name. */
export const VERSION_NAME = /^v([1-9][0-9]{0,8})$/;
const MAX_BASE = 96;

/**
 * "mistral-7b" + summarization → "mistral-7b-summarization";
 * "mistralai/Mistral-7B-v0.1" → "mistral-7b-v0.1-summarization" (the organisation is dropped);
 * a local path uses its last folder name, and a path to one of our own versions
 * (".../mistral-7b-summarization/v3" or ".../current") uses the model folder's name, without
 * repeating the task.
 */
export function modelNameFor(baseModel: string, task: string): string {
  const segments = baseModel
    .trim()
    .split(/[\\/]+/)
    .filter((s) => s.length > 0 && s !== '.' && s !== '..');
  let last = segments.at(-1) ?? '';
  if ((VERSION_NAME.test(last) || last === 'current') && segments.length > 1) last = segments.at(-2)!;
  const taskPart = sanitize(task) || 'task';
  let base = sanitize(last).slice(0, MAX_BASE).replace(/[-._]+$/, '') || 'model';
  if (base === taskPart || base.endsWith(`-${taskPart}`)) base = base.slice(0, base.length - taskPart.length).replace(/[-._]+$/, '');
  return base ? `${base}-${taskPart}` : taskPart;
}

function sanitize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: "é" → "e"
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-._]+|[-._]+$/g, '');
}

export function isModelName(name: string): boolean {
  return MODEL_NAME.test(name) && !name.includes('..');
}

/** "v3", "3" or 3 → "v3"; undefined when it is not a version name. */
export function normalizeVersion(version: string | number): string | undefined {
  const text = typeof version === 'number' ? String(version) : version.trim();
  const withV = /^[0-9]+$/.test(text) ? `v${text}` : text;
  return VERSION_NAME.test(withV) ? withV : undefined;
}

export function versionNumber(version: string): number {
  const match = VERSION_NAME.exec(version);
  return match ? Number(match[1]) : Number.NaN;
}
