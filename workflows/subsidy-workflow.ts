import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  JitterType,
  Wait,
  WaitTime,
  Timeout,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { CloseOutcome } from '../functions/domain/vocabulary.js';
import { REVIEW_STAGES, type ReviewStageDefinition } from './review-stages.js';

export interface WorkflowSteps {
  assess: IFunction;
  openReviewTask: IFunction;
  awaitRevision: IFunction;
  close: IFunction;
  grant: IFunction;
  publicity: IFunction;
}

export interface SubsidyWorkflowProps {
  steps: WorkflowSteps;
  logGroup: ILogGroup;
  /** The review stages, in order (default: REVIEW_STAGES). */
  stages?: readonly ReviewStageDefinition[];
  /** How long a returned application waits for the enterprise before it is withdrawn (default 30 days). */
  returnDeadline?: Duration;
  /** X-Ray tracing of executions; off where the partition lacks it (aws-cn). */
  tracing?: boolean;
}

/**
 * Transient failures of the invocation itself (throttling, Lambda's own errors, a function that timed
 * out): retried with backoff on every Lambda task, the review tasks included. Errors a step throws are
 * not transient by this definition and are retried only by STEP_RETRY.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Sandbox.Timedout',
] as const;
const TRANSIENT_RETRY = { errors: [...LAMBDA_TRANSIENT_ERRORS], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, jitterStrategy: JitterType.FULL };
const STEP_RETRY = { errors: ['States.TaskFailed'], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 };

/*
 * No Catch sends a failed step to a Fail state on purpose: an execution that fails in the step itself
 * is listed for the administrator (GET /workflows/failures) and redriven from that step once the cause
 * is fixed. Routing it to a Fail state would make a redrive re-run the Fail state, not the step.
 */

/**
 * The one workflow of an application: Assess → one review stage after another (each a task-token wait
 * for a reviewer's decision) → Grant. CDK deploys it; the local stack executes the ASL CDK synthesizes
 * from it.
 */
export class SubsidyWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: SubsidyWorkflowProps) {
    super(scope, id);
    const { steps } = props;
    const returnDeadline = props.returnDeadline ?? Duration.days(30);
    const applicationId = JsonPath.stringAt('$.applicationId');
    // Every step logs with the execution it runs in (functions/logger.ts).
    const executionId = JsonPath.executionId;

    const assess = new LambdaInvoke(this, 'Assess', {
      lambdaFunction: steps.assess,
      payload: TaskInput.fromObject({ applicationId, executionId }),
      resultSelector: {
        'eligible.$': '$.Payload.eligible',
        'amount.$': '$.Payload.amount',
        'department.$': '$.Payload.department',
      },
      resultPath: '$.assessment',
      retryOnServiceExceptions: false,
    })
      .addRetry(TRANSIENT_RETRY)
      .addRetry(STEP_RETRY);

    const grant = new LambdaInvoke(this, 'Grant', {
      lambdaFunction: steps.grant,
      payload: TaskInput.fromObject({ applicationId, executionId }),
      resultSelector: { 'status.$': '$.Payload.status', 'amount.$': '$.Payload.amount' },
      resultPath: '$.grant',
      retryOnServiceExceptions: false,
    })
      .addRetry(TRANSIENT_RETRY)
      .addRetry(STEP_RETRY)
      .next(
        new Choice(this, 'Awaiting publicity?')
          .when(Condition.stringEquals('$.grant.status', 'AWAITING_PUBLICITY'), this.publicity(steps.publicity))
          .otherwise(new Succeed(this, 'Granted')),
      );

    const close = (id: string, outcome: CloseOutcome, end: string) =>
      new LambdaInvoke(this, id, {
        lambdaFunction: steps.close,
        payload: TaskInput.fromObject({ applicationId, outcome, executionId }),
        resultPath: JsonPath.DISCARD,
        retryOnServiceExceptions: false,
      })
        .addRetry(TRANSIENT_RETRY)
        .addRetry(STEP_RETRY)
        .next(new Succeed(this, end));
    const rejected = close('Reject', 'REJECTED', 'Rejected');

    // Returned for revision: wait for the enterprise's corrected details (up to the deadline), then
    // assess again from the start; past the deadline the application is withdrawn. Built once, on first use.
    let returned: IChainable | undefined;
    const returnPath = () => {
      if (!returned) {
        const wait = new LambdaInvoke(this, 'Await revision', {
          lambdaFunction: steps.awaitRevision,
          integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
          payload: TaskInput.fromObject({ applicationId, executionId, taskToken: JsonPath.taskToken, deadlineSeconds: returnDeadline.toSeconds() }),
          taskTimeout: Timeout.duration(returnDeadline),
          resultPath: JsonPath.DISCARD,
          retryOnServiceExceptions: false,
        })
          .addRetry(TRANSIENT_RETRY)
          .addCatch(close('Expire revision', 'REVISION_EXPIRED', 'Withdrawn'), { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
        wait.next(assess);
        returned = wait;
      }
      return returned;
    };

    // Build the stages back to front, so that each stage's approval leads to the next one.
    let next: IChainable = grant;
    for (const definition of [...(props.stages ?? REVIEW_STAGES)].reverse()) {
      next = this.reviewStage(definition, steps.openReviewTask, next, rejected, returnPath());
    }

    const definition = assess.next(
      new Choice(this, 'Eligible?')
        .when(Condition.booleanEquals('$.assessment.eligible', false), new Succeed(this, 'Ineligible'))
        .when(Condition.booleanEquals('$.assessment.eligible', true), next)
        .otherwise(this.unexpected('Eligible? unexpected', 'The assessment has no eligible flag')),
    );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: props.tracing ?? true,
      logs: { destination: props.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
  }

  /** A review stage: open the department's task, wait for its token, then follow the decision. */
  private reviewStage(
    definition: ReviewStageDefinition,
    openReviewTask: IFunction,
    onApprove: IChainable,
    onReject: IChainable,
    onReturn: IChainable,
  ): IChainable {
    const name = definition.stage;
    const review = new LambdaInvoke(this, `Review ${name}`, {
      lambdaFunction: openReviewTask,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        applicationId: JsonPath.stringAt('$.applicationId'),
        stage: name,
        dept: definition.dept === 'program' ? JsonPath.stringAt('$.assessment.department') : definition.dept,
        taskToken: JsonPath.taskToken,
        executionId: JsonPath.executionId,
      }),
      resultPath: '$.review',
      retryOnServiceExceptions: false,
    }).addRetry(TRANSIENT_RETRY);
    const stage = review.next(
      new Choice(this, `${name} decision`)
        .when(Condition.stringEquals('$.review.decision', 'approve'), onApprove)
        .when(Condition.stringEquals('$.review.decision', 'reject'), onReject)
        .when(Condition.stringEquals('$.review.decision', 'return'), onReturn)
        .otherwise(this.unexpected(`${name} unexpected decision`, 'The review answered with no known decision')),
    );
    if (!definition.onlyWhen) return stage;
    // The flag is absent when the previous decision did not ask for this stage.
    return new Choice(this, `${name}?`)
      .when(Condition.booleanEquals(`$.review.${definition.onlyWhen}`, true), stage)
      .otherwise(onApprove);
  }

  /**
   * 公示 (§5.14): wait (task token) until a notice includes the award — its answer is the instant the
   * period closes — then a Wait on that timestamp, then End publicity, whose token is answered at once
   * (APPROVED) or, while an objection holds the award, by the department's resolution.
   */
  private publicity(step: IFunction): IChainable {
    const callback = (id: string, phase: 'await' | 'end', resultPath: string) =>
      new LambdaInvoke(this, id, {
        lambdaFunction: step,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ applicationId: JsonPath.stringAt('$.applicationId'), phase, taskToken: JsonPath.taskToken, executionId: JsonPath.executionId }),
        resultPath,
        retryOnServiceExceptions: false,
      }).addRetry(TRANSIENT_RETRY);
    return callback('Await publicity', 'await', '$.publicity')
      .next(new Wait(this, 'Publicity period', { time: WaitTime.timestampPath('$.publicity.closesAt') }))
      .next(callback('End publicity', 'end', '$.publicityOutcome').next(new Succeed(this, 'Publicity ended')));
  }

  /** The Default of a Choice whose input no branch expects: the execution fails and says why. */
  private unexpected(id: string, cause: string): Fail {
    return new Fail(this, id, { error: 'UnexpectedInput', cause });
  }
}
