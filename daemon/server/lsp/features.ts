// The editor features for JSONL dataset lines, as plain functions of parsed lines and the
// daemon's stored verdicts: inlay hints, hovers, diagnostics, code lenses and code actions.
import {
  CodeActionKind,
  DiagnosticSeverity,
  MarkupKind,
  type CodeAction,
  type CodeLens,
  type Command,
  type Diagnostic,
  type Hover,
  type InlayHint,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { SampleCommands, type SampleCommandArgs } from '../../protocol';
import type { LineInfo } from './lines';
import { escapeMarkdown, literal, oneLine, score, truncate } from './markdown';
import { weakest, type Lookup, type SampleView } from '../../assess/sampleView';

export const DIAGNOSTIC_SOURCE = 'finetune';
/** Diagnostic codes: the store refused the line / the line is a low-quality sample. */
export const InvalidLineCode = 'invalid-line';
export const LowQualityCode = 'low-quality';

/** Caps that keep one response small however big the file. */
export const Limits = {
  hintsPerRequest: 1000,
  diagnosticsPerDocument: 1000,
  /** Sample lines that get code lenses (LSP asks for a whole document's lenses at once). */
  lensLines: 1000,
  /** Lines one code-action request looks through for a sample. */
  actionLines: 50,
} as const;

// ---------------------------------------------------------------------------------------------
// Inlay hints

export function inlayHints(lines: LineInfo[], lookup: Lookup): InlayHint[] {
  const out: InlayHint[] = [];
  for (const l of lines) {
    if (!l.id) continue;
    const v = lookup.view(l.id);
    out.push({ position: l.range.end, label: hintLabel(v), paddingLeft: true, tooltip: markdown(summary(v, lookup)) });
    if (out.length >= Limits.hintsPerRequest) break;
  }
  return out;
}

/** ` ✓ 0.91` accepted, ` ✗ 0.62` rejected, ` ○ unjudged`, ` ✎ corrected`; a person's accept or reject says so. */
export function hintLabel(v: SampleView): string {
  const avg = v.assessment ? score(v.assessment.average) : undefined;
  switch (v.annotation?.action) {
    case 'correct':
      return '✎ corrected';
    case 'accept':
      return avg ? `✓ ${avg} (accepted by hand)` : '✓ accepted by hand';
    case 'reject':
      return avg ? `✗ ${avg} (rejected by hand)` : '✗ rejected by hand';
  }
  if (!v.assessment) return '○ unjudged';
  return `${v.assessment.verdict === 'accepted' ? '✓' : '✗'} ${avg}${v.current ? '' : ' (older judge)'}`;
}

// ---------------------------------------------------------------------------------------------
// Hover

export function hover(l: LineInfo, lookup: Lookup): Hover | null {
  if (!l.id) return null;
  const v = lookup.view(l.id);
  const parts = [summary(v, lookup)];
  const a = v.assessment;
  if (a) {
    const raw = (name: string) => (a.raw?.[name] !== undefined && a.raw[name] !== a.scores[name] ? ` (raw ${score(a.raw[name])}, calibrated)` : '');
    parts.push(Object.keys(a.scores).map((name) => `- **${escapeMarkdown(name)}** ${score(a.scores[name])}${raw(name)} — ${literal(a.rationale[name] || 'no rationale given')}`).join('\n'));
    const when = a.at ? ` · ${escapeMarkdown(a.at.slice(0, 19).replace('T', ' '))}` : '';
    parts.push(`Judge: ${literal(a.judge, 200)} · version ${literal(a.judgeVersion, 100)}${when}`);
    if (!v.current) parts.push(`_Judged by an older judge or another task; the current judge is ${literal(lookup.judge.name, 200)} ${literal(lookup.judge.version, 100)}. Re-judge to update._`);
  }
  const n = v.annotation;
  if (n) {
    const what = { accept: 'accepted by hand', reject: 'rejected by hand', correct: 'output corrected by hand', note: 'a note' }[n.action];
    const lines = [`**Human annotation:** ${what} · ${escapeMarkdown(n.at.slice(0, 19).replace('T', ' '))}`];
    if (n.output !== undefined) lines.push(`Corrected output: ${literal(n.output, 1000)}`);
    if (n.note) lines.push(`Note: ${literal(n.note, 1000)}`);
    parts.push(lines.join('  \n'));
  }
  parts.push(`Sample \`${l.id.slice(0, 12)}\``);
  return { contents: markdown(parts.join('\n\n')), range: l.range };
}

/** The verdict line: symbol, average against the gate, the floor that rejected it, and a person's override. */
function summary(v: SampleView, lookup: Lookup): string {
  const a = v.assessment;
  const gate = score(lookup.gate);
  const floor = a?.rejectedBy && !a.rejectedBy.startsWith('average') ? ` but **${escapeMarkdown(a.rejectedBy)}**` : '';
  const judged = a
    ? `average **${score(a.average)}** ${a.average > lookup.gate ? '>' : '≤'} gate ${gate}${floor} → judge says **${a.verdict}**`
    : `not judged yet (gate ${gate}; judge ${literal(lookup.judge.name, 200)})`;
  const head = { accepted: '✓ **Accepted**', rejected: '✗ **Rejected**', unjudged: '○ **Unjudged**' }[v.verdict];
  const override = v.annotation && v.annotation.action !== 'note' ? ' — overridden by a person' : '';
  return `${head} · ${judged}${override}`;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

/** Invalid lines as errors (the store's message), low-quality samples as hints naming the weakest criterion. */
export function diagnostics(lines: LineInfo[], lookup: Lookup): Diagnostic[] {
  const cap = Limits.diagnosticsPerDocument;
  const errors: Diagnostic[] = [];
  const hints: Diagnostic[] = [];
  let total = 0;
  for (const l of lines) {
    if (!l.id) {
      total++;
      if (errors.length < cap) errors.push({ range: l.range, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, code: InvalidLineCode, message: l.error ?? 'not a sample' });
      continue;
    }
    const v = lookup.view(l.id);
    if (v.verdict !== 'rejected') continue;
    total++;
    if (hints.length < cap) hints.push({ range: l.range, severity: DiagnosticSeverity.Hint, source: DIAGNOSTIC_SOURCE, code: LowQualityCode, message: lowQualityMessage(v, lookup), data: { id: l.id } });
  }
  // Errors first when over the cap: a line the store refuses matters more than a weak sample.
  const out = [...errors, ...hints.slice(0, cap - errors.length)].sort((x, y) => x.range.start.line - y.range.start.line);
  if (total > out.length) {
    out.push({
      range: { start: out[0].range.start, end: out[0].range.start },
      severity: DiagnosticSeverity.Information,
      source: DIAGNOSTIC_SOURCE,
      message: `${total - out.length} more problems in this file are not shown (at most ${cap} per file)`,
    });
  }
  return out;
}

function lowQualityMessage(v: SampleView, lookup: Lookup): string {
  if (v.annotation?.action === 'reject') return `Rejected by hand${v.annotation.note ? `: ${truncate(oneLine(v.annotation.note), 200)}` : ''}`;
  const a = v.assessment!;
  const worst = weakest(a);
  const because = worst ? `; weakest criterion: ${worst.name} ${score(worst.score)}${worst.rationale ? ` (${truncate(oneLine(worst.rationale), 300)})` : ''}` : '';
  return `Low quality: average ${score(a.average)} is not above the gate ${score(lookup.gate)}${because}`;
}

// ---------------------------------------------------------------------------------------------
// Code lenses and code actions (the extension registers the commands)

function command(title: string, id: string, args: SampleCommandArgs): Command {
  return { title, command: id, arguments: [args] };
}

export function codeLenses(lines: LineInfo[], uri: string, lookup: Lookup): CodeLens[] {
  const out: CodeLens[] = [];
  let count = 0;
  for (const l of lines) {
    if (!l.id) continue;
    if (++count > Limits.lensLines) break;
    const args = { id: l.id, uri, line: l.line };
    const range = { start: l.range.start, end: l.range.start };
    const v = lookup.view(l.id);
    const judged = v.assessment !== undefined;
    out.push(
      // A label, not a link (no command id): the verdict stays in view however long the line is.
      { range, command: { title: verdictLabel(v), command: '' } },
      { range, command: command('Accept', SampleCommands.accept, args) },
      { range, command: command('Reject', SampleCommands.reject, args) },
      { range, command: command(judged ? 'Re-judge' : 'Judge', SampleCommands.rejudge, args) },
    );
  }
  return out;
}

/**
 * What decided, for the lens above a line: `✓ 0.91`, `✗ 0.84 · consistency 0.41 < 0.8`; a person's
 * Accept / Reject leads and the judge's verdict follows.
 */
export function verdictLabel(v: SampleView): string {
  const a = v.assessment;
  // "average 0.71 ≤ 0.8" would say the average twice: the lens already leads with it.
  const rule = a?.rejectedBy?.replace(/^average \S+ /, 'average ');
  const judge = a ? `${a.verdict === 'accepted' ? '✓' : '✗'} ${score(a.average)}${rule ? ` · ${rule}` : ''}${v.current ? '' : ' (older judge)'}` : '○ unjudged';
  const byHand = { accept: '✓ accepted by hand', reject: '✗ rejected by hand', correct: '✎ corrected by hand', note: undefined }[v.annotation?.action ?? 'note'];
  if (!byHand) return judge;
  return a ? `${byHand} · judge: ${judge}` : byHand;
}

export function codeActions(lines: LineInfo[], uri: string, context: { diagnostics: Diagnostic[]; only?: string[] }): CodeAction[] {
  if (context.only && !context.only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) return [];
  const l = lines.find((x) => x.id);
  if (!l?.id) return [];
  const args = { id: l.id, uri, line: l.line };
  const related = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === LowQualityCode && d.range.start.line === l.range.start.line);
  const action = (title: string, id: string, fixes: boolean): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    command: command(title, id, args),
    ...(fixes && related.length ? { diagnostics: related } : {}),
  });
  return [
    action('Accept this sample (train on it)', SampleCommands.accept, true),
    action('Reject this sample (never train on it)', SampleCommands.reject, false),
    action('Correct the output of this sample…', SampleCommands.correct, true),
    action('Re-judge this sample', SampleCommands.rejudge, true),
  ];
}

function markdown(value: string): MarkupContent {
  return { kind: MarkupKind.Markdown, value };
}
