import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './dynamodb-local.js';

/** A mail the local SMTP server received, parsed. */
export interface ReceivedMail {
  messageId: string | undefined;
  from: string | undefined;
  to: string[];
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  receivedAt: string;
}

export interface LocalSmtp {
  /** Where the email function sends (its template env's SMTP_HOST/SMTP_PORT are replaced with these). */
  host: string;
  port: number;
  /** Everything received since the stack started, oldest first. */
  received(): ReceivedMail[];
  /** Tests: the server goes away (connections refused) and comes back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The local stand-in for SES or the SMTP relay: smtp-server on 127.0.0.1 and a free port, no
 * authentication (loopback only), each message parsed with mailparser and kept in memory.
 */
export async function startLocalSmtp(): Promise<LocalSmtp> {
  const port = await freePort();
  const mails: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const start = async () => {
    if (server) return;
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            mails.push({
              messageId: parsed.messageId,
              from: parsed.from?.text,
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject,
              text: parsed.text,
              html: typeof parsed.html === 'string' ? parsed.html : undefined,
              receivedAt: new Date().toISOString(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', (error) => {
        server = undefined;
        reject(error);
      });
      listening.listen(port, '127.0.0.1', () => resolve());
    });
    if ((listening.server.address() as AddressInfo).port !== port) throw new Error('The SMTP server did not bind its port');
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    received: () => [...mails],
    start,
    async stop() {
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}
