/**
 * The gitmoji list (gitmoji.dev, `gitmojis.json`): each shortcode with its emoji as gitmoji
 * writes it. Emoji that carry a variation selector (U+FE0F) are written with it; matching
 * ignores it, since editors and terminals drop or add it freely.
 */
const gitmojis: readonly (readonly [code: string, emoji: string])[] = [
  [':art:', '🎨'],
  [':zap:', '⚡\uFE0F'],
  [':fire:', '🔥'],
  [':bug:', '🐛'],
  [':ambulance:', '🚑\uFE0F'],
  [':sparkles:', '✨'],
  [':memo:', '📝'],
  [':rocket:', '🚀'],
  [':lipstick:', '💄'],
  [':tada:', '🎉'],
  [':white_check_mark:', '✅'],
  [':lock:', '🔒\uFE0F'],
  [':closed_lock_with_key:', '🔐'],
  [':bookmark:', '🔖'],
  [':rotating_light:', '🚨'],
  [':construction:', '🚧'],
  [':green_heart:', '💚'],
  [':arrow_down:', '⬇\uFE0F'],
  [':arrow_up:', '⬆\uFE0F'],
  [':pushpin:', '📌'],
  [':construction_worker:', '👷'],
  [':chart_with_upwards_trend:', '📈'],
  [':recycle:', '♻\uFE0F'],
  [':heavy_plus_sign:', '➕'],
  [':heavy_minus_sign:', '➖'],
  [':wrench:', '🔧'],
  [':hammer:', '🔨'],
  [':globe_with_meridians:', '🌐'],
  [':pencil2:', '✏\uFE0F'],
  [':poop:', '💩'],
  [':rewind:', '⏪\uFE0F'],
  [':twisted_rightwards_arrows:', '🔀'],
  [':package:', '📦\uFE0F'],
  [':alien:', '👽\uFE0F'],
  [':truck:', '🚚'],
  [':page_facing_up:', '📄'],
  [':boom:', '💥'],
  [':bento:', '🍱'],
  [':wheelchair:', '♿\uFE0F'],
  [':bulb:', '💡'],
  [':beers:', '🍻'],
  [':speech_balloon:', '💬'],
  [':card_file_box:', '🗃\uFE0F'],
  [':loud_sound:', '🔊'],
  [':mute:', '🔇'],
  [':busts_in_silhouette:', '👥'],
  [':children_crossing:', '🚸'],
  [':building_construction:', '🏗\uFE0F'],
  [':iphone:', '📱'],
  [':clown_face:', '🤡'],
  [':egg:', '🥚'],
  [':see_no_evil:', '🙈'],
  [':camera_flash:', '📸'],
  [':alembic:', '⚗\uFE0F'],
  [':mag:', '🔍\uFE0F'],
  [':label:', '🏷\uFE0F'],
  [':seedling:', '🌱'],
  [':triangular_flag_on_post:', '🚩'],
  [':goal_net:', '🥅'],
  [':dizzy:', '💫'],
  [':wastebasket:', '🗑\uFE0F'],
  [':passport_control:', '🛂'],
  [':adhesive_bandage:', '🩹'],
  [':monocle_face:', '🧐'],
  [':coffin:', '⚰\uFE0F'],
  [':test_tube:', '🧪'],
  [':necktie:', '👔'],
  [':stethoscope:', '🩺'],
  [':bricks:', '🧱'],
  [':technologist:', '🧑\u200D💻'],
  [':money_with_wings:', '💸'],
  [':thread:', '🧵'],
  [':safety_vest:', '🦺'],
];

const withoutSelector = (emoji: string) => emoji.replaceAll('\uFE0F', '');
const emojiByCode = new Map(gitmojis.map(([code, emoji]) => [code, emoji]));
const codeByEmoji = new Map(gitmojis.map(([code, emoji]) => [withoutSelector(emoji), code]));

/** A gitmoji at the start of a header or subject, as written and as both forms when known. */
export interface Gitmoji {
  /** What the message holds: `:sparkles:` or `✨`. */
  text: string;
  /** The shortcode, or null for an emoji gitmoji does not list. */
  code: string | null;
  /** The emoji, or null for a shortcode gitmoji does not list. */
  emoji: string | null;
}

const shortcode = /^:[a-z0-9_+-]+:/;
// One pictograph, with its variation selector or keycap, joined to others by zero-width joiners
// (:technologist: is 🧑 + ZWJ + 💻); not © or ®, which Unicode also counts as pictographs.
const pictograph =
  /^(?![©®])\p{Extended_Pictographic}[\uFE0F\u20E3]?(?:\u200D\p{Extended_Pictographic}[\uFE0F]?)*/u;

/** The gitmoji `text` starts with and the length it takes (with the spaces after it), or null. */
export function leadingGitmoji(text: string): { gitmoji: Gitmoji; length: number } | null {
  const found = shortcode.exec(text) ?? pictograph.exec(text);
  if (!found) return null;
  const written = found[0];
  const gitmoji: Gitmoji = written.startsWith(':')
    ? { text: written, code: written, emoji: emojiByCode.get(written) ?? null }
    : { text: written, code: codeByEmoji.get(withoutSelector(written)) ?? null, emoji: written };
  const spaces = /^\s*/.exec(text.slice(written.length))?.[0].length ?? 0;
  return { gitmoji, length: written.length + spaces };
}

/** Whether gitmoji.dev lists this gitmoji (in either form). */
export function isKnownGitmoji(gitmoji: Gitmoji): boolean {
  return gitmoji.code !== null && gitmoji.emoji !== null;
}
