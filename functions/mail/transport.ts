import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { createTransport } from 'nodemailer';
import { config } from '../config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per (event, recipient), so that a mail client can drop a copy sent twice after a crash. */
  messageId: string;
}

type Sender = (mail: OutgoingMail) => Promise<void>;
let sender: Sender | undefined;

/**
 * The mail path from the environment: `MAIL_TRANSPORT=ses` sends through Amazon SES (SESv2 API, with the
 * function's role), `smtp` through the relay at SMTP_HOST:SMTP_PORT (AWS China has no SES; locally the
 * stack's SMTP server). A refused or failed send throws, so the event source mapping retries it.
 */
function makeSender(): Sender {
  const from = process.env.MAIL_FROM;
  if (!from) throw new Error('Missing environment variable MAIL_FROM');
  if (process.env.MAIL_TRANSPORT === 'ses') {
    const transport = createTransport({ SES: { sesClient: new SESv2Client({}), SendEmailCommand } });
    return async (mail) => void (await transport.sendMail({ from, ...mail }));
  }
  if (process.env.MAIL_TRANSPORT !== 'smtp') throw new Error(`MAIL_TRANSPORT must be ses or smtp, not ${process.env.MAIL_TRANSPORT}`);
  const host = process.env.SMTP_HOST;
  const port = Number(process.env.SMTP_PORT ?? 587);
  if (!host) throw new Error('Missing environment variable SMTP_HOST');
  // Outside the local stack the relay must offer TLS (465: implicit, otherwise STARTTLS is required).
  const requireTls = process.env.SMTP_REQUIRE_TLS !== 'false';
  return async (mail) => {
    const secret = await config.smtpSecret();
    const auth = secret ? (JSON.parse(secret) as { username: string; password: string }) : undefined;
    const transport = createTransport({
      host,
      port,
      secure: port === 465,
      requireTLS: requireTls && port !== 465,
      ignoreTLS: !requireTls,
      ...(auth ? { auth: { user: auth.username, pass: auth.password } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      await transport.sendMail({ from, ...mail });
    } finally {
      transport.close();
    }
  };
}

export function sendMail(mail: OutgoingMail): Promise<void> {
  sender ??= makeSender();
  return sender(mail);
}
