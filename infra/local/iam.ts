import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { LocalIdentity } from './credentials.js';
import {
  LOCAL_ACCOUNT,
  LOCAL_DOCUMENTS_BUCKET,
  LOCAL_EXPORTS_BUCKET,
  LOCAL_REGION,
  LOCAL_STATE_MACHINE_ARN,
  LOCAL_TABLE_NAME,
  SYNTH_REGION,
  type Template,
  localFunctionArn,
} from './synth.js';

/**
 * IAM for the local stack: each role's identity policies, taken from the synthesized template with their
 * ARNs resolved for the local account and region, evaluated by @cloud-copilot/iam-simulate (a
 * devDependency of the local stack only, never bundled into a Lambda).
 */

type Resource = { Type: string; Properties?: Record<string, unknown> };
type PolicyDocument = { Version?: string; Statement: unknown[] };

/**
 * What AWSLambdaBasicExecutionRole grants: writing the function's own logs, nothing else. The other
 * managed policies a template may attach are not modelled (this template attaches none).
 */
const LAMBDA_BASIC_EXECUTION: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
};

/**
 * Step Functions' task-response actions: the service authorization reference lists no resource type for
 * them (so iam-simulate insists on "*"), yet AWS evaluates them against the state machine of the task's
 * execution — its AccessDenied names `…:stateMachine:<name>`, and CDK's grantTaskResponse, which grants
 * on the state machine ARN only, works in AWS. The local evaluation follows AWS (see SECURITY.md).
 */
const STATE_MACHINE_SCOPED = new Set(['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']);

export const tableArn = (name: string) => (name.startsWith('arn:') ? name : `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`);

/** Resolves the intrinsics in a policy document the way the local stack names its resources. */
export function resolvePolicyValue(value: unknown, resources: Record<string, Resource>): unknown {
  const bucketName = (id: string) =>
    id.startsWith('Exports') && !id.startsWith('ExportsAccessLogs') ? LOCAL_EXPORTS_BUCKET : id.startsWith('Documents') ? LOCAL_DOCUMENTS_BUCKET : `local-${id.toLowerCase()}`;
  const arnOf = (id: string): string => {
    const type = resources[id]?.Type;
    switch (type) {
      case 'AWS::Lambda::Function':
        return localFunctionArn(id);
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return tableArn(LOCAL_TABLE_NAME);
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${bucketName(id)}`;
      case 'AWS::StepFunctions::StateMachine':
        return LOCAL_STATE_MACHINE_ARN;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${id}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${id}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${id}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${id}:*`;
      default:
        // Nothing local answers to it: an ARN that matches no request.
        return `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:unresolved/${id}`;
    }
  };
  const resolve = (v: unknown): unknown => {
    // The stack is synthesized for a concrete region, which some ARNs carry literally.
    if (typeof v === 'string') return v.replaceAll(`:${SYNTH_REGION}:`, `:${LOCAL_REGION}:`);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(resolve);
    const entries = Object.entries(v);
    if (entries.length === 1 && entries[0]![0].startsWith('Fn::') || (entries.length === 1 && entries[0]![0] === 'Ref')) {
      const [fn, arg] = entries[0]!;
      switch (fn) {
        case 'Ref': {
          const ref = arg as string;
          if (ref === 'AWS::Partition') return 'aws';
          if (ref === 'AWS::Region') return LOCAL_REGION;
          if (ref === 'AWS::AccountId') return LOCAL_ACCOUNT;
          if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
          const type = resources[ref]?.Type;
          if (type === 'AWS::S3::Bucket') return bucketName(ref);
          if (type === 'AWS::DynamoDB::GlobalTable' || type === 'AWS::DynamoDB::Table') return LOCAL_TABLE_NAME;
          return arnOf(ref);
        }
        case 'Fn::GetAtt': {
          const [id, attribute] = arg as [string, string];
          return attribute === 'Arn' ? arnOf(id) : `unresolved:${id}.${attribute}`;
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (resolve(parts) as unknown[]).join(separator);
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, unknown];
          return String(resolve(source)).split(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number | string, unknown];
          return (resolve(list) as unknown[])[Number(index)];
        }
      }
    }
    return Object.fromEntries(entries.map(([k, item]) => [k, resolve(item)]));
  };
  return resolve(value);
}

/** Each role's identity policies (inline AWS::IAM::Policy resources and the managed basic-execution policy). */
export function rolePolicies(template: Template): Map<string, { name: string; policy: PolicyDocument }[]> {
  const resources = template.Resources as Record<string, Resource>;
  const byRole = new Map<string, { name: string; policy: PolicyDocument }[]>();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const managed = (resource.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? [];
    const policies = managed
      .map((arn) => String(resolvePolicyValue(arn, resources)))
      .filter((arn) => arn.endsWith(':policy/service-role/AWSLambdaBasicExecutionRole'))
      .map(() => ({ name: 'AWSLambdaBasicExecutionRole', policy: LAMBDA_BASIC_EXECUTION }));
    byRole.set(id, policies);
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = (resource.Properties?.Roles as { Ref?: string }[] | undefined) ?? [];
    const policy = resolvePolicyValue(resource.Properties?.PolicyDocument, resources) as PolicyDocument;
    for (const role of roles) if (role.Ref) byRole.get(role.Ref)?.push({ name: id, policy });
  }
  return byRole;
}

export type Decision = { allowed: true } | { allowed: false; message: string };

export class LocalIam {
  readonly #policies: Map<string, { name: string; policy: PolicyDocument }[]>;
  /** The most recent refusals (who, what, on which resource), to explain a failure. */
  readonly denials: { principal: string; action: string; resource: string }[] = [];
  readonly #outcomes = new Map<string, string>();

  constructor(template: Template) {
    this.#policies = rolePolicies(template);
  }

  /** The identity policies of a role, resolved (for tests and for explaining a denial). */
  policiesOf(roleLogicalId: string) {
    return this.#policies.get(roleLogicalId) ?? [];
  }

  /**
   * Whether the identity may perform each (action, resource) pair; the first one refused decides, with
   * AWS's AccessDenied message. The local stack's own admin key is not subject to IAM.
   */
  async authorize(identity: LocalIdentity, requests: readonly { action: string; resource: string }[]): Promise<Decision> {
    if (identity.admin) return { allowed: true };
    const identityPolicies = identity.roles.flatMap((role) => this.policiesOf(role));
    for (const { action, resource } of requests) {
      // The policies never change while the stack runs, so an outcome holds for its (who, what, where).
      const key = `${identity.arn}|${action}|${resource}`;
      const cached = this.#outcomes.get(key);
      if (cached === 'Allowed') continue;
      const simulation = {
        request: { principal: identity.arn, action, resource: { resource, accountId: LOCAL_ACCOUNT }, contextVariables: {} },
        identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      };
      let result: string;
      if (cached) {
        result = cached;
      } else if (STATE_MACHINE_SCOPED.has(action)) {
        result = runUnsafeSimulation(simulation, {});
      } else {
        const outcome = await runSimulation(simulation, {});
        result = outcome.resultType === 'error' ? `error: ${outcome.errors.message}` : outcome.overallResult;
      }
      if (this.#outcomes.size >= 10_000) this.#outcomes.clear();
      this.#outcomes.set(key, result);
      if (result !== 'Allowed') {
        this.denials.push({ principal: identity.arn, action, resource });
        if (this.denials.length > 200) this.denials.shift();
        const because =
          result === 'ExplicitlyDenied'
            ? `with an explicit deny in an identity-based policy`
            : `because no identity-based policy allows the ${action} action`;
        return { allowed: false, message: `User: ${identity.arn} is not authorized to perform: ${action} on resource: ${resource} ${because}` };
      }
    }
    return { allowed: true };
  }
}
