import type { SessionReason, SessionReasonCode } from '@parley/contract';

/** Why a transition happened: a reason code and the underlying error or WhatsApp's own words. */
export interface ReasonCause {
  code: SessionReasonCode;
  detail?: string;
}

/**
 * Each reason in plain words for the admin, and what to do next: `nextStep` as is, or `fix` —
 * what a person can do — followed by "Parley tries again by itself" while it retries and "then
 * press Try again" once it has stopped.
 */
const TEXT: Record<SessionReasonCode, { message: string } & ({ nextStep: string } | { fix: string })> = {
  web_unreachable: {
    message: 'The server cannot reach WhatsApp Web.',
    fix: 'Check that the server is online and can open web.whatsapp.com (internet, DNS, firewall or proxy)',
  },
  browser_missing: {
    message: 'Chromium, the browser that runs WhatsApp Web, is not installed on the server.',
    fix: 'Install Chromium on the server (or set PARLEY_CHROMIUM_PATH to where it is)',
  },
  browser_crashed: {
    message: 'The browser that runs WhatsApp Web closed unexpectedly.',
    fix: 'If it keeps happening, check the server’s memory and its log',
  },
  web_version_unsupported: {
    message: 'WhatsApp Web did not start: this version of WhatsApp Web is not supported.',
    fix: 'Update Parley, or set PARLEY_WA_WEB_VERSION to a version that works',
  },
  out_of_memory: {
    message: 'The server ran short of memory for the browser that runs WhatsApp Web.',
    fix: 'Free memory on the server or connect fewer numbers per runtime (PARLEY_MAX_NUMBERS_PER_PROCESS)',
  },
  logged_out_on_phone: {
    message: 'The phone unlinked this device (WhatsApp → Linked devices).',
    nextStep: 'Press Connect and scan the new QR code with the phone.',
  },
  opened_elsewhere: {
    message: 'WhatsApp Web was opened for this number somewhere else.',
    fix: 'Close the other WhatsApp Web',
  },
  held_elsewhere: {
    message: 'Another Parley runtime is driving this number.',
    nextStep: 'Nothing to do: that runtime reports the number’s state from now on.',
  },
  login_timeout: {
    message: 'Nobody linked the phone in time.',
    nextStep: 'Press Connect when you have the phone at hand, then scan the QR code.',
  },
  ready_timeout: {
    message: 'WhatsApp Web did not finish loading in time.',
    fix: 'If it keeps happening, check the server’s connection and memory',
  },
  session_refused: {
    message: 'WhatsApp no longer accepts the saved login.',
    nextStep: 'Press Connect and scan the new QR code with the phone.',
  },
  session_unreadable: {
    message: 'The saved login could not be read (was the secret key changed?).',
    nextStep:
      'Restore the PARLEY_SECRET_KEY the login was saved with and press Try again, or log out and connect with a new QR code.',
  },
  blocked: {
    message: 'WhatsApp blocked this number.',
    nextStep:
      'Check the number in the WhatsApp app on the phone; it cannot connect until WhatsApp allows it.',
  },
  link_lost: {
    message: 'The connection to WhatsApp dropped.',
    fix: 'If it keeps happening, check the server’s internet connection',
  },
  scheduled_restart: {
    message: 'The browser is being restarted, as scheduled.',
    nextStep: 'Nothing to do: it reconnects by itself.',
  },
  admin_logout: {
    message: 'An admin logged this number out.',
    nextStep: 'Press Connect and scan a new QR code to use it again.',
  },
  admin_cancel: {
    message: 'An admin stopped connecting this number.',
    nextStep: 'Press Connect when you want it connected.',
  },
  runtime_stopped: {
    message: 'The Parley runtime that drove this number stopped.',
    nextStep: 'Nothing to do if it is restarting; otherwise start the runtime again.',
  },
  start_failed: {
    message: 'WhatsApp Web could not be started.',
    fix: 'If it fails again, the detail says why',
  },
};

/**
 * The reason code of an error from launching the browser or loading WhatsApp Web (Chromium's
 * `net::ERR_…` codes, Node's system errors, Puppeteer's messages).
 */
export function reasonCodeOfError(message: string): SessionReasonCode {
  if (
    /ENOENT|Browser was not found|executable doesn't exist|Could not find (Chrome|Chromium|expected browser)|No such file/i.test(
      message,
    )
  )
    return 'browser_missing';
  if (/ENOMEM|out of memory|Cannot allocate memory|OOM/i.test(message)) return 'out_of_memory';
  if (
    /net::ERR_(NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|INTERNET_DISCONNECTED|CONNECTION_|ADDRESS_UNREACHABLE|NETWORK_|TIMED_OUT|PROXY_|TUNNEL_CONNECTION_FAILED|CERT_|SSL_|SOCKS_|EMPTY_RESPONSE)|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT/i.test(
      message,
    )
  )
    return 'web_unreachable';
  if (
    /Target closed|Session closed|Protocol error|browser has disconnected|BROWSER_CLOSED|PAGE_CRASHED|crashed/i.test(
      message,
    )
  )
    return 'browser_crashed';
  if (/auth timeout|Evaluation failed|is not a function|Cannot read properties of undefined/i.test(message))
    return 'web_version_unsupported';
  return 'start_failed';
}

/** Reasons no retry can fix: the number fails at once. */
export function isFatalReason(code: SessionReasonCode): boolean {
  return code === 'browser_missing';
}

/**
 * The reason as the admin sees it (numbers page, session events, /readyz); `retrying`: Parley
 * tries again by itself (else it has stopped trying).
 */
export function sessionReason(
  cause: ReasonCause,
  retrying: boolean,
  attempts?: { attempt: number; maxAttempts: number; retryAt?: number },
): SessionReason {
  const text = TEXT[cause.code];
  const nextStep =
    'nextStep' in text
      ? text.nextStep
      : retrying
        ? `${text.fix}. Parley tries again by itself.`
        : `${text.fix}, then press Try again.`;
  return {
    code: cause.code,
    message: text.message,
    nextStep,
    ...(cause.detail === undefined || cause.detail === '' ? {} : { detail: cause.detail }),
    ...(attempts === undefined
      ? {}
      : {
          attempt: attempts.attempt,
          maxAttempts: attempts.maxAttempts,
          ...(attempts.retryAt === undefined ? {} : { retryAt: new Date(attempts.retryAt).toISOString() }),
        }),
  };
}
