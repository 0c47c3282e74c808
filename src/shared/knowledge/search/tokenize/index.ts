export { ENGLISH_STOP_WORDS, tokenize } from './tokenize.js';
