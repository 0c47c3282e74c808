export { applyStyle } from './apply-style.js';
export {
  conventionFromProfile,
  conventionSchema,
  TEMPLATE_VARIABLES,
  validateConvention,
} from './convention.js';
export { type Gitmoji, gitmojiByType, gitmojiOf } from './gitmoji.js';
export { emptyProfile, learnStyle, MIN_CASES } from './learn-style.js';
export { localizeSubject, shorterSubjects } from './localize-subject.js';
export { renderMessage } from './render-message.js';
export type {
  BreakingMarker,
  Convention,
  ConventionIssue,
  Count,
  Language,
  LocalizedSubject,
  StyleDraft,
  StyledDraft,
  StyleProfile,
  TicketPattern,
  TicketPlacement,
  TicketStyle,
} from './style.types.js';
