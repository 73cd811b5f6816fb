import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Configuration from the environment, read once: the same names in AWS and on the local stack. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

let personKeySecret: Promise<string> | undefined;
let secretsManager: SecretsManagerClient | undefined;

async function readPersonKeySecret(): Promise<string> {
  if (process.env.PERSON_KEY_SECRET) return process.env.PERSON_KEY_SECRET;
  secretsManager ??= new SecretsManagerClient({});
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: required('PERSON_KEY_SECRET_ARN') }));
  if (!SecretString) throw new Error('The person key secret is empty');
  return SecretString;
}

export const config = {
  get tableName(): string {
    return required('TABLE_NAME');
  },
  get exportsBucket(): string {
    return required('EXPORTS_BUCKET');
  },
  get stateMachineArn(): string {
    return required('STATE_MACHINE_ARN');
  },
  /**
   * The HMAC secret that turns resident ID numbers into person keys: PERSON_KEY_SECRET where it is
   * given directly (the local stack), otherwise read from Secrets Manager (PERSON_KEY_SECRET_ARN).
   * Only a successful read is kept: a failed one (throttling, a network blip) is tried again on the
   * next call instead of failing every request until the container is recycled.
   */
  personKeySecret(): Promise<string> {
    if (!personKeySecret) {
      const reading = readPersonKeySecret();
      personKeySecret = reading;
      reading.catch(() => {
        if (personKeySecret === reading) personKeySecret = undefined;
      });
    }
    return personKeySecret;
  },
};

/** Tests only: forget the cached secret and client (the next call reads again). */
export function resetConfigCache(): void {
  personKeySecret = undefined;
  secretsManager = undefined;
}
