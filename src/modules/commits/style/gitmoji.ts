/**
 * Gitmojis (gitmoji.dev) for commit types. The unicode forms are gitmoji's own, variation
 * selectors included (♻️ is U+267B U+FE0F).
 */

export interface Gitmoji {
  code: string;
  unicode: string;
}

const emoji = (code: string, unicode: string): Gitmoji => ({ code, unicode });

export const BREAKING_GITMOJI = emoji(':boom:', '💥');
/** Types without a gitmoji of their own are drawn as configuration work. */
export const FALLBACK_GITMOJI = emoji(':wrench:', '🔧');

/** Type → gitmoji, for rendering. */
export const gitmojiByType: Readonly<Record<string, Gitmoji>> = {
  feat: emoji(':sparkles:', '✨'),
  fix: emoji(':bug:', '🐛'),
  docs: emoji(':memo:', '📝'),
  style: emoji(':art:', '🎨'),
  refactor: emoji(':recycle:', '♻️'),
  perf: emoji(':zap:', '⚡️'),
  test: emoji(':white_check_mark:', '✅'),
  build: emoji(':package:', '📦️'),
  ci: emoji(':construction_worker:', '👷'),
  chore: emoji(':wrench:', '🔧'),
  revert: emoji(':rewind:', '⏪️'),
  hotfix: emoji(':ambulance:', '🚑️'),
  security: emoji(':lock:', '🔒️'),
  release: emoji(':bookmark:', '🔖'),
  deps: emoji(':arrow_up:', '⬆️'),
  wip: emoji(':construction:', '🚧'),
};

/** Other type spellings teams use for the same intentions. */
const typeAliases: Readonly<Record<string, string>> = {
  feature: 'feat',
  features: 'feat',
  bugfix: 'fix',
  bug: 'fix',
  doc: 'docs',
  documentation: 'docs',
  tests: 'test',
  testing: 'test',
  refactoring: 'refactor',
  performance: 'perf',
  chores: 'chore',
  dependencies: 'deps',
};

/** The gitmoji of a type; breaking changes get 💥 whatever their type. */
export function gitmojiOf(type: string, breaking: boolean): Gitmoji {
  if (breaking) return BREAKING_GITMOJI;
  const lower = type.toLowerCase();
  return gitmojiByType[typeAliases[lower] ?? lower] ?? FALLBACK_GITMOJI;
}

/**
 * Gitmoji `:code:` → the type it stands for, for reading a gitmoji history. Besides the
 * rendering table, the gitmojis whose intention is plainly one type (🩹 simple fix, 💚 fix
 * CI, ⬆️ upgrade dependencies…); the others (🔥, 💄, 🚚…) name no type.
 */
const typeByCode: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(gitmojiByType)
      .filter(([type]) => !['hotfix', 'security', 'release', 'deps', 'wip'].includes(type))
      .map(([type, g]) => [g.code, type]),
  ),
  ':ambulance:': 'fix',
  ':adhesive_bandage:': 'fix',
  ':lock:': 'fix',
  ':green_heart:': 'ci',
  ':arrow_up:': 'build',
  ':arrow_down:': 'build',
  ':heavy_plus_sign:': 'build',
  ':heavy_minus_sign:': 'build',
  ':pushpin:': 'build',
  ':rotating_light:': 'style',
  ':pencil2:': 'docs',
  ':bulb:': 'docs',
  ':test_tube:': 'test',
};

/** Unicode forms of every gitmoji `typeByCode` or the rendering table knows, without U+FE0F. */
const codeByUnicode: ReadonlyMap<string, string> = new Map([
  ...Object.values(gitmojiByType).map((g) => [bare(g.unicode), g.code] as const),
  ['💥', ':boom:'],
  ['🩹', ':adhesive_bandage:'],
  ['💚', ':green_heart:'],
  ['⬇', ':arrow_down:'],
  ['➕', ':heavy_plus_sign:'],
  ['➖', ':heavy_minus_sign:'],
  ['📌', ':pushpin:'],
  ['🚨', ':rotating_light:'],
  ['✏', ':pencil2:'],
  ['💡', ':bulb:'],
  ['🧪', ':test_tube:'],
  ['🔥', ':fire:'],
  ['💄', ':lipstick:'],
  ['🚚', ':truck:'],
  ['🎉', ':tada:'],
  ['🌐', ':globe_with_meridians:'],
  ['🏷', ':label:'],
  ['🗃', ':card_file_box:'],
  ['🔊', ':loud_sound:'],
  ['🥅', ':goal_net:'],
  ['🦺', ':safety_vest:'],
]);

function bare(unicode: string): string {
  return unicode.replace(/\uFE0F/g, '');
}

/** A header's leading gitmoji, as written and as `:code:` (unknown unicode emoji keep their form). */
export function leadingGitmoji(
  header: string,
): { written: string; code: string; style: 'code' | 'unicode' } | null {
  const code = /^:[a-z0-9_+-]+:/.exec(header);
  if (code) return { written: code[0], code: code[0], style: 'code' };
  const unicode = /^\p{Extended_Pictographic}\uFE0F?(?:\u200D\p{Extended_Pictographic}\uFE0F?)*/u.exec(
    header,
  );
  if (!unicode) return null;
  return { written: unicode[0], code: codeByUnicode.get(bare(unicode[0])) ?? unicode[0], style: 'unicode' };
}

/** The type a gitmoji stands for, when it stands for one. */
export function typeOfGitmoji(code: string): string | null {
  return typeByCode[code] ?? null;
}
