/** Words a question is phrased with that say nothing about what it asks. */
const FILLER = new Set(
  (
    'a an and any are be can could did do does for give have how i in is it know let like many me much my ' +
    'of on or our please reply s send share should tell that the this to type us was we what whats when ' +
    'where which who will with would you your'
  ).split(' '),
);

/** How many words of the prompt a variable name keeps. */
const MAX_WORDS = 3;

/**
 * The variable a question's answer is saved under, from its prompt: the words that say what it asks,
 * joined by `_` (“What is your name?” → `name`, “Your email address, please” → `email_address`),
 * numbered when another block already saves under that name.
 */
export function variableFromPrompt(prompt: string, taken: ReadonlySet<string>): string {
  const words = prompt
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replaceAll('’', "'")
    .replace(/'s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '' && !FILLER.has(word));
  const joined = words.slice(0, MAX_WORDS).join('_');
  const base = joined === '' ? 'answer' : /^\d/.test(joined) ? `answer_${joined}` : joined;
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}_${n}`;
  return name;
}
