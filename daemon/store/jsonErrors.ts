// Says where and why a line is not JSON. Runs only after JSON.parse failed: V8's messages change
// between Node versions and often carry no position, and users need "column 17: trailing comma".
// Iterative (explicit stack), so 100k-deep nesting cannot overflow the call stack here.

interface Problem {
  index: number;
  problem: string;
}

const CUT = 'the line ends before the JSON value is complete (was the record cut short?)';

/** Printable form of one character for messages. */
export function showChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code === 0x20) return 'a space';
  if (code > 0x20 && code < 0x7f) return `'${c}'`;
  const name = code === 0xfeff ? ' (byte order mark)' : code === 0x0d ? ' (carriage return)' : '';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${name}`;
}

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function locate(text: string): Problem | undefined {
  const n = text.length;
  const stack: ('object' | 'array')[] = [];
  let i = 0;
  let state: 'value' | 'arrayStart' | 'objectStart' | 'key' | 'after' = 'value';
  const fail = (problem: string): Problem => ({ index: i, problem });
  // The whole character at i, so an emoji is not shown as half a surrogate pair.
  const charAt = (at: number) => String.fromCodePoint(text.codePointAt(at) ?? 0);
  const skipWs = () => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };

  const string = (): Problem | undefined => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) break;
        if ('"\\/bfnrt'.includes(e)) {
          i += 2;
          continue;
        }
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('bad \\u escape: it needs 4 hex digits');
          i += 6;
          continue;
        }
        return fail(`invalid escape \\${e} in a string`);
      }
      if (c < 0x20) return fail(`raw control character ${showChar(text[i])} inside a string (escape it, e.g. \\t or \\u00${c.toString(16).padStart(2, '0')})`);
      i++;
    }
    i = n;
    return fail('the line ends inside a string (was the record cut short?)');
  };

  const number = (): Problem | undefined => {
    const token = /[-+0-9.eE]+/y;
    token.lastIndex = i;
    const m = token.exec(text);
    if (text.startsWith('-Infinity', i)) return fail('-Infinity is not valid JSON (use null or a string)');
    if (!m || !/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(m[0])) return fail(`malformed number "${m ? m[0] : text[i]}"`);
    i += m[0].length;
    return undefined;
  };

  const scalar = (): Problem | undefined => {
    const c = text[i];
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    }
    if (text.startsWith('NaN', i)) return fail('NaN is not valid JSON (use null or a string)');
    if (text.startsWith('Infinity', i)) return fail('Infinity is not valid JSON (use null or a string)');
    if (c === "'") return fail('strings need double quotes, not single quotes');
    if (c === ']' || c === '}') {
      const before = text.slice(0, i).trimEnd();
      return fail(before.endsWith(',') ? `trailing comma before '${c}'` : `expected a value, found '${c}'`);
    }
    const word = /[A-Za-z_$][\w$]*/y;
    word.lastIndex = i;
    const m = word.exec(text);
    if (m) return fail(`"${m[0].slice(0, 20)}" is not a JSON value (JSON has only true, false and null)`);
    return fail(`unexpected ${showChar(charAt(i))}`);
  };

  for (;;) {
    const valueEnd = i;
    skipWs();
    if (state === 'value' || state === 'arrayStart') {
      if (i >= n) return fail(CUT);
      const c = text[i];
      if (state === 'arrayStart' && c === ']') {
        i++;
        stack.pop();
        state = 'after';
      } else if (c === '{') {
        i++;
        stack.push('object');
        state = 'objectStart';
      } else if (c === '[') {
        i++;
        stack.push('array');
        state = 'arrayStart';
      } else {
        const p = scalar();
        if (p) return p;
        state = 'after';
      }
      continue;
    }
    if (state === 'objectStart' || state === 'key') {
      if (i >= n) return fail(CUT);
      const c = text[i];
      if (c === '}') {
        if (state === 'key') return fail("trailing comma before '}'");
        i++;
        stack.pop();
        state = 'after';
        continue;
      }
      if (c !== '"') {
        return fail(c === "'" ? 'property names need double quotes, not single quotes' : `expected a property name in double quotes, found ${showChar(charAt(i))}`);
      }
      const p = string();
      if (p) return p;
      skipWs();
      if (i >= n) return fail(CUT);
      if (text[i] !== ':') return fail(`expected ':' after the property name, found ${showChar(charAt(i))}`);
      i++;
      state = 'value';
      continue;
    }
    // state === 'after': a value just ended.
    if (stack.length === 0) {
      if (i >= n) return undefined;
      const loneCr = text.slice(valueEnd, i).includes('\r') ? '; the line has a lone CR, but only LF or CRLF end a line' : '';
      return fail(`unexpected ${showChar(charAt(i))} after the end of the JSON value (two records glued together? each record needs its own line${loneCr})`);
    }
    if (i >= n) return fail(CUT);
    const top = stack[stack.length - 1];
    const c = text[i];
    if (c === ',') {
      i++;
      state = top === 'object' ? 'key' : 'value';
    } else if ((top === 'object' && c === '}') || (top === 'array' && c === ']')) {
      i++;
      stack.pop();
    } else {
      return fail(`expected ',' or '${top === 'object' ? '}' : ']'}' after ${top === 'object' ? 'a property value' : 'an array element'}, found ${showChar(charAt(i))}`);
    }
  }
}

/** "not valid JSON at column 17: trailing comma before '}'" (columns are 1-based UTF-16 units, as in the editor). */
export function explainJsonError(text: string, parseError: unknown): string {
  const found = locate(text);
  if (found) return `not valid JSON at column ${found.index + 1}: ${found.problem}`;
  // The locator and V8 disagree: fall back to V8's own words rather than say nothing.
  return `not valid JSON: ${parseError instanceof Error ? parseError.message : String(parseError)}`;
}
