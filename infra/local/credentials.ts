import { randomBytes } from 'node:crypto';
import type { Template } from './synth.js';
import { LOCAL_ACCOUNT } from './synth.js';

/** An access key pair as the SDK takes it. */
export interface LocalCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Who a verified request comes from. `roles` are the template's role logical ids whose policies
 * decide; `admin` is the local stack's own bookkeeping,
 * which no IAM policy governs (in AWS it is the service itself).
 */
export interface LocalIdentity {
  arn: string;
  roles: readonly string[];
  admin: boolean;
}

/** The shape the Lambda workers take their credentials from: one function, one role. */
export type CredentialsFor = (functionLogicalId: string, roleLogicalId: string) => LocalCredential;

/** An access key id in AWS's shape: AKIA and 16 base-32 characters. */
function accessKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${[...randomBytes(16)].map((b) => alphabet[b % 32]).join('')}`;
}

function newCredential(): LocalCredential {
  return { accessKeyId: accessKeyId(), secretAccessKey: randomBytes(30).toString('base64') };
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** Logical id of the role a Lambda function runs as (`Role: {Fn::GetAtt: [role, Arn]}`). */
export function functionRoles(template: Template): Map<string, string> {
  const roles = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources as Record<string, Resource>)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const role = (resource.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
    if (role) roles.set(id, role);
  }
  return roles;
}

/**
 * Local credentials, new at every stack start: one key pair per IAM role of the synthesized template,
 * one for the local stack's own bookkeeping (tables, the Step Functions journal), and one for the
 * handlers while they share this process's environment (it may do what any Lambda role may do).
 */
export class LocalCredentials {
  readonly admin: LocalCredential = newCredential();
  readonly #byRole = new Map<string, LocalCredential>();
  readonly #byKey = new Map<string, { secretAccessKey: string; identity: LocalIdentity }>();
  readonly #functionRoles: Map<string, string>;

  constructor(template: Template) {
    this.#functionRoles = functionRoles(template);
    const roles = Object.entries(template.Resources as Record<string, Resource>)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
      .map(([id]) => id);
    this.#add(this.admin, { arn: `arn:aws:iam::${LOCAL_ACCOUNT}:user/local-stack-admin`, roles: [], admin: true });
    for (const role of roles) {
      const credential = newCredential();
      this.#byRole.set(role, credential);
      this.#add(credential, { arn: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${role}/local`, roles: [role], admin: false });
    }
  }

  #add(credential: LocalCredential, identity: LocalIdentity): void {
    this.#byKey.set(credential.accessKeyId, { secretAccessKey: credential.secretAccessKey, identity });
  }

  /** The role's key pair; throws for a role the template does not define. */
  forRole(roleLogicalId: string): LocalCredential {
    const credential = this.#byRole.get(roleLogicalId);
    if (!credential) throw new Error(`No IAM role ${roleLogicalId} in the synthesized template`);
    return credential;
  }

  /** The role logical id a function runs as. */
  roleOf(functionLogicalId: string): string {
    const role = this.#functionRoles.get(functionLogicalId);
    if (!role) throw new Error(`No Lambda function ${functionLogicalId} in the synthesized template`);
    return role;
  }

  /** The logical ids of the template's Lambda functions. */
  functionIds(): string[] {
    return [...this.#functionRoles.keys()];
  }

  /** For the Lambda workers: refuses a role that is not the function's own, as Lambda would never hand it out. */
  readonly credentialsFor: CredentialsFor = (functionLogicalId, roleLogicalId) => {
    if (this.roleOf(functionLogicalId) !== roleLogicalId) {
      throw new Error(`${functionLogicalId} runs as ${this.roleOf(functionLogicalId)}, not ${roleLogicalId}`);
    }
    return this.forRole(roleLogicalId);
  };

  /** The secret and identity behind an access key id, or undefined for a key nobody issued. */
  lookup(accessKeyId: string): { secretAccessKey: string; identity: LocalIdentity } | undefined {
    return this.#byKey.get(accessKeyId);
  }

  /** Every key pair, for s3rver's own key registry (it must know the keys the front has verified). */
  all(): LocalCredential[] {
    return [...this.#byKey.entries()].map(([accessKeyId, { secretAccessKey }]) => ({ accessKeyId, secretAccessKey }));
  }
}
