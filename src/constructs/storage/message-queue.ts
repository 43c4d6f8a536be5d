import { Construct } from "constructs";
import { Fn } from "cdktf";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { policyDocument } from "../../lib/iam";
import { sqsAccess } from "../../lib/grants";
import { checkName } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";
import { DEAD_LETTER_RETENTION_SECONDS, deadLetterQueueNameOf, type QueueConfig } from "./settings";

/** A queue's settings, parsed by the storage schema (./settings.ts), which declares each default once; the name is given apart. */
export type QueueSettings = Omit<QueueConfig, "queueName">;

export interface MessageQueueProps {
  readonly queueName: string;
  readonly settings: QueueSettings;
}

/**
 * An SQS standard queue encrypted at rest with SQS-managed keys (SSE-SQS: no key policy for
 * producers and consumers to need), whose policy refuses any request without TLS. A message
 * received `maxReceiveCount` times without being deleted moves to the dead-letter queue
 * `<name>-dlq`, which keeps it 14 days from when it was first sent and which the main queue
 * alone may redrive into.
 */
export class MessageQueue extends Construct {
  public readonly queue: SqsQueue;
  public readonly deadLetterQueue?: SqsQueue;
  /** The queue's name as configured (a plain string, not a reference). */
  public readonly queueName: string;

  constructor(scope: Construct, id: string, props: MessageQueueProps) {
    super(scope, id);
    this.queueName = checkName("sqsQueue", props.queueName, "queueName");
    const { visibilityTimeoutSeconds, messageRetentionSeconds, maxReceiveCount } = props.settings;
    if (maxReceiveCount !== null) this.deadLetterQueue = this.addDeadLetterQueue(props.queueName);
    this.queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      visibilityTimeoutSeconds,
      messageRetentionSeconds,
      sqsManagedSseEnabled: true,
      redrivePolicy: this.deadLetterQueue ? Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount }) : undefined,
    });
    this.denyInsecureTransport("policy", this.queue);
    // Apart from the dead-letter queue itself: the queue names it in its redrive policy.
    if (this.deadLetterQueue) {
      new SqsQueueRedriveAllowPolicy(this, "dead_letter_allow", {
        queueUrl: this.deadLetterQueue.url,
        redriveAllowPolicy: Fn.jsonencode({ redrivePermission: "byQueue", sourceQueueArns: [this.queue.arn] }),
      });
    }
  }

  /** The dead-letter queue, which only this queue may send its failures to. */
  private addDeadLetterQueue(queueName: string): SqsQueue {
    const name = checkName("sqsQueue", deadLetterQueueNameOf(queueName), "queueName");
    const dlq = new SqsQueue(this, "dead_letter_queue", {
      name,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    this.denyInsecureTransport("dead_letter_policy", dlq);
    return dlq;
  }

  /** The queue's policy: deny any request without TLS. */
  private denyInsecureTransport(id: string, queue: SqsQueue): void {
    new SqsQueuePolicy(this, id, {
      queueUrl: queue.url,
      policy: policyDocument({ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queue.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    });
  }

  public get name(): string {
    return this.queue.name;
  }

  public get arn(): string {
    return this.queue.arn;
  }

  public get url(): string {
    return this.queue.url;
  }

  /** Lets `grantee` send messages. */
  public grantSend(grantee: IGrantable, sid = "SendMessages"): void {
    grantee.addToPolicy(...sqsAccess(sid, [this.arn], false));
  }

  /** Lets `grantee` send, receive and delete messages (a consumer that also enqueues, as Celery's workers do). */
  public grantConsume(grantee: IGrantable, sid = "ConsumeMessages"): void {
    grantee.addToPolicy(...sqsAccess(sid, [this.arn], true));
  }
}
