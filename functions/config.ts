import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Configuration from the environment, read once: the same names in AWS and on the local stack. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

let personKeySecret: Promise<string> | undefined;
let pageTokenSecret: Promise<string> | undefined;

/** A secret given directly (`NAME`, the local stack) or read once from Secrets Manager (`NAME_ARN`). */
function secret(name: string): Promise<string> {
  const direct = process.env[name];
  if (direct) return Promise.resolve(direct);
  return new SecretsManagerClient({})
    .send(new GetSecretValueCommand({ SecretId: required(`${name}_ARN`) }))
    .then(({ SecretString }) => {
      if (!SecretString) throw new Error(`The secret ${name} is empty`);
      return SecretString;
    });
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
   * given directly (the local stack), otherwise read once from Secrets Manager (PERSON_KEY_SECRET_ARN).
   */
  personKeySecret(): Promise<string> {
    personKeySecret ??= process.env.PERSON_KEY_SECRET
      ? Promise.resolve(process.env.PERSON_KEY_SECRET)
      : new SecretsManagerClient({})
          .send(new GetSecretValueCommand({ SecretId: required('PERSON_KEY_SECRET_ARN') }))
          .then(({ SecretString }) => {
            if (!SecretString) throw new Error('The person key secret is empty');
            return SecretString;
          });
    return personKeySecret;
  },
  /** The key that seals pagination tokens (PAGE_TOKEN_SECRET locally, PAGE_TOKEN_SECRET_ARN in AWS). */
  pageTokenSecret(): Promise<string> {
    pageTokenSecret ??= secret('PAGE_TOKEN_SECRET');
    pageTokenSecret.catch(() => (pageTokenSecret = undefined));
    return pageTokenSecret;
  },
};
