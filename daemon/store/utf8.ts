// Says where and why bytes are not UTF-8. Node's isUtf8 answers yes/no fast; this runs only
// after it said no, to give the user a byte position and a reason.

export interface Utf8Problem {
  /** Index of the first byte of the bad sequence. */
  index: number;
  reason: string;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

export function findInvalidUtf8(bytes: Uint8Array): Utf8Problem | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    if (lead < 0xc0) return { index: i, reason: `stray continuation byte ${hex(lead)}` };
    if (lead === 0xc0 || lead === 0xc1) return { index: i, reason: `overlong encoding (lead byte ${hex(lead)})` };
    if (lead === 0xfe || lead === 0xff) return { index: i, reason: `byte ${hex(lead)} never appears in UTF-8` };
    if (lead > 0xf4) return { index: i, reason: `lead byte ${hex(lead)} would encode a code point above U+10FFFF` };
    const need = lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : 3;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { index: i, reason: `${need + 1}-byte sequence cut short after ${k} byte${k > 1 ? 's' : ''} (was the data truncated?)` };
      const b = bytes[i + k];
      if ((b & 0xc0) !== 0x80) return { index: i, reason: `${need + 1}-byte sequence broken: byte ${hex(b)} is not a continuation byte` };
    }
    const second = bytes[i + 1];
    if (lead === 0xe0 && second < 0xa0) return { index: i, reason: 'overlong encoding of a 3-byte sequence' };
    if (lead === 0xf0 && second < 0x90) return { index: i, reason: 'overlong encoding of a 4-byte sequence' };
    if (lead === 0xed && second > 0x9f) return { index: i, reason: 'UTF-16 surrogate (U+D800..U+DFFF) encoded as UTF-8' };
    if (lead === 0xf4 && second > 0x8f) return { index: i, reason: 'code point above U+10FFFF' };
    i += need + 1;
  }
  return undefined;
}
