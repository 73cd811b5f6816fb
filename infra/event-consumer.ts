import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventType } from '../functions/domain/vocabulary.js';

export interface EventConsumerProps {
  /** The table whose stream (NEW_IMAGE) publishes the domain events. */
  table: ITableV2;
  /** The consumer: a handler made with functions/events/consumer.ts's eventConsumer. */
  fn: IFunction;
  /** The event types it is given; every other item change never reaches it. */
  eventTypes: readonly EventType[];
  /** Encrypts the failure queue (the records' keys and sequence numbers are data about applications). */
  encryptionKey: IKey;
  alarmAction: IAlarmAction;
  batchSize?: number;
  /** Retries of a failing record before it goes to the failure queue (default EVENT_CONSUMER_DEFAULTS). */
  retryAttempts?: number;
}

/** Event source mapping settings; the local stack reads them back from the template. */
export const EVENT_CONSUMER_DEFAULTS = {
  batchSize: 25,
  retryAttempts: 5,
  // A record older than a day is not worth a notification any more; it goes to the failure queue.
  maxRecordAge: Duration.hours(24),
} as const;

/**
 * A consumer of the domain events: a DynamoDB Streams event source mapping that passes only event
 * items (INSERTs with entity "Event") of the given types, retries a failing batch by halves and from
 * the first failed record (ReportBatchItemFailures), and sends what still fails to an encrypted SQS
 * queue with an alarm. All of these exist in the China regions too (docs.amazonaws.cn, Lambda
 * CreateEventSourceMapping: BisectBatchOnFunctionError, DestinationConfig, FilterCriteria).
 */
export class EventConsumer extends Construct {
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the on-failure destination of an event source mapping; its messages are read by administrators.',
    });
    props.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? EVENT_CONSUMER_DEFAULTS.batchSize,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: props.retryAttempts ?? EVENT_CONSUMER_DEFAULTS.retryAttempts,
        maxRecordAge: EVENT_CONSUMER_DEFAULTS.maxRecordAge,
        onFailure: new SqsDlq(this.failures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('Event') }, type: { S: FilterRule.or(...props.eventTypes) } } },
          }),
        ],
      }),
    );
    new Alarm(this, 'FailuresAlarm', {
      alarmDescription: `${id}: domain events the consumer could not handle (read the queue)`,
      metric: this.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(props.alarmAction);
  }
}
