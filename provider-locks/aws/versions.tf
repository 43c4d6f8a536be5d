# The providers the AWS stacks require, so that `terraform providers lock` can run here.
# synth copies this folder's .terraform.lock.hcl into every stack that uses only these
# providers. Update it as the README says (Pipelines: provider checksums).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}
