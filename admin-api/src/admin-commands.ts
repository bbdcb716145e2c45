/** What the `parley admin …` commands use: loaded without the HTTP server. */
export {
  type CommandLineReset,
  ResetRefused,
  resetPasswordFromCommandLine,
} from './modules/auth/command-line-reset.js';
export { resetPageUrl } from './modules/auth/reset-page-url.js';
