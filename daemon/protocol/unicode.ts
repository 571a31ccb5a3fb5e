// A JSON "\ud800" escape gives a string that is not valid Unicode: it cannot be written as UTF-8
// (Python's json and the trainer's tokenizer refuse it). Shared by the protocol's sample schema
// and the store's sample check, so both refuse the same text.

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Index (UTF-16 code units) of the first lone surrogate, or -1 when the text is valid Unicode. */
export function loneSurrogateAt(text: string): number {
  const match = LONE.exec(text);
  return match ? match.index : -1;
}

/** "not valid Unicode: …" for a text with a lone surrogate, or undefined. */
export function unicodeProblem(text: string): string | undefined {
  const at = loneSurrogateAt(text);
  if (at === -1) return undefined;
  const code = text.charCodeAt(at).toString(16).toUpperCase();
  return `not valid Unicode: a lone surrogate \\u${code} at character ${at + 1} (half of a UTF-16 pair; remove it or write the whole pair)`;
}
