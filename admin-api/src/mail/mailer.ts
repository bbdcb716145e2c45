import { createTransport, type Transporter } from 'nodemailer';

/** Where mail goes out: PARLEY_SMTP_URL and PARLEY_MAIL_FROM. */
export interface MailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`. */
  url: string;
  from: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends plain-text mail through the configured SMTP server, one connection per message (mail is
 * rare). Short timeouts: a person waits on the answer, and a server that does not answer in seconds
 * will not answer in minutes.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: MailSettings) {
    this.transport = createTransport({
      url: settings.url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.settings.from, ...mail });
  }
}

/** What a failed send says to the person who asked for it: the server's reason, never the message. */
export function mailFailure(cause: unknown): string {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return `The email could not be sent (${reason.replace(/\s+/g, ' ').slice(0, 200)}).`;
}
