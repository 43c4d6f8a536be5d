import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { ConfigError } from "../../lib/errors";
import { ecrPull } from "../../lib/grants";
import { checkName } from "../../lib/naming";
import { IGrantable } from "../iam/service-role";
import type { RepositoryConfig } from "./settings";

/** A repository's settings, parsed by the registry schema (./settings.ts), which declares each default once; the name is given apart. */
export type RepositorySettings = Omit<RepositoryConfig, "repositoryName">;

export interface ContainerRepositoryProps {
  /** The repository's name, e.g. `ode-prod/api` or `algoitny`. */
  readonly repositoryName: string;
  /** Tag mutability, encryption (and its KMS key), scan on push, images kept. */
  readonly settings: RepositorySettings;
  /** Terraform `prevent_destroy`. ECR also refuses to delete a repository holding images. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * An ECR repository: images scanned on push, immutable tags, encryption at rest
 * (AES256 or KMS), `force_delete` off, and a lifecycle policy that keeps the last N
 * images. {@link grantPull} gives a role exactly the pull actions on this repository.
 */
export class ContainerRepository extends Construct {
  public readonly repository: EcrRepository;
  /** The repository's name as configured (a plain string, not a reference). */
  public readonly repositoryName: string;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    this.repositoryName = props.repositoryName;
    validateRepositoryName(props.repositoryName);
    // keepLastImages (1-10000) is checked by the schema (./settings.ts).
    const { keepLastImages: keep, encryption, kmsKeyArn, imageTagMutability, scanOnPush } = props.settings;
    this.repository = new EcrRepository(this, "repository", {
      name: props.repositoryName,
      imageTagMutability,
      imageScanningConfiguration: { scanOnPush },
      encryptionConfiguration: [{ encryptionType: encryption, kmsKey: encryption === "KMS" ? kmsKeyArn : undefined }],
      forceDelete: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Keep the last ${keep} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }

  public get arn(): string {
    return this.repository.arn;
  }

  public get url(): string {
    return this.repository.repositoryUrl;
  }

  /** Lets `grantee` pull images from this repository. */
  public grantPull(grantee: IGrantable, sid = "PullImages"): void {
    grantee.addToPolicy(...ecrPull(sid, [this.arn]));
  }
}

/** Fails with a ConfigError naming `key` unless `name` is a valid ECR repository name. */
export function validateRepositoryName(name: string, key = "repositoryName"): void {
  checkName("ecrRepository", name, key);
  if (name.length < 2 || !/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)) {
    throw new ConfigError(
      key,
      name,
      "is not a valid ECR repository name",
      "use 2-256 lower case letters, digits and single '.', '_', '-' separators, optionally in '/'-separated namespaces, e.g. ode-prod/api",
    );
  }
}
