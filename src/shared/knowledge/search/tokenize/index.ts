export { ENGLISH_STOP_WORDS, type TermSpan, tokenize, tokenSpans } from './tokenize.js';
