// Ordinary English words, so an unknown one can be told apart without capital letters: a word
// that is neither in the source nor in everyday English is almost always a name or a garbled
// one ("gustsson"), i.e. a fact the summary brought in. Built lazily: only judges need it.
import data from './data/common-words.json';

let words: ReadonlySet<string> | undefined;

export function isCommonWord(norm: string): boolean {
  words ??= new Set(data.words.split(' '));
  return words.has(norm);
}
