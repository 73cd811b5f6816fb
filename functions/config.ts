import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Configuration from the environment: the same names in AWS and on the local stack. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

type SecretName = 'PERSON_KEY_SECRET' | 'PAGE_TOKEN_SECRET' | 'SMTP_SECRET';
const secrets = new Map<SecretName, Promise<string>>();
let secretsManager: SecretsManagerClient | undefined;

async function readSecret(name: SecretName): Promise<string> {
  const direct = process.env[name];
  if (direct) return direct;
  secretsManager ??= new SecretsManagerClient({});
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: required(`${name}_ARN`) }));
  if (!SecretString) throw new Error(`The secret ${name} is empty`);
  return SecretString;
}

/**
 * A secret given directly (`NAME`, the local stack) or read from Secrets Manager (`NAME_ARN`). Only a
 * successful read is kept: a failed one (throttling, a network blip) is tried again on the next call
 * instead of failing every request until the container is recycled.
 */
function secret(name: SecretName): Promise<string> {
  let reading = secrets.get(name);
  if (!reading) {
    reading = readSecret(name);
    secrets.set(name, reading);
    const started = reading;
    started.catch(() => {
      if (secrets.get(name) === started) secrets.delete(name);
    });
  }
  return reading;
}

export const config = {
  get tableName(): string {
    return required('TABLE_NAME');
  },
  get exportsBucket(): string {
    return required('EXPORTS_BUCKET');
  },
  get documentsBucket(): string {
    return required('DOCUMENTS_BUCKET');
  },
  get stateMachineArn(): string {
    return required('STATE_MACHINE_ARN');
  },
  /** The HMAC secret that turns resident ID numbers into person keys. */
  personKeySecret(): Promise<string> {
    return secret('PERSON_KEY_SECRET');
  },
  /** The key that seals pagination tokens. */
  pageTokenSecret(): Promise<string> {
    return secret('PAGE_TOKEN_SECRET');
  },
  /** The SMTP relay's credentials (JSON `{"username","password"}`), when the relay needs them. */
  smtpSecret(): Promise<string> | undefined {
    return process.env.SMTP_SECRET || process.env.SMTP_SECRET_ARN ? secret('SMTP_SECRET') : undefined;
  },
};

/** Tests only: forget the cached secrets and client (the next call reads again). */
export function resetConfigCache(): void {
  secrets.clear();
  secretsManager = undefined;
}
