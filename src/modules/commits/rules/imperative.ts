/**
 * The imperative mood of an English subject ("add x", not "added x" / "adds x" / "adding x").
 * Only verbs in the lexicon below are judged: an unknown word is never flagged ("speed up",
 * "embed" and "process" end like inflections but are not). A non-English subject (Korean,
 * Japanese, …) starts with no ASCII word and is never flagged.
 */

// Base forms of the verbs commit subjects start with.
const verbs = new Set(
  `add adjust align allow apply avoid begin bind break bring bump build cache catch change check choose
  clarify clean clear close collect combine configure convert copy correct create cut decrease delete
  deprecate describe detect disable display do document downgrade drop emit enable enforce ensure
  expand expose extend extract fail feed fetch find fix format generate get give guard handle hide hold
  ignore implement import improve include increase initialize inline install introduce keep lead limit
  load lock log lose make mark merge migrate mock move normalize optimize parse pass pin polish prefer
  prepare prevent print read rebuild record reduce refactor register release reload remove rename
  reorder replace report require rerun reset resolve restore restructure retry return reuse revert
  rewrite run save send separate set show simplify skip sort spend split start stop store strip
  support switch sync take teach tell test think throw tidy track translate trim tweak undo unify
  update upgrade use validate verify wrap write`.split(/\s+/),
);

// Verbs whose inflected forms are rewritten without asking: they are almost never the first
// word of a noun phrase ("Logging improvements" is a noun phrase; "Added tests" is not).
const safeToRewrite = new Set(
  `add adjust allow avoid bump change clarify clean convert correct create delete disable document
  drop enable ensure extract fix handle implement improve introduce make migrate move optimize
  prevent refactor remove rename replace restore revert rewrite simplify support update upgrade use
  write`.split(/\s+/),
);

// Irregular past tenses and third persons (rewritten when safe), and participles (flagged only:
// "Broken links …", "Hidden files …" describe a noun).
const irregular: Record<string, string> = {
  made: 'make',
  wrote: 'write',
  rewrote: 'rewrite',
  ran: 'run',
  reran: 'rerun',
  built: 'build',
  rebuilt: 'rebuild',
  kept: 'keep',
  broke: 'break',
  took: 'take',
  gave: 'give',
  got: 'get',
  did: 'do',
  found: 'find',
  sent: 'send',
  began: 'begin',
  brought: 'bring',
  caught: 'catch',
  chose: 'choose',
  held: 'hold',
  led: 'lead',
  lost: 'lose',
  threw: 'throw',
  undid: 'undo',
  hid: 'hide',
  fed: 'feed',
  spent: 'spend',
  taught: 'teach',
  told: 'tell',
  thought: 'think',
  does: 'do',
};
const participles: Record<string, string> = {
  written: 'write',
  rewritten: 'rewrite',
  broken: 'break',
  taken: 'take',
  given: 'give',
  gotten: 'get',
  done: 'do',
  begun: 'begin',
  chosen: 'choose',
  thrown: 'throw',
  undone: 'undo',
  hidden: 'hide',
};

const undouble = (stem: string) => (/([b-df-hj-np-tv-z])\1$/.test(stem) ? stem.slice(0, -1) : stem);

/** The base form of an inflected verb, or null (already a base form, or not a known verb). */
function baseOf(word: string): string | null {
  if (verbs.has(word)) return null;
  const listed = irregular[word] ?? participles[word];
  if (listed) return listed;
  const candidates: string[] = [];
  if (word.endsWith('ing')) {
    const stem = word.slice(0, -3);
    candidates.push(stem, `${stem}e`, undouble(stem));
  } else if (word.endsWith('ed')) {
    if (word.endsWith('ied')) candidates.push(`${word.slice(0, -3)}y`);
    candidates.push(word.slice(0, -1), word.slice(0, -2), undouble(word.slice(0, -2)));
  } else if (word.endsWith('s')) {
    if (word.endsWith('ies')) candidates.push(`${word.slice(0, -3)}y`);
    candidates.push(word.slice(0, -1));
    if (word.endsWith('es')) candidates.push(word.slice(0, -2));
  }
  return candidates.find((c) => c.length > 1 && verbs.has(c)) ?? null;
}

export interface ImperativeFinding {
  /** The first word as written ("Added"). */
  word: string;
  /** Its imperative, in the same case ("Add"). */
  imperative: string;
  /** The subject rewritten, or null when rewriting could change what it says. */
  fixed: string | null;
}

// After these, the first word is more likely an adjective or a noun than the action itself.
const stopWords = new Set('to for of in on from with by at as and or is are was were be been now'.split(' '));
// A subject with its own finite verb ("Removed files are now ignored") is a sentence about a noun.
const ownVerb = /\b(is|are|was|were|has been|have been|no longer)\b/i;

/** The subject's first word when it is an inflected verb, with the imperative rewrite if safe. */
export function findNonImperative(subject: string): ImperativeFinding | null {
  const m = /^([A-Za-z]+)(?=$|[\s,:;.!?])/.exec(subject);
  const word = m?.[1] ?? '';
  // An all-capitals word is an acronym (LED, CORS), not a shouted verb.
  if (word.length < 2 || word === word.toUpperCase()) return null;
  const lower = word.toLowerCase();
  const base = baseOf(lower);
  if (!base) return null;
  const imperative = word[0] === word[0]?.toUpperCase() ? base.charAt(0).toUpperCase() + base.slice(1) : base;
  const rest = subject.slice(word.length);
  const next = /^\s+([A-Za-z]+)/.exec(rest)?.[1]?.toLowerCase();
  const safe =
    safeToRewrite.has(base) &&
    !(lower in participles) &&
    !(next && stopWords.has(next)) &&
    !ownVerb.test(rest);
  return { word, imperative, fixed: safe ? imperative + rest : null };
}
