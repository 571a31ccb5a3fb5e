// Source positions for js-yaml documents.
//
// js-yaml 4 builds plain JS values and has no AST. Its `listener` load option is called with
// ('open', state) when it starts composing a node and ('close', state) when the node is done;
// open/close pairs nest exactly like the nodes. For every node we record the input offset at
// open and close, plus `state.kind` and `state.result` at close, and rebuild a small tree from
// that. Within a mapping, js-yaml composes key, value, key, value, ...; a child is a key when the
// next character after it (on the same line, after blanks) is ':'. This covers block and flow
// mappings, quoted keys, comments and empty values; the rare shapes it does not model (explicit
// `? key` entries, keys merged in with `<<`) simply have no position and callers fall back to the
// nearest enclosing node.
import * as yaml from 'js-yaml';

export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units like js-yaml and VS Code. */
  column: number;
}

export type YamlNodeKind = 'mapping' | 'sequence' | 'scalar' | 'alias' | 'empty';

export interface YamlNode {
  kind: YamlNodeKind;
  /** Offset of the node's first character (its tag/anchor if it has one). */
  start: number;
  /** Present for mappings. */
  entries?: YamlEntry[];
  /** Present for sequences. */
  items?: YamlNode[];
}

export interface YamlEntry {
  key: string;
  keyNode: YamlNode;
  /** Absent for flow entries with no value, e.g. `a` in `{a, b: 1}`. */
  value?: YamlNode;
}

export interface YamlDocument {
  /** What `yaml.load` returns: undefined for an empty document. */
  data: unknown;
  /** The root node, or undefined for an empty document (or when positions could not be recorded). */
  root: YamlNode | undefined;
  /** 1-based line/column of an offset into the text. */
  positionOf(offset: number): SourcePosition;
  /**
   * Position of the node at `path` (mapping keys and sequence indexes). `target: 'key'` gives the
   * key of the last segment; `target: 'value'` the value, or the key when the value is empty.
   * When the path does not exist in the text, the deepest existing ancestor's key (or value) is
   * returned; undefined only when not even the root is known.
   */
  locate(path: readonly PropertyKey[], target: 'key' | 'value'): SourcePosition | undefined;
}

interface RawNode {
  open: number;
  close: number;
  kind: string | null;
  result: unknown;
  children: RawNode[];
}

/**
 * Parses `text` with js-yaml's default (safe) schema, recording node positions. Throws js-yaml's
 * `YAMLException` on syntax errors. Strip a leading BOM first so offsets match the text.
 */
export function parseYamlDocument(text: string, filename?: string): YamlDocument {
  const stack: RawNode[] = [];
  const roots: RawNode[] = [];
  let tracking = true;

  const data = yaml.load(text, {
    filename,
    listener(event, state) {
      if (!tracking) return;
      try {
        if (event === 'open') {
          stack.push({ open: state.position, close: state.position, kind: null, result: undefined, children: [] });
        } else {
          const node = stack.pop();
          if (!node) {
            tracking = false;
            return;
          }
          node.close = state.position;
          // `kind` is typed as string but is null for empty nodes and aliases.
          node.kind = (state.kind as string | null) ?? null;
          node.result = state.result;
          (stack.length > 0 ? stack[stack.length - 1].children : roots).push(node);
        }
      } catch {
        tracking = false; // positions are a nicety: never let them break parsing
      }
    },
  });

  const lineStarts = computeLineStarts(text);
  const positionOf = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };

  let root: YamlNode | undefined;
  if (tracking && roots.length > 0) {
    try {
      root = convert(text, roots[0], false);
    } catch {
      root = undefined;
    }
  }

  const locate = (path: readonly PropertyKey[], target: 'key' | 'value'): SourcePosition | undefined => {
    const offset = locateOffset(root, path, target);
    return offset === undefined ? undefined : positionOf(offset);
  };

  return { data, root, positionOf, locate };
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a /* \n */) {
      starts.push(i + 1);
    } else if (ch === 0x0d /* \r */ && text.charCodeAt(i + 1) !== 0x0a) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Skips blanks, line breaks and comments from `offset`: where a node opened to where its text starts. */
function skipToContent(text: string, offset: number, limit: number): number {
  let i = offset;
  while (i < limit) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < limit && text[i] !== '\n' && text[i] !== '\r') i++;
    } else {
      break;
    }
  }
  return i;
}

/** True when the first non-blank character after the node, on the same line, is ':'. */
function followedByColon(text: string, node: RawNode): boolean {
  let i = node.close;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === ':';
}

/** js-yaml re-wraps a collection that sits on the line after its key; skip such wrappers. */
function unwrap(node: RawNode): RawNode {
  let current = node;
  while (
    (current.kind === 'mapping' || current.kind === 'sequence') &&
    current.children.length === 1 &&
    current.children[0].result === current.result
  ) {
    current = current.children[0];
  }
  return current;
}

function convert(text: string, raw: RawNode, isKey: boolean): YamlNode {
  const node = unwrap(raw);
  const limit = Math.max(node.close, node.open);
  const start = skipToContent(text, node.open, limit);
  let kind: YamlNodeKind;
  if (node.kind === 'mapping' || node.kind === 'sequence' || node.kind === 'scalar') {
    kind = node.kind;
  } else if (text[start] === '*') {
    kind = 'alias';
  } else {
    kind = 'empty';
  }
  // An empty node has no text of its own: skipping from its opening would land on the next key.
  const result: YamlNode = { kind, start: kind === 'empty' ? node.open : start };
  if (isKey) return result;

  if (kind === 'mapping') {
    const entries: YamlEntry[] = [];
    const children = node.children;
    for (let i = 0; i < children.length; ) {
      const keyRaw = children[i];
      const keyNode = convert(text, keyRaw, true);
      const key = String(keyRaw.result);
      if (followedByColon(text, keyRaw) && i + 1 < children.length) {
        entries.push({ key, keyNode, value: convert(text, children[i + 1], false) });
        i += 2;
      } else {
        entries.push({ key, keyNode });
        i += 1;
      }
    }
    result.entries = entries;
  } else if (kind === 'sequence') {
    const items: YamlNode[] = [];
    const children = node.children;
    for (let i = 0; i < children.length; ) {
      const child = children[i];
      if (followedByColon(text, child) && i + 1 < children.length) {
        // a single-pair mapping inside a flow sequence: `[a: 1]`
        items.push({ kind: 'mapping', start: convert(text, child, true).start });
        i += 2;
      } else {
        items.push(convert(text, child, false));
        i += 1;
      }
    }
    result.items = items;
  }
  return result;
}

function locateOffset(root: YamlNode | undefined, path: readonly PropertyKey[], target: 'key' | 'value'): number | undefined {
  if (!root) return undefined;
  let node: YamlNode | undefined = root;
  let keyNode: YamlNode | undefined;
  // Deepest position found so far, for when the path leaves what is written in the file.
  let fallback: number = root.start;

  for (const segment of path) {
    if (!node) break;
    let next: YamlNode | undefined;
    let nextKey: YamlNode | undefined;
    if (node.kind === 'mapping' && node.entries) {
      const name = String(segment);
      let entry: YamlEntry | undefined;
      for (const e of node.entries) if (e.key === name) entry = e; // the last one wins, like js-yaml
      if (entry) {
        nextKey = entry.keyNode;
        next = entry.value;
      }
    } else if (node.kind === 'sequence' && node.items && typeof segment === 'number') {
      next = node.items[segment];
      nextKey = next;
    }
    if (!nextKey) {
      // Not written here: the value probably comes from an alias (`*base`) or a merge (`<<: *base`).
      if (node.kind === 'alias') return node.start;
      const merge = node.entries?.find((e) => e.key === '<<');
      if (merge) return (merge.value && merge.value.kind !== 'empty' ? merge.value : merge.keyNode).start;
      return fallback;
    }
    keyNode = nextKey;
    node = next;
    fallback = keyNode.start;
  }

  if (target === 'key' && keyNode) return keyNode.start;
  if (node && node.kind !== 'empty') return node.start;
  return keyNode ? keyNode.start : fallback;
}
