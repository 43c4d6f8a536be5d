import { z } from "zod";
import { validateRegion } from "../../lib/availability-zones";
import { validateNonEmpty, validateRoleArn } from "../../lib/aws-values";
import { ConfigError, Problems } from "../../lib/errors";
import { validateBucketName } from "../../lib/s3-bucket-name";

/** Another team's state, read through `terraform_remote_state` (see src/constructs/remote-state). */
export const ForeignStateConfigSchema = z.strictObject({
  bucket: z.string().describe("The bucket holding the state."),
  key: z.string().describe("The state object's key, e.g. `terraform/vpc/zte_apnortheast2/terraform.tfstate`."),
  region: z.string().optional().describe("The bucket's region. Default: the system's `region`."),
  roleArn: z.string().optional().describe("An IAM role to assume to read it. Default: none."),
  profile: z.string().optional().describe("A profile of the shared AWS config to read it with. Default: the standard credential chain."),
  outputs: z.record(z.string(), z.string()).default({}).describe("The outputs the stacks read, from the name the code asks for to the output's name in that state, e.g. `{ \"vpcId\": \"vpc_id\" }`. A name the code needs but this map lacks fails synth."),
});

export type ForeignStateConfig = z.infer<typeof ForeignStateConfigSchema>;

const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Checks one foreign state's settings, every one even when another fails; errors name the key within it. */
export function validateForeignState(state: ForeignStateConfig): void {
  const problems = new Problems();
  problems.check(() => validateBucketName(state.bucket, "bucket"));
  if (state.key.trim() === "" || state.key.startsWith("/")) {
    problems.add(new ConfigError("key", state.key, "must be the state object's key, without a leading '/'", 'e.g. "terraform/vpc/zte_apnortheast2/terraform.tfstate"'));
  }
  if (state.region !== undefined) problems.check(() => validateRegion(state.region!, "region"));
  if (state.roleArn !== undefined) problems.check(() => validateRoleArn(state.roleArn!, "roleArn"));
  if (state.profile !== undefined) problems.check(() => validateNonEmpty(state.profile!, "profile", "the name of a profile in your AWS config"));
  for (const [name, output] of Object.entries(state.outputs)) {
    if (!TERRAFORM_NAME.test(output)) {
      problems.add(new ConfigError(`outputs.${name}`, output, "is not a Terraform output name", "use letters, digits, '_' and '-', starting with a letter or '_'"));
    }
  }
  problems.throwIfAny();
}
