// Small closed word lists. Function words carry no facts, so overlap and coverage measures skip
// them; everything outside these lists is treated as content.

const STOPWORD_LIST = `
a an the and or but nor so yet if then than as of to in on at by for from with without into onto
upon over under about above below between among through during before after since until while
against within along across around behind beyond near off out up down via per
is are was were be been being am has have had having do does did doing done will would shall
should can could may might must ought
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those who whom whose which what when where why how there here
not no yes all any some each every both either neither such only own same too very just also
more most less least much many few other another again further once ever even still already
s t d ll m re ve
said says say told tells according
`;

export const STOPWORDS: ReadonlySet<string> = new Set(STOPWORD_LIST.split(/\s+/).filter(Boolean));

export function isContentWord(norm: string): boolean {
  return !STOPWORDS.has(norm);
}

/** Words a sentence cannot end on in well-formed English; a summary ending on one was cut off. */
export const DANGLING_END: ReadonlySet<string> = new Set(
  'a an the and or but nor of to in on at by for from with into as than that which who whose because if while although is are was were be been has have had will would can could should his her their its my our your'.split(' '),
);

/** Subject pronouns that need an antecedent; opening a summary with one leaves the reader guessing. */
export const OPENING_PRONOUNS: ReadonlySet<string> = new Set(['he', 'she', 'they', 'it', 'his', 'her', 'their', 'its', 'him', 'them']);

/** Number words mapped to digits so "six" in a summary matches "6" in the source and vice versa. */
export const NUMBER_WORDS: ReadonlyMap<string, string> = new Map([
  ['two', '2'], ['three', '3'], ['four', '4'], ['five', '5'], ['six', '6'], ['seven', '7'],
  ['eight', '8'], ['nine', '9'], ['ten', '10'], ['eleven', '11'], ['twelve', '12'],
  ['thirteen', '13'], ['fourteen', '14'], ['fifteen', '15'], ['sixteen', '16'],
  ['seventeen', '17'], ['eighteen', '18'], ['nineteen', '19'], ['twenty', '20'], ['thirty', '30'],
  ['forty', '40'], ['fifty', '50'], ['sixty', '60'], ['seventy', '70'], ['eighty', '80'],
  ['ninety', '90'], ['hundred', '100'], ['thousand', '1000'], ['million', '1000000'],
  ['billion', '1000000000'], ['dozen', '12'],
]);
// "one" is left out on purpose: "one of the", "no one" are rarely numeric claims.
