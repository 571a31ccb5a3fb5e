// Small text helpers shared by the status bar, the trees and the notifications (no vscode).

/** "1 sample" / "37 samples". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** One line, at most max characters, ending in an ellipsis when cut. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** "42%" of a step count; undefined when there is nothing to divide by. */
export function percent(step: number, total: number): number | undefined {
  if (!(total > 0) || !Number.isFinite(step)) return undefined;
  return Math.max(0, Math.min(100, Math.floor((step / total) * 100)));
}

/** "45s", "2m 14s", "1h 05m". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Milliseconds between two ISO times (end defaults to now); undefined without a start. */
export function elapsed(start: string | null | undefined, end: string | null | undefined, now = Date.now()): number | undefined {
  if (!start) return undefined;
  const a = Date.parse(start);
  const b = end ? Date.parse(end) : now;
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, b - a) : undefined;
}

/** A metric value for people: 4 significant digits, no exponent for ordinary numbers. */
export function metric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 1000 || abs < 0.001 ? value.toExponential(3) : Number(value.toPrecision(4)).toString();
}

/** Escapes text for a Markdown tooltip (so a sample's text cannot inject links or markup). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** "2026-11-25 09:12" from an ISO time, in UTC so tests and tooltips agree. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}
