// A deliberately light suffix stripper: enough to match "bans"/"banned"/"banning" or
// "cities"/"city" between summary and source, without a dictionary. Over-stemming is harmless
// here because both sides are stemmed the same way; short words are left alone because their
// suffixes are usually part of the root ("bus", "red").

const MIN_STEM = 3;

export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') || w.endsWith('ied')) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ing') && w.length - 3 >= MIN_STEM) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length - 2 >= MIN_STEM) w = w.slice(0, -2);
  else if (w.endsWith('es') && /(sh|ch|x|z|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  // Undouble a final consonant left by -ing/-ed ("banned" -> "bann" -> "ban").
  if (w.length > MIN_STEM && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  // Drop a trailing silent e so "leave"/"leaving" and "retire"/"retired" meet.
  if (w.length > MIN_STEM && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}
