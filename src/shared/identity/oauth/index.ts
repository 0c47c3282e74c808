export { type GoogleConfig, googleConfigFrom } from './google.config.js';
export {
  GOOGLE_AUTH_PREFIX,
  type GoogleAuthOptions,
  googleAuthRoutes,
  OAUTH_STATE_COOKIE,
} from './google.routes.js';
export { createGoogleSignIn, type GoogleSignIn, oauthEncryptedColumns } from './google.service.js';
export { isSameSitePath, redirectToSchema } from './redirect-to.js';
