import { PolicyDocument } from "./iam";

/**
 * AWS managed policies the rung knows the content of, because a contract flow relies on them.
 * Copied from the AWS Managed Policy Reference. Every other managed policy a principal holds
 * must be declared (with its reason) in the contract's `managedPolicies`, and grants nothing
 * to the simulation: a flow can't silently depend on a managed policy's content.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2ContainerRegistryReadOnly.html
  AmazonEC2ContainerRegistryReadOnly: {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "ecr:GetAuthorizationToken",
          "ecr:BatchCheckLayerAvailability",
          "ecr:GetDownloadUrlForLayer",
          "ecr:GetRepositoryPolicy",
          "ecr:DescribeRepositories",
          "ecr:ListImages",
          "ecr:DescribeImages",
          "ecr:BatchGetImage",
          "ecr:GetLifecyclePolicy",
          "ecr:GetLifecyclePolicyPreview",
          "ecr:ListTagsForResource",
          "ecr:DescribeImageScanFindings",
        ],
        Resource: "*",
      },
    ],
  },
};
