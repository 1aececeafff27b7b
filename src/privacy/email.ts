import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** How glasshub sends e-mail; an SMTP transport implements the same interface. */
export interface EmailTransport {
  send(message: EmailMessage): Promise<void>;
}

/**
 * The default transport: each message becomes an RFC 5322 `.eml` file in an outbox folder (mode 0600, as it
 * holds an address and a one-time code), for an operator's mail relay or a test to pick up.
 */
export class OutboxTransport implements EmailTransport {
  constructor(
    readonly dir: string,
    private readonly from = 'glasshub <no-reply@hub.example>',
  ) {}

  send(message: EmailMessage): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (/[\r\n]/.test(message.to) || /[\r\n]/.test(message.subject)) return Promise.reject(new Error('e-mail headers cannot hold line breaks'));
    const id = randomUUID();
    const body = [
      `From: ${this.from}`,
      `To: ${message.to}`,
      `Subject: ${message.subject}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${id}@glasshub>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      message.text,
    ].join('\r\n');
    writeFileSync(join(this.dir, `${Date.now()}-${id}.eml`), body, { mode: 0o600 });
    return Promise.resolve();
  }
}
