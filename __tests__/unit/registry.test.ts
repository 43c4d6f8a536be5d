import { ServiceRole } from "../../src/constructs/iam/service-role";
import { ContainerRepository } from "../../src/constructs/registry/repository";
import { RepositoryConfigInput, RepositoryConfigSchema } from "../../src/constructs/registry/settings";
import { resource, synthIn } from "./support";

/** A repository's settings parsed by the module's schema, so each default is the schema's. */
const settings = (input: RepositoryConfigInput = {}) => RepositoryConfigSchema.parse(input);

describe("ContainerRepository", () => {
  it("scans on push, keeps tags immutable, encrypts with AES256 and never force-deletes", () => {
    const json = synthIn((stack) => new ContainerRepository(stack, "api", { repositoryName: "ode-prod/api", settings: settings() }));
    expect(resource(json, "aws_ecr_repository", "api_repository")).toMatchObject({
      name: "ode-prod/api",
      image_scanning_configuration: { scan_on_push: true },
      image_tag_mutability: "IMMUTABLE",
      encryption_configuration: [{ encryption_type: "AES256" }],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("encrypts with KMS when asked", () => {
    const json = synthIn((stack) =>
      new ContainerRepository(stack, "api", { repositoryName: "api", settings: settings({ encryption: "KMS", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" }) }),
    );
    expect(resource(json, "aws_ecr_repository", "api_repository").encryption_configuration).toEqual([
      { encryption_type: "KMS", kms_key: "arn:aws:kms:us-east-1:123456789012:key/abc" },
    ]);
  });

  it("keeps the last N images", () => {
    const json = synthIn((stack) => new ContainerRepository(stack, "api", { repositoryName: "api", settings: settings({ keepLastImages: 15 }) }));
    const policy = JSON.parse(String(resource(json, "aws_ecr_lifecycle_policy", "api_lifecycle").policy));
    expect(policy.rules).toEqual([
      {
        rulePriority: 1,
        description: "Keep the last 15 images",
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 15 },
        action: { type: "expire" },
      },
    ]);
  });

  it("grants pulling from exactly this repository", () => {
    const json = synthIn((stack) => {
      const repo = new ContainerRepository(stack, "api", { repositoryName: "api", settings: settings() });
      repo.grantPull(new ServiceRole(stack, "role", { roleName: "node", service: "ec2.amazonaws.com" }));
    });
    const policy = String(resource(json, "aws_iam_role_policy", "role_policy").policy);
    expect(policy).toContain('"Resource" = [aws_ecr_repository.api_repository.arn]');
    expect(policy).toContain('"Action" = "ecr:GetAuthorizationToken"');
  });

  it.each([
    ["Ode/API", /is not a valid ECR repository name/],
    ["a", /is not a valid ECR repository name/],
    ["ode//api", /is not a valid ECR repository name/],
  ])("refuses the name %s", (name, message) => {
    expect(() => synthIn((stack) => new ContainerRepository(stack, "r", { repositoryName: name, settings: settings() }))).toThrow(message);
  });

  it("its settings refuse a KMS key with AES256 encryption", () => {
    const issues = RepositoryConfigSchema.safeParse({ kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" }).error?.issues ?? [];
    expect(issues.map((i) => [i.path.join("."), i.message])).toEqual([["kmsKeyArn", 'is only used with encryption "KMS"']]);
  });
});
